from __future__ import annotations

import pytest

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
