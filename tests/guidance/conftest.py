from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reflections.models import open_reflection
from tests.dilemmas.helpers import make_dilemma, make_meeting, put_on_agenda
from tests.factories import make_group, make_member


@pytest.fixture
def facilitator(org, unit):
    return make_member(org, "facilitator", unit=unit, name="Fredrik Facilitator")


@pytest.fixture
def group(org, unit, facilitator, staff):
    return make_group(org, unit, facilitators=[facilitator], members=[staff])


@pytest.fixture
def reflection(group, staff, facilitator):
    meeting = make_meeting(group, timezone.localdate() + timedelta(days=7))
    item = put_on_agenda(meeting, make_dilemma(group, staff))
    return open_reflection(item=item, facilitator=facilitator)
