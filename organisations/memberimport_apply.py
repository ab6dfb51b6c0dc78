"""Confirming a member import: the planned rows written, audited and mailed.

Everything is planned again from the stored rows at the moment of
confirmation, since the organisation may have changed since the preview;
rows in error are left out only when the administrator has said so.
Invitations are made in bulk and mailed by the task worker in batches
(organisations.tasks.send_invitation_batch) once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from audit.models import Action, AuditEvent

from .memberimport import Outcome, RowPlan, plan
from .models import INVITATION_DAYS, Invitation, MemberImport, Membership
from .tasks import INVITATION_BATCH, send_invitation_batch

# Prepares one audit row: prepare_request bound to the confirming request.
Prepare = Callable[..., AuditEvent]


class ErrorsNotAccepted(Exception):
    def __init__(self, plans: list[RowPlan]) -> None:
        super().__init__(f"{len(plans)} rows in error")
        self.plans = plans


@dataclass
class Applied:
    counts: dict[str, int]
    invitation_ids: list[int]


@transaction.atomic
def confirm_import(
    member_import: MemberImport,
    *,
    importer: Membership,
    skip_errors: bool,
    prepare: Prepare,
) -> Applied:
    """Write what the import plans; raise ErrorsNotAccepted if rows are in error
    and the administrator has not agreed to leave them out."""
    # Two confirmations of one import at once: the second waits, then finds
    # it confirmed.
    locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
    if locked.confirmed is not None:
        return Applied(counts=locked.counts, invitation_ids=[])
    plans = plan(member_import.organisation, member_import.rows, importer=importer)
    by_outcome: dict[str, list[RowPlan]] = {outcome: [] for outcome in Outcome.ORDER}
    for row in plans:
        by_outcome[row.outcome].append(row)
    if by_outcome[Outcome.ERROR] and not skip_errors:
        raise ErrorsNotAccepted(by_outcome[Outcome.ERROR])
    events: list[AuditEvent] = []
    invitations = _invite(member_import, by_outcome[Outcome.INVITE], importer)
    events += [
        prepare(Action.INVITE, invitation, detail=_FROM_IMPORT)
        for invitation in invitations
    ]
    events += _change(by_outcome[Outcome.CHANGE], prepare)
    counts = {outcome: len(rows) for outcome, rows in by_outcome.items()}
    member_import.confirmed = timezone.now()
    member_import.counts = counts
    # The names and addresses have done their work; the audit log keeps who.
    member_import.rows = []
    member_import.save(update_fields=["confirmed", "counts", "rows"])
    events.append(
        prepare(Action.IMPORT, member_import, detail=lambda: _summary(counts))
    )
    AuditEvent.append_all(events)
    ids = [invitation.pk for invitation in invitations]
    for start in range(0, len(ids), INVITATION_BATCH):
        batch = ids[start : start + INVITATION_BATCH]
        transaction.on_commit(
            lambda batch=batch: send_invitation_batch.enqueue(batch)  # type: ignore[misc]
        )
    return Applied(counts=counts, invitation_ids=ids)


def _summary(counts: dict[str, int]) -> str:
    parts = [
        ngettext("%(count)d invited", "%(count)d invited", counts["invite"]),
        ngettext("%(count)d changed", "%(count)d changed", counts["change"]),
        ngettext("%(count)d unchanged", "%(count)d unchanged", counts["same"]),
        ngettext(
            "%(count)d row in error left out",
            "%(count)d rows in error left out",
            counts["error"],
        ),
    ]
    values = (counts["invite"], counts["change"], counts["same"], counts["error"])
    return ", ".join(
        part % {"count": count} for part, count in zip(parts, values, strict=True)
    )


def _invite(
    member_import: MemberImport,
    rows: list[RowPlan],
    importer: Membership,
) -> list[Invitation]:
    organisation = member_import.organisation
    emails = [row.email for row in rows]
    # Open but expired invitations to these addresses are renewed, as the
    # member form does; the rest are new, made in one statement.
    expired = {
        invitation.email.lower(): invitation
        for invitation in Invitation.objects.for_organisation(organisation)
        .open()
        .annotate(address=Lower("email"))
        .filter(address__in=emails)
    }
    expires = timezone.now() + timedelta(days=INVITATION_DAYS)
    new = [
        Invitation(
            organisation=organisation,
            email=row.email,
            name=row.name,
            role=row.role,
            unit=row.unit,
            invited_by=importer,
            expires=expires,
        )
        for row in rows
        if row.email not in expired
    ]
    created = iter(Invitation.objects.bulk_create(new))
    through = Invitation.audiences.through
    links = []
    invitations = []
    for row in rows:
        if row.email in expired:
            invitation = Invitation.invite(
                organisation,
                row.email,
                name=row.name,
                role=row.role,
                unit=row.unit,
                invited_by=importer,
            )
            invitation.audiences.set(row.audience_ids or [])
        else:
            invitation = next(created)
            links += [
                through(invitation_id=invitation.pk, audience_id=audience_id)
                for audience_id in row.audience_ids or []
            ]
        invitations.append(invitation)
    through.objects.bulk_create(links)
    return invitations


_FROM_IMPORT = gettext_lazy("From a member import")


def _change(rows: list[RowPlan], prepare: Prepare) -> list[AuditEvent]:
    members = Membership.objects.select_related("user", "unit").in_bulk(
        [row.membership_id for row in rows]
    )
    events = []
    for row in rows:
        member = members[row.membership_id]
        fields = []
        if row.role != member.role:
            member.role = row.role
            fields.append("role")
        if row.unit is not None and row.unit.pk != member.unit_id:
            member.unit = row.unit
            fields.append("unit")
        if fields:
            member.save(update_fields=fields)
        if row.audience_ids is not None:
            member.audiences.set(row.audience_ids)
        events.append(
            prepare(
                Action.CHANGE,
                member,
                detail=lambda row=row: "; ".join(row.change_texts()),
            )
        )
    return events
