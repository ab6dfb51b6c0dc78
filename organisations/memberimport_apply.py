"""Confirming a member import, and applying it in the task worker.

The confirming request checks the import against the organisation as it is
(rows in error are left out only when the administrator has said so), marks
it confirmed and queues `organisations.tasks.apply_member_import`: applying
3,000 rows takes longer than a request should. The worker plans again from
the stored rows, since the organisation may have changed since the preview,
and writes the invitations, changes and audit rows in one transaction: an
attempt that fails leaves nothing behind, so the worker's next attempt
(core/worker.py) starts afresh and invites nobody twice. Invitations are
mailed in batches (organisations.tasks.send_invitation_batch) once that
transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from audit.models import Action, AuditEvent, Via

from .memberimport import Outcome, RowPlan, plan
from .models import (
    INVITATION_DAYS,
    ImportState,
    Invitation,
    MemberImport,
    Membership,
)
from .tasks import INVITATION_BATCH, apply_member_import, send_invitation_batch

# Prepares one audit row: AuditEvent.prepare bound to the confirming person.
Prepare = Callable[..., AuditEvent]


class ErrorsNotAccepted(Exception):
    def __init__(self, plans: list[RowPlan]) -> None:
        super().__init__(f"{len(plans)} rows in error")
        self.plans = plans


@dataclass
class Applied:
    counts: dict[str, int]
    invitation_ids: list[int]


def _by_outcome(plans: list[RowPlan]) -> dict[str, list[RowPlan]]:
    by_outcome: dict[str, list[RowPlan]] = {outcome: [] for outcome in Outcome.ORDER}
    for row in plans:
        by_outcome[row.outcome].append(row)
    return by_outcome


@transaction.atomic
def confirm_import(
    member_import: MemberImport, *, importer: Membership, skip_errors: bool
) -> bool:
    """Mark the import confirmed and queue its applying; False if it already
    was (a second submit, another tab). Raise ErrorsNotAccepted if rows are in
    error and the administrator has not agreed to leave them out."""
    # Two confirmations of one import at once: the second waits, then finds
    # it confirmed.
    locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
    if locked.state != ImportState.UPLOADED:
        return False
    plans = plan(locked.organisation, locked.rows, importer=importer)
    errors = [row for row in plans if row.outcome == Outcome.ERROR]
    if errors and not skip_errors:
        raise ErrorsNotAccepted(errors)
    locked.state = ImportState.CONFIRMED
    locked.confirmed = timezone.now()
    locked.confirmed_by = importer
    locked.skip_errors = skip_errors
    locked.save(update_fields=["state", "confirmed", "confirmed_by", "skip_errors"])
    transaction.on_commit(partial(_enqueue, locked.pk))
    return True


def _enqueue(import_id: int) -> None:
    result = apply_member_import.enqueue(import_id)
    # The immediate backend (tests) has run it by now; the id is kept either way.
    MemberImport.objects.filter(pk=import_id).update(task_id=str(result.id)[:64])


def apply_import(import_id: int) -> Applied | None:
    """Apply a confirmed import (the task worker's part); None if there is
    nothing to do: gone, already done, or stopped."""
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().filter(pk=import_id).first()
        if locked is None or locked.state not in (
            ImportState.CONFIRMED,
            ImportState.APPLYING,
            ImportState.FAILED,
        ):
            return None
        # Seen at once on the import's page, while the work below goes on.
        locked.state = ImportState.APPLYING
        locked.save(update_fields=["state"])
    try:
        return _apply(import_id)
    except Exception:
        # Nothing of this attempt was kept; the worker tries again.
        MemberImport.objects.filter(pk=import_id, state=ImportState.APPLYING).update(
            state=ImportState.FAILED
        )
        raise


@transaction.atomic
def _apply(import_id: int) -> Applied | None:
    member_import = (
        MemberImport.objects.select_for_update(of=("self",))
        .select_related("organisation", "confirmed_by__user", "confirmed_by__unit")
        .filter(pk=import_id, state=ImportState.APPLYING)
        .first()
    )
    if member_import is None or member_import.confirmed_by is None:
        return None
    importer = member_import.confirmed_by
    plans = plan(member_import.organisation, member_import.rows, importer=importer)
    by_outcome = _by_outcome(plans)
    counts = {outcome: len(rows) for outcome, rows in by_outcome.items()}
    if by_outcome[Outcome.ERROR] and not member_import.skip_errors:
        # The organisation changed after the confirmation: rows are in error
        # that the administrator did not agree to leave out.
        member_import.state = ImportState.STOPPED
        member_import.counts = counts
        member_import.save(update_fields=["state", "counts"])
        return None
    # The rows were confirmed on the import's page by this administrator.
    prepare: Prepare = partial(
        _prepare,
        membership=importer,
        via=Via.PAGE,
        view="organisations:member_import_confirm",
    )
    events: list[AuditEvent] = []
    invitations = _invite(member_import, by_outcome[Outcome.INVITE], importer)
    events += [
        prepare(Action.INVITE, invitation, detail=_FROM_IMPORT)
        for invitation in invitations
    ]
    events += _change(by_outcome[Outcome.CHANGE], prepare)
    member_import.state = ImportState.DONE
    member_import.applied = timezone.now()
    member_import.counts = counts
    # The names and addresses have done their work; the audit log keeps who.
    member_import.rows = []
    member_import.save(update_fields=["state", "applied", "counts", "rows"])
    events.append(
        prepare(Action.IMPORT, member_import, detail=lambda: _summary(counts))
    )
    AuditEvent.append_all(events)
    ids = [invitation.pk for invitation in invitations]
    for start in range(0, len(ids), INVITATION_BATCH):
        batch = ids[start : start + INVITATION_BATCH]
        transaction.on_commit(partial(send_invitation_batch.enqueue, batch))
    return Applied(counts=counts, invitation_ids=ids)


def _prepare(action: str, obj: models.Model, **kwargs: Any) -> AuditEvent:
    return AuditEvent.prepare(action=action, obj=obj, **kwargs)


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
