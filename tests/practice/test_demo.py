from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from practice.demo import OWN_CASES, load_demo_practice_cases
from practice.library import builtin_cases
from practice.models import PracticeCase
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_demo_gives_own_cases_in_the_organisations_language_once(org, unit):
    facilitator = make_member(org, "facilitator", unit=unit)
    load_demo_practice_cases(org)
    load_demo_practice_cases(org)
    own = PracticeCase.objects.own(org)
    assert sorted(own.values_list("title", flat=True)) == sorted(
        case[1] for case in OWN_CASES["sv"]
    )
    assert {case.created_by for case in own} == {facilitator}
    assert PracticeCase.objects.library_for(org).count() == len(builtin_cases()) + 2


def test_the_demo_holds_one_practice_session(org, unit):
    from reflections.demo import load_demo_practice_session
    from reflections.models import Reflection
    from tests.dilemmas.helpers import make_meeting
    from tests.factories import make_group

    facilitator = make_member(org, "facilitator", unit=unit)
    group = make_group(org, unit, facilitators=[facilitator])
    make_meeting(group, timezone.localdate() - timedelta(days=7))
    load_demo_practice_session(org)
    load_demo_practice_session(org)
    session = Reflection.objects.get(organisation=org)
    assert session.practice_case.key == "older-night-door"
    assert session.is_signed_off
    assert session.conclusion.startswith("Vi övade")
