"""Opening a reflection from the agenda and signing it off."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from dilemmas.models import Dilemma
from meetings.models import Meeting
from organisations.models import Membership

from .methods import Method
from .sessions import AgendaItem, Reflection, version_in_force
from .steps import ReflectionStep


@transaction.atomic
def open_reflection(
    *, item: AgendaItem, facilitator: Membership, method: Method | None = None
) -> Reflection:
    """The reflection of an agenda item: found if it exists, else started now."""
    existing = Reflection.objects.filter(
        meeting=item.meeting, dilemma=item.dilemma
    ).first()
    if existing is not None:
        return existing
    method = method or item.method
    organisation = item.meeting.organisation
    day = timezone.localtime(
        item.meeting.start, ZoneInfo(organisation.time_zone)
    ).date()
    reflection = Reflection.objects.create(
        organisation=organisation,
        dilemma=item.dilemma,
        meeting=item.meeting,
        method=method,
        method_name=method.name,
        version=version_in_force(organisation, day),
        facilitator=facilitator,
        anonymous_positions=item.dilemma.group.anonymous_positions,
    )
    ReflectionStep.objects.bulk_create(
        ReflectionStep(
            reflection=reflection,
            position=number,
            title=step.title,
            guidance=step.guidance,
            kind=step.kind,
            minutes=step.minutes,
            concludes=step.concludes,
        )
        for number, step in enumerate(method.steps.all(), start=1)
    )
    item.dilemma.set_status(Dilemma.Status.ON_AGENDA)
    return reflection


@transaction.atomic
def pause(*, reflection: Reflection, until: Meeting) -> Reflection:
    """Stop the session here and go on with it in the meeting `until`.

    The reflection and its place on the agenda move to that meeting; the
    meeting it began in is kept, so the record can name both.
    """
    locked = Reflection.objects.select_for_update().get(pk=reflection.pk)
    locked.check_open()
    AgendaItem.objects.filter(meeting=locked.meeting, dilemma=locked.dilemma).update(
        meeting=until
    )
    locked.began_in = locked.began_in or locked.meeting
    locked.meeting = until
    locked.paused = timezone.now()
    locked.save(update_fields=["began_in", "meeting", "paused"])
    return locked


def resume(reflection: Reflection) -> None:
    """Go on with a paused session where the group left it."""
    reflection.paused = None
    reflection.save(update_fields=["paused"])


@transaction.atomic
def sign_off(
    *, reflection: Reflection, by: Membership, conclusion: str, person_present: str = ""
) -> Reflection:
    """Record the conclusion (and whether the person or their representative
    took part) and fix the reflection for good."""
    locked = Reflection.objects.select_for_update().get(pk=reflection.pk)
    locked.check_open()
    locked.conclusion = conclusion
    locked.status = Reflection.Status.SIGNED_OFF
    locked.signed_off = timezone.now()
    locked.signed_off_by = by
    locked.person_present = person_present
    locked.save(
        update_fields=[
            "conclusion",
            "person_present",
            "status",
            "signed_off",
            "signed_off_by",
        ]
    )
    locked.dilemma.set_status(Dilemma.Status.DISCUSSED)
    return locked
