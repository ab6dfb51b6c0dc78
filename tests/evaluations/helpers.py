"""Evaluation test data: a session that was held and signed off, and answers."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation
from evaluations.questionnaire import ITEMS
from reflections.models import sign_off
from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.factories import make_group, make_member

NAMES = ["Alva", "Bo", "Cecilia", "David", "Ebba", "Filip", "Greta"]


def make_people(org, unit, count: int = 6) -> list:
    return [
        make_member(
            org,
            "staff",
            unit=unit,
            email=f"{name.lower()}@{org.slug}.example",
            name=f"{name} Deltagare",
        )
        for name in NAMES[:count]
    ]


def held_session(org, unit, facilitator, people, *, days_ago: int = 7, **kwargs):
    """A group's meeting `days_ago`, everyone present, its reflection signed off."""
    group = kwargs.pop("group", None) or make_group(
        org,
        unit,
        kwargs.pop("group_name", "Etikgruppen"),
        facilitators=[facilitator],
        members=people,
    )
    meeting = make_meeting(group, timezone.localdate() - timedelta(days=days_ago))
    meeting.record_attendance(kwargs.pop("present", [facilitator, *people]))
    dilemma = make_dilemma(group, people[0], **kwargs)
    reflection = start_reflection(meeting, dilemma, facilitator)
    return sign_off(reflection=reflection, by=facilitator, conclusion="Vi enades.")


def scores(value: int = 3, **overrides) -> dict[str, int]:
    return {item.key: overrides.get(item.key, value) for item in ITEMS}


def answer_all(reflection, people, value: int = 3, comment: str = "") -> None:
    evaluation = Evaluation.for_reflection(reflection)
    for person in people:
        evaluation.record_answer(person, scores=scores(value), comment=comment)


def close(reflection, **kwargs) -> str:
    """Close the session's evaluation now, as its facilitator or its time would."""
    return Evaluation.for_reflection(reflection).close(**kwargs)


def answer_url(reflection) -> str:
    return reverse(
        "evaluations:answer",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
        },
    )


def close_url(reflection) -> str:
    return reverse(
        "evaluations:close",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
        },
    )


def results_url(reflection) -> str:
    return reverse(
        "evaluations:results",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
        },
    )


def form_data(value: int = 3, comment: str = "", **overrides) -> dict[str, str]:
    data = {key: str(v) for key, v in scores(value, **overrides).items()}
    data["comment"] = comment
    return data
