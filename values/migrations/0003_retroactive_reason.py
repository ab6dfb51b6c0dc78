"""A version in force before its adoption says why (retroactive_reason).

Versions adopted that way before this rule existed get a note saying so, in
their organisation's language, so the new constraint holds for every row. That
note is the one change ever made to an adopted version's row outside of its
superseding; on PostgreSQL the guard trigger is set aside for it, then replaced
by one that also keeps the reason fixed.
"""

from django.conf import settings
from django.db import migrations, models

LEGACY_REASON = {
    "sv": "Antogs med retroaktiv verkan innan ett skäl behövde anges.",
    "da": "Vedtaget med tilbagevirkende kraft, før en begrundelse skulle angives.",
    "en": "Adopted with retroactive effect before a reason had to be given.",
}

GUARD = r"""
CREATE OR REPLACE FUNCTION values_version_guard() RETURNS trigger AS $$
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
             NEW.adopted_by, NEW.effective_from, NEW.change_summary{extra_new})
            IS NOT DISTINCT FROM
            (OLD.value_base_id, OLD.number, OLD.title, OLD.adopted_on,
             OLD.adopted_by, OLD.effective_from, OLD.change_summary{extra_old})
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
"""


# SQLite adds a constraint by building the table anew, which drops its triggers:
# the overlap rule of 0002_database_guards is set up again afterwards.
SQLITE_OVERLAP = [
    """
    CREATE TRIGGER IF NOT EXISTS values_version_periods_do_not_overlap_insert
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
    CREATE TRIGGER IF NOT EXISTS values_version_periods_do_not_overlap_update
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


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_OVERLAP:
            schema_editor.execute(statement)


def _run(schema_editor, sql: str) -> None:
    # A plain cursor: PL/pgSQL's '%' placeholders are not query parameters.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def forward(apps, schema_editor):
    Version = apps.get_model("values", "Version")
    postgres = schema_editor.connection.vendor == "postgresql"
    legacy = Version.objects.exclude(status="draft").filter(
        effective_from__lt=models.F("adopted_on"), retroactive_reason=""
    )
    rows = list(legacy.values_list("pk", "value_base__organisation__language"))
    if rows and postgres:
        _run(schema_editor, "ALTER TABLE values_version DISABLE TRIGGER values_version_guard;")
    for pk, language in rows:
        Version.objects.filter(pk=pk).update(
            retroactive_reason=LEGACY_REASON.get(language, LEGACY_REASON["en"])
        )
    if rows and postgres:
        _run(schema_editor, "ALTER TABLE values_version ENABLE TRIGGER values_version_guard;")
    if postgres:
        _run(
            schema_editor,
            GUARD.replace("{extra_new}", ", NEW.retroactive_reason").replace(
                "{extra_old}", ", OLD.retroactive_reason"
            ),
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, GUARD.replace("{extra_new}", "").replace("{extra_old}", ""))


class Migration(migrations.Migration):

    dependencies = [
        ('values', '0002_database_guards'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Undoing this migration builds the table anew too: the last step back.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AddField(
            model_name='version',
            name='retroactive_reason',
            field=models.TextField(blank=True, verbose_name='reason for retroactive effect'),
        ),
        migrations.RunPython(forward, backward),
        migrations.AddConstraint(
            model_name='version',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), ('effective_from__gte', models.F('adopted_on')), models.Q(('retroactive_reason', ''), _negated=True), _connector='OR'), name='values_version_retroactive_has_reason'),
        ),
        migrations.RunPython(restore_sqlite_triggers, restore_sqlite_triggers),
    ]
