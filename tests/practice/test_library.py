"""The built-in library: enough cases, every area, three languages, no identifiers."""

from __future__ import annotations

from collections import Counter

import pytest

from dilemmas.guard import find_identifiers
from practice.library import LANGUAGES, builtin_cases
from practice.models import Area, PracticeCase
from tests.test_no_english_left import ENGLISH

pytestmark = pytest.mark.django_db

CASES = builtin_cases()


def test_at_least_thirty_cases_across_every_area():
    assert len(CASES) >= 30
    per_area = Counter(case.area for case in CASES.values())
    assert set(per_area) == set(Area.values)
    assert min(per_area.values()) >= 4


@pytest.mark.parametrize("key", sorted(CASES))
def test_each_case_is_whole_in_each_language_and_passes_the_guard(key):
    case = CASES[key]
    texts = [case.texts[language] for language in LANGUAGES]
    for text in texts:
        assert text.title and text.situation and text.question and text.note
        assert len(text.tensions) >= 2
        assert text.question.endswith("?")
        fields = [text.title, text.situation, text.question, text.note]
        for field in [*fields, *text.tensions]:
            assert find_identifiers(field) == [], (key, field)
    # The Swedish and Danish texts pass the check that pages have no English.
    for language in ("sv", "da"):
        text = case.texts[language]
        for field in [text.title, text.situation, text.question, text.note]:
            assert not ENGLISH.search(field), (key, language, field)
    # Written in each language, not the same text three times.
    assert len({text.situation for text in texts}) == 3
    assert len({text.question for text in texts}) == 3


def test_seeding_adds_one_row_per_case_once(org):
    PracticeCase.objects.seed_builtin()
    PracticeCase.objects.seed_builtin()
    rows = PracticeCase.objects.filter(organisation__isnull=True)
    assert sorted(rows.values_list("key", flat=True)) == sorted(CASES)
    assert PracticeCase.objects.library_for(org).count() == len(CASES)


def test_a_case_speaks_the_language_asked_for():
    PracticeCase.objects.seed_builtin()
    case = PracticeCase.objects.get(key="older-night-door")
    assert case.text("sv").title == "Dörren på natten"
    assert case.text("da").title == "Døren om natten"
    assert case.text("en").title == "The door at night"
    # A language the library does not have falls back to English.
    assert case.text("fi").title == "The door at night"
