from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from meetings.scheduling import schedule
from tests.factories import make_group, make_member, make_unit


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
def group(org, unit, facilitator, member):
    return make_group(org, unit, facilitators=[facilitator], members=[member])


@pytest.fixture
def other_member(org):
    """Staff in the same organisation, in another unit's group."""
    other_unit = make_unit(org, "Äldreomsorg")
    person = make_member(
        org, "staff", unit=other_unit, email="other@norrby.example", name="Otto Other"
    )
    make_group(org, other_unit, "Äldregruppen", members=[person])
    return person


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    """A date safely in the future on a given weekday (0 = Monday)."""
    day = timezone.localdate() + timedelta(weeks=weeks_ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def meeting(group, manager):
    return schedule(
        group=group,
        created_by=manager,
        title="Etisk reflektion",
        place="Rum 3",
        link="",
        agenda="Ett dilemma om delaktighet\nUppföljning",
        first_date=next_weekday(1),
        start_time=time(13),
        end_time=time(14, 30),
    )


@pytest.fixture
def series_meeting(group, manager):
    """The first of four Thursday meetings, every second week."""
    first = next_weekday(3)
    return schedule(
        group=group,
        created_by=manager,
        title="Etikgruppen",
        place="Rum 3",
        link="",
        agenda="",
        first_date=first,
        start_time=time(13),
        end_time=time(14, 30),
        frequency="weekly",
        interval=2,
        until=first + timedelta(weeks=6),
    )
