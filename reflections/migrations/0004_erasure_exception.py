"""The database guards let the retention rule erase texts, and nothing else.

A transaction that erases under the retention rule first runs
`SET LOCAL etikrum.retention_erasure = 'on'` (reflections.retention); only
then do the guards of signed-off reflections let an UPDATE through. Deletes
stay refused, and the setting ends with the transaction. Every erasure is
written to the audit log.
"""

from __future__ import annotations

from django.db import migrations

ERASING = "current_setting('etikrum.retention_erasure', true) = 'on'"

PG_FORWARD = rf"""
CREATE OR REPLACE FUNCTION reflections_reflection_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {ERASING} THEN
        RETURN NEW;
    END IF;
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

CREATE OR REPLACE FUNCTION reflections_part_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {ERASING} THEN
        RETURN NEW;
    END IF;
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

CREATE OR REPLACE FUNCTION reflections_action_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {ERASING} THEN
        RETURN NEW;
    END IF;
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

CREATE OR REPLACE FUNCTION reflections_amendment_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {ERASING} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'amendments are appended, never changed or deleted'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""

# Back to the guards of 0002, which know no exception.
PG_BACKWARD = PG_FORWARD.replace(
    f"""    IF TG_OP = 'UPDATE' AND {ERASING} THEN
        RETURN NEW;
    END IF;
""",
    "",
)


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_FORWARD)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("reflections", "0003_retention")]

    operations = [migrations.RunPython(forward, backward)]
