"""Readings recorded by the earlier access log become audit rows."""

from __future__ import annotations

from django.db import migrations


def person(user) -> str:
    if user is None:
        return "The system"
    return f"{user.name} <{user.email}>" if user.name else user.email


def forward(apps, schema_editor) -> None:
    AccessLog = apps.get_model("dilemmas", "AccessLog")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    rows = AccessLog.objects.select_related("membership__user", "membership__unit")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=row.at,
            organisation_id=row.organisation_id,
            membership_id=row.membership_id,
            user_id=row.membership.user_id if row.membership else None,
            person=person(row.membership.user if row.membership else None),
            role=row.membership.role if row.membership else "",
            unit_id=row.membership.unit_id if row.membership else None,
            unit_name=(
                row.membership.unit.name
                if row.membership and row.membership.unit
                else ""
            ),
            object_kind=row.kind,
            object_uuid=row.object_uuid,
            action="print" if row.action == "print" else "read",
            outcome="allowed",
            via="page",
        )
        for row in rows.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("dilemmas", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
