"""Readable names and details on audit rows, and the hash chain.

Rows already written join their organisation's chain in the order they were
written (time, then id), with no name or detail: the log keeps saying what
it said. Filling in `seq` and `hash` is the one change ever made to existing
rows; on PostgreSQL the migration (run by the tables' owner) lifts the
append-only trigger for it and puts it back in the same transaction.
"""

from __future__ import annotations

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from audit import chain

ACTIONS = [
    ("read", "Read"),
    ("print", "Printed"),
    ("create", "Created"),
    ("change", "Changed"),
    ("sign_off", "Signed off"),
    ("override", "Saved past the identifier guard"),
    ("sign_in", "Signed in"),
    ("sign_in_failed", "Sign-in failed"),
    ("locked_out", "Sign-in refused after too many failures"),
    ("mfa_added", "Two-factor sign-in set up"),
    ("mfa_removed", "Two-factor sign-in removed"),
    ("invite", "Invited"),
    ("invite_resend", "Invitation sent again"),
    ("invite_withdraw", "Invitation withdrawn"),
    ("invite_accept", "Invitation accepted"),
    ("deactivate", "Deactivated"),
    ("reactivate", "Reactivated"),
    ("archive", "Archived"),
    ("restore", "Restored"),
    ("delete", "Deleted"),
    ("adopt", "Adopted"),
    ("import", "Imported"),
    ("discard", "Discarded"),
    ("export", "Exported"),
    ("retention_run", "Retention rule run"),
    ("erase", "Erased under the retention rule"),
    ("anonymise", "Account anonymised"),
]

KINDS = [
    ("dilemma", "Dilemma"),
    ("reflection", "Reflection"),
    ("action", "Agreed action"),
    ("account", "Account"),
    ("membership", "Membership"),
    ("invitation", "Invitation"),
    ("unit", "Unit"),
    ("reflectiongroup", "Reflection group"),
    ("organisation", "Organisation settings"),
    ("version", "Value-base version"),
    ("insights", "Insights"),
    ("auditlog", "Audit log"),
    ("personal data", "Personal data"),
    ("retention", "Retention rule"),
]

PG_CHECKPOINT_TRIGGER = """
CREATE TRIGGER audit_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""


def chain_existing_rows(apps, schema_editor) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only"
        )
    heads: dict[int | None, tuple[int, str]] = {}
    rows = AuditEvent.objects.order_by("at", "pk")
    for row in rows.iterator(chunk_size=2000):
        seq, previous = heads.get(row.organisation_id, (0, chain.GENESIS))
        row.seq = seq + 1
        row.hash = chain.digest(previous, row)
        AuditEvent.objects.filter(pk=row.pk).update(seq=row.seq, hash=row.hash)
        heads[row.organisation_id] = (row.seq, row.hash)
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only"
        )


def checkpoint_trigger(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CHECKPOINT_TRIGGER)


def drop_checkpoint_trigger(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_checkpoint_append_only "
            "ON audit_auditcheckpoint"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_from_access_log"),
        ("organisations", "0002_group_reminder_hours"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="object_name",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="object"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="detail",
            field=models.CharField(
                blank=True, default="", max_length=500, verbose_name="details"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=ACTIONS, max_length=20, verbose_name="action"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="object_kind",
            field=models.CharField(
                choices=KINDS, max_length=40, verbose_name="kind of object"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, verbose_name="number"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="hash"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, verbose_name="number"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("organisation", "seq"), name="audit_one_row_per_place"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(organisation__isnull=True),
                fields=("seq",),
                name="audit_one_row_per_platform_place",
            ),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                ("count", models.PositiveBigIntegerField(verbose_name="rows")),
                (
                    "head",
                    models.CharField(
                        max_length=64, verbose_name="hash of the last row"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["-at", "-pk"],
            },
        ),
        migrations.RunPython(checkpoint_trigger, drop_checkpoint_trigger),
    ]
