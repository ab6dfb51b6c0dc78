"""Opening a reflection from the agenda and signing it off."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from dilemmas.models import Dilemma
from meetings.models import Meeting
from organisations.models import Membership
from practice.models import PracticeCase

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
    reflection = _start(
        meeting=item.meeting,
        method=method or item.method,
        facilitator=facilitator,
        dilemma=item.dilemma,
        anonymous_positions=item.dilemma.group.anonymous_positions,
    )
    item.dilemma.set_status(Dilemma.Status.ON_AGENDA)
    return reflection


@transaction.atomic
def open_practice_reflection(
    *,
    meeting: Meeting,
    case: PracticeCase,
    method: Method,
    facilitator: Membership,
) -> Reflection:
    """A session on a practice case in a meeting: found if it exists, else started."""
    existing = Reflection.objects.filter(meeting=meeting, practice_case=case).first()
    if existing is not None:
        return existing
    return _start(
        meeting=meeting,
        method=method,
        facilitator=facilitator,
        practice_case=case,
        anonymous_positions=meeting.group.anonymous_positions,
    )


def _start(
    *,
    meeting: Meeting,
    method: Method,
    facilitator: Membership,
    anonymous_positions: bool,
    dilemma: Dilemma | None = None,
    practice_case: PracticeCase | None = None,
) -> Reflection:
    """A new reflection with its own copy of the method's steps."""
    organisation = meeting.organisation
    day = timezone.localtime(meeting.start, ZoneInfo(organisation.time_zone)).date()
    reflection = Reflection.objects.create(
        organisation=organisation,
        dilemma=dilemma,
        practice_case=practice_case,
        meeting=meeting,
        method=method,
        method_name=method.name,
        version=version_in_force(organisation, day),
        facilitator=facilitator,
        anonymous_positions=anonymous_positions,
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
            person_view=step.person_view,
        )
        for number, step in enumerate(method.steps.all(), start=1)
    )
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
    if locked.dilemma is not None:
        locked.dilemma.set_status(Dilemma.Status.DISCUSSED)
    return locked
