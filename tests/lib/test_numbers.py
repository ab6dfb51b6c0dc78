"""Figures are rounded half away from zero, never cut, in the page's format."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from lib.cldr import month_abbreviation
from lib.numbers import number_text, rounded


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (3.67, 1, "3,7"),
        (11 / 3, 1, "3,7"),
        (3.65, 1, "3,7"),
        (3.64, 1, "3,6"),
        (2.675, 2, "2,68"),
        (85.714, 0, "86"),
        (0.5, 0, "1"),
        (5, 1, "5,0"),
        (-0.05, 1, "-0,1"),
    ],
)
def test_numbers_are_rounded_not_cut(value, places, shown):
    with translation.override("sv"):
        assert number_text(value, places) == shown


def test_rounded_keeps_the_places_asked_for():
    assert rounded(3.6666, 2) == Decimal("3.67")
    assert rounded(Decimal("2.5")) == Decimal("3")


def test_month_abbreviations_follow_the_language():
    march = datetime.date(2026, 3, 1)
    assert [month_abbreviation(march, lang) for lang in ("sv", "da", "en")] == [
        "mars",
        "mar.",
        "Mar",
    ]
    with translation.override("da"):
        assert month_abbreviation(datetime.date(2026, 9, 1)) == "sep."
