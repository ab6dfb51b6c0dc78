"""Database-level guards: a signed-off reflection is fixed, whatever client writes.

PostgreSQL only (like the value base's triggers): the reflection row and every
row recorded in it refuse updates and deletes once it is signed off, and no new
row can be added to it. The one exception is following up an action (done,
note, by whom). Amendments are append-only from the start.
"""

from __future__ import annotations

from django.db import migrations

PG_FORWARD = r"""
CREATE FUNCTION reflections_reflection_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'signed_off' THEN
        RAISE EXCEPTION 'reflection % is signed off, it cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reflections_reflection_guard
    BEFORE UPDATE OR DELETE ON reflections_reflection
    FOR EACH ROW EXECUTE FUNCTION reflections_reflection_guard();

-- How a row finds the status of its reflection; the first argument says how.
CREATE FUNCTION reflections_status_of(kind text, item jsonb) RETURNS text AS $$
DECLARE
    found text;
BEGIN
    IF kind = 'reflection' THEN
        SELECT status INTO found FROM reflections_reflection
        WHERE id = (item->>'reflection_id')::bigint;
    ELSIF kind = 'step' THEN
        SELECT r.status INTO found FROM reflections_reflection r
        JOIN reflections_reflectionstep s ON s.reflection_id = r.id
        WHERE s.id = (item->>'step_id')::bigint;
    ELSE
        SELECT r.status INTO found FROM reflections_reflection r
        JOIN reflections_reflectionstep s ON s.reflection_id = r.id
        JOIN reflections_perspective p ON p.step_id = s.id
        WHERE p.id = (item->>'perspective_id')::bigint;
    END IF;
    RETURN found;
END;
$$ LANGUAGE plpgsql STABLE;

CREATE FUNCTION reflections_part_guard() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'INSERT'
            AND reflections_status_of(TG_ARGV[0], to_jsonb(OLD)) = 'signed_off')
        OR (TG_OP <> 'DELETE'
            AND reflections_status_of(TG_ARGV[0], to_jsonb(NEW)) = 'signed_off') THEN
        RAISE EXCEPTION 'the record of a signed-off reflection is fixed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reflections_step_guard BEFORE INSERT OR UPDATE OR DELETE
    ON reflections_reflectionstep
    FOR EACH ROW EXECUTE FUNCTION reflections_part_guard('reflection');
CREATE TRIGGER reflections_citation_guard BEFORE INSERT OR UPDATE OR DELETE
    ON reflections_citation
    FOR EACH ROW EXECUTE FUNCTION reflections_part_guard('reflection');
CREATE TRIGGER reflections_option_guard BEFORE INSERT OR UPDATE OR DELETE
    ON reflections_option
    FOR EACH ROW EXECUTE FUNCTION reflections_part_guard('step');
CREATE TRIGGER reflections_perspective_guard BEFORE INSERT OR UPDATE OR DELETE
    ON reflections_perspective
    FOR EACH ROW EXECUTE FUNCTION reflections_part_guard('step');
CREATE TRIGGER reflections_position_guard BEFORE INSERT OR UPDATE OR DELETE
    ON reflections_position
    FOR EACH ROW EXECUTE FUNCTION reflections_part_guard('step');
CREATE TRIGGER reflections_perspective_values_guard BEFORE INSERT OR UPDATE OR DELETE
    ON reflections_perspective_values
    FOR EACH ROW EXECUTE FUNCTION reflections_part_guard('perspective');

CREATE FUNCTION reflections_action_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND reflections_status_of('reflection', to_jsonb(OLD)) = 'signed_off'
        AND (to_jsonb(NEW) - ARRAY['done', 'done_note', 'done_by_id'])
            IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['done', 'done_note', 'done_by_id'])
    THEN
        RAISE EXCEPTION 'the actions of a signed-off reflection are fixed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP <> 'UPDATE' AND reflections_status_of(
        'reflection', to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END)
    ) = 'signed_off' THEN
        RAISE EXCEPTION 'the actions of a signed-off reflection are fixed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reflections_action_guard BEFORE INSERT OR UPDATE OR DELETE
    ON reflections_action FOR EACH ROW EXECUTE FUNCTION reflections_action_guard();

CREATE FUNCTION reflections_amendment_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'amendments are appended, never changed or deleted'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reflections_amendment_guard BEFORE UPDATE OR DELETE
    ON reflections_amendment FOR EACH ROW EXECUTE FUNCTION reflections_amendment_guard();
"""

PG_BACKWARD = r"""
DROP TRIGGER IF EXISTS reflections_amendment_guard ON reflections_amendment;
DROP FUNCTION IF EXISTS reflections_amendment_guard();
DROP TRIGGER IF EXISTS reflections_action_guard ON reflections_action;
DROP FUNCTION IF EXISTS reflections_action_guard();
DROP TRIGGER IF EXISTS reflections_perspective_values_guard
    ON reflections_perspective_values;
DROP TRIGGER IF EXISTS reflections_position_guard ON reflections_position;
DROP TRIGGER IF EXISTS reflections_perspective_guard ON reflections_perspective;
DROP TRIGGER IF EXISTS reflections_option_guard ON reflections_option;
DROP TRIGGER IF EXISTS reflections_citation_guard ON reflections_citation;
DROP TRIGGER IF EXISTS reflections_step_guard ON reflections_reflectionstep;
DROP FUNCTION IF EXISTS reflections_part_guard();
DROP FUNCTION IF EXISTS reflections_status_of(text, jsonb);
DROP TRIGGER IF EXISTS reflections_reflection_guard ON reflections_reflection;
DROP FUNCTION IF EXISTS reflections_reflection_guard();
"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # A plain cursor: PL/pgSQL's '%' placeholders are not query parameters.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_FORWARD)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("reflections", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
