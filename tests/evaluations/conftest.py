from __future__ import annotations

import pytest

from tests.factories import make_member

from .helpers import held_session, make_people


@pytest.fixture
def facilitator(org, unit):
    return make_member(org, "facilitator", unit=unit, name="Fredrik Facilitator")


@pytest.fixture
def people(org, unit):
    return make_people(org, unit)


@pytest.fixture
def session(org, unit, facilitator, people):
    return held_session(org, unit, facilitator, people)
