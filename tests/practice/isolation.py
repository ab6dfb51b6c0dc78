"""URL argument factories for tests/test_tenant_isolation.py (practice cases).

Each organisation gets one case of its own, created on first use: a built-in case
is shared by every organisation and would have nothing of another to cross.
"""

from __future__ import annotations

from typing import Any

from organisations.models import Organisation
from practice.models import Area, PracticeCase


def case_uuid(org: Organisation) -> Any:
    case = PracticeCase.objects.own(org).first() or PracticeCase.objects.create(
        organisation=org,
        area=Area.HOUSING,
        title=f"Övningsfall {org.slug}",
        situation="En hyresgäst ber boendestödet förvara hans reservnyckel.",
        question="Ska vi ta emot nyckeln eller säga nej?",
        tensions="Hjälpsamhet mot gränser",
        note="Fråga vad nyckeln betyder för honom.",
    )
    return case.uuid


def signed_off_reflection_uuid(org: Organisation) -> Any:
    """Only a signed-off session on a dilemma becomes a practice case."""
    from meetings.models import Meeting
    from organisations.models import Membership, ReflectionGroup
    from reflections.models import Reflection, sign_off
    from tests.dilemmas.helpers import make_dilemma, start_reflection
    from tests.test_tenant_isolation import KWARG_FACTORIES

    group = ReflectionGroup.objects.get(uuid=KWARG_FACTORIES["group_uuid"](org))
    done = Reflection.objects.filter(
        dilemma__group=group, status=Reflection.Status.SIGNED_OFF
    ).first()
    if done is None:
        meeting = Meeting.objects.get(uuid=KWARG_FACTORIES["meeting_uuid"](org))
        author = Membership.objects.get(uuid=KWARG_FACTORIES["member_uuid"](org))
        dilemma = make_dilemma(group, author, title=f"Avslutat {org.slug}")
        reflection = start_reflection(meeting, dilemma, author)
        done = sign_off(reflection=reflection, by=author, conclusion="Klart.")
    return done.uuid


def factories() -> dict[str, Any]:
    return {
        "case_uuid": case_uuid,
        "reflections:practice_from.reflection_uuid": signed_off_reflection_uuid,
    }
