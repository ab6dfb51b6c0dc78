"""Database-level guards for the value base's history.

PostgreSQL: adopted and superseded versions and their content cannot be changed
or deleted, whatever client writes (triggers), and the effective periods of one
value base never overlap (an exclusion constraint over date ranges).
SQLite: the same overlap rule as a trigger.
"""

from __future__ import annotations

from django.db import migrations

PG_FORWARD = r"""
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE values_version ADD CONSTRAINT values_version_periods_do_not_overlap
    EXCLUDE USING gist (
        value_base_id WITH =,
        daterange(effective_from, effective_until, '[)') WITH &&
    ) WHERE (status <> 'draft');

CREATE FUNCTION values_version_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'value base version % is %, it cannot be deleted',
                OLD.number, OLD.status USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND NOT (
        -- The one change history allows: adopted -> superseded, closing its period.
        OLD.status = 'adopted' AND NEW.status = 'superseded'
        AND OLD.effective_until IS NULL AND NEW.effective_until IS NOT NULL
        AND (NEW.value_base_id, NEW.number, NEW.title, NEW.adopted_on,
             NEW.adopted_by, NEW.effective_from, NEW.change_summary)
            IS NOT DISTINCT FROM
            (OLD.value_base_id, OLD.number, OLD.title, OLD.adopted_on,
             OLD.adopted_by, OLD.effective_from, OLD.change_summary)
    ) AND NOT (
        -- Erasing a person's account may clear the author, nothing else.
        (NEW.author_id IS NULL AND OLD.author_id IS NOT NULL)
        AND (NEW.status, NEW.effective_until) IS NOT DISTINCT FROM
            (OLD.status, OLD.effective_until)
    ) THEN
        RAISE EXCEPTION 'value base version % is %, it cannot be changed',
            OLD.number, OLD.status USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER values_version_guard
    BEFORE UPDATE OR DELETE ON values_version
    FOR EACH ROW EXECUTE FUNCTION values_version_guard();

-- Content rows: refuse insert, update and delete when the version is not a draft.
-- The first argument says how a row finds its version.
CREATE FUNCTION values_status_of(kind text, item jsonb) RETURNS text AS $$
DECLARE
    found text;
BEGIN
    IF kind = 'version' THEN
        SELECT status INTO found FROM values_version
        WHERE id = (item->>'version_id')::bigint;
    ELSIF kind = 'value' THEN
        SELECT v.status INTO found FROM values_version v
        JOIN values_corevalue c ON c.version_id = v.id
        WHERE c.id = (item->>'value_id')::bigint;
    ELSE
        SELECT v.status INTO found FROM values_version v
        JOIN guidelines_guideline g ON g.version_id = v.id
        WHERE g.id = (item->>'guideline_id')::bigint;
    END IF;
    RETURN found;
END;
$$ LANGUAGE plpgsql STABLE;

CREATE FUNCTION values_content_guard() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'INSERT'
            AND values_status_of(TG_ARGV[0], to_jsonb(OLD)) <> 'draft')
        OR (TG_OP <> 'DELETE'
            AND values_status_of(TG_ARGV[0], to_jsonb(NEW)) <> 'draft') THEN
        RAISE EXCEPTION 'the content of an adopted value base version is fixed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER values_section_guard BEFORE INSERT OR UPDATE OR DELETE
    ON values_section FOR EACH ROW EXECUTE FUNCTION values_content_guard('version');
CREATE TRIGGER values_legalbasis_guard BEFORE INSERT OR UPDATE OR DELETE
    ON values_legalbasis FOR EACH ROW EXECUTE FUNCTION values_content_guard('version');
CREATE TRIGGER values_corevalue_guard BEFORE INSERT OR UPDATE OR DELETE
    ON values_corevalue FOR EACH ROW EXECUTE FUNCTION values_content_guard('version');
CREATE TRIGGER values_commitment_guard BEFORE INSERT OR UPDATE OR DELETE
    ON values_commitment FOR EACH ROW EXECUTE FUNCTION values_content_guard('value');
"""

PG_BACKWARD = r"""
DROP TRIGGER IF EXISTS values_commitment_guard ON values_commitment;
DROP TRIGGER IF EXISTS values_corevalue_guard ON values_corevalue;
DROP TRIGGER IF EXISTS values_legalbasis_guard ON values_legalbasis;
DROP TRIGGER IF EXISTS values_section_guard ON values_section;
DROP FUNCTION IF EXISTS values_content_guard();
DROP FUNCTION IF EXISTS values_status_of(text, jsonb);
DROP TRIGGER IF EXISTS values_version_guard ON values_version;
DROP FUNCTION IF EXISTS values_version_guard();
ALTER TABLE values_version DROP CONSTRAINT IF EXISTS
    values_version_periods_do_not_overlap;
"""

SQLITE_FORWARD = [
    """
    CREATE TRIGGER values_version_periods_do_not_overlap_insert
    BEFORE INSERT ON values_version
    WHEN NEW.status <> 'draft' AND EXISTS (
        SELECT 1 FROM values_version o
        WHERE o.value_base_id = NEW.value_base_id AND o.status <> 'draft'
          AND o.effective_from < COALESCE(NEW.effective_until, '9999-12-31')
          AND NEW.effective_from < COALESCE(o.effective_until, '9999-12-31'))
    BEGIN
        SELECT RAISE(ABORT, 'values_version_periods_do_not_overlap');
    END;
    """,
    """
    CREATE TRIGGER values_version_periods_do_not_overlap_update
    BEFORE UPDATE ON values_version
    WHEN NEW.status <> 'draft' AND EXISTS (
        SELECT 1 FROM values_version o
        WHERE o.value_base_id = NEW.value_base_id AND o.status <> 'draft'
          AND o.id <> NEW.id
          AND o.effective_from < COALESCE(NEW.effective_until, '9999-12-31')
          AND NEW.effective_from < COALESCE(o.effective_until, '9999-12-31'))
    BEGIN
        SELECT RAISE(ABORT, 'values_version_periods_do_not_overlap');
    END;
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS values_version_periods_do_not_overlap_insert;",
    "DROP TRIGGER IF EXISTS values_version_periods_do_not_overlap_update;",
]


def _run(schema_editor, sql: str) -> None:
    # A plain cursor: PL/pgSQL's '%' placeholders are not query parameters.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("values", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
