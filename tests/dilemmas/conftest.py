from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_group, make_member, make_unit

from .helpers import make_dilemma, make_meeting, start_reflection


@pytest.fixture
def manager(org, unit):
    return make_member(org, "manager", unit=unit, name="Maria Manager")


@pytest.fixture
def facilitator(org, unit):
    return make_member(org, "facilitator", unit=unit, name="Fredrik Facilitator")


@pytest.fixture
def member(org, unit):
    return make_member(org, "staff", unit=unit, name="Maja Member")


@pytest.fixture
def colleague(org, unit):
    return make_member(
        org, "staff", unit=unit, email="colleague@norrby.example", name="Kalle Kollega"
    )


@pytest.fixture
def group(org, unit, facilitator, member, colleague):
    return make_group(
        org, unit, facilitators=[facilitator], members=[member, colleague]
    )


@pytest.fixture
def other_member(org):
    """Staff of the same organisation in another unit's group."""
    other_unit = make_unit(org, "Äldreomsorg")
    person = make_member(
        org, "staff", unit=other_unit, email="other@norrby.example", name="Otto Other"
    )
    make_group(org, other_unit, "Äldregruppen", members=[person])
    return person


@pytest.fixture
def dilemma(group, member):
    return make_dilemma(group, member)


@pytest.fixture
def meeting(group):
    return make_meeting(group, timezone.localdate() + timedelta(days=7))


@pytest.fixture
def reflection(meeting, dilemma, facilitator):
    return start_reflection(meeting, dilemma, facilitator)


@pytest.fixture
def held_reflection(group, dilemma, facilitator):
    """A reflection of a meeting held yesterday: it can be signed off."""
    held = make_meeting(group, timezone.localdate() - timedelta(days=1))
    return start_reflection(held, dilemma, facilitator)
