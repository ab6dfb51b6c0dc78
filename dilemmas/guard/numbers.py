"""Swedish personal identity and co-ordination numbers, Danish CPR numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .kinds import DK_CPR, SE_COORDINATION_NUMBER, SE_PERSONAL_NUMBER
from .shared import DASHES, GAP, NUMBER_AFTER, NUMBER_BEFORE, is_date

_SE_NUMBER = re.compile(
    rf"""
    {NUMBER_BEFORE}
    (?:(?P<century>18|19|20){GAP})?
    (?P<yy>[0-9]{{2}}){GAP}(?P<mm>[0-9]{{2}}){GAP}(?P<dd>[0-9]{{2}})
    (?P<sep>{GAP}(?:\+{GAP})?)
    (?P<serial>[0-9]{{3}})(?P<check>[0-9])
    {NUMBER_AFTER}
    """,
    re.VERBOSE,
)

_DK_CPR = re.compile(
    rf"""
    {NUMBER_BEFORE}
    (?P<dd>[0-9]{{2}}){GAP}(?P<mm>[0-9]{{2}}){GAP}(?P<yy>[0-9]{{2}}){GAP}
    (?P<serial>[0-9]{{4}})
    {NUMBER_AFTER}
    """,
    re.VERBOSE,
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(digits):
        product = int(digit) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def _year_from_separator(yy: int, month: int, day: int, sep: str, today: date) -> int:
    """The birth year a ten-digit Swedish number means, by its separator.

    "-" means the person is under 100 today, "+" that they are 100 or older:
    the latest year ending in `yy` whose birthday is not after today, or the
    year a century before that.
    """
    year = today.year - (today.year - yy) % 100
    if year == today.year and (month, day) > (today.month, today.day):
        year -= 100
    if sep == "+":
        year -= 100
    return year


def _swedish_kind(match: re.Match[str], today: date) -> str | None:
    yy, month, day = int(match["yy"]), int(match["mm"]), int(match["dd"])
    digits = match["yy"] + match["mm"] + match["dd"] + match["serial"] + match["check"]
    if not _luhn_ok(digits):
        return None
    kind = SE_PERSONAL_NUMBER
    if 61 <= day <= 91:
        kind, day = SE_COORDINATION_NUMBER, day - 60
    sep = match["sep"]
    if match["century"]:
        years = [int(match["century"]) * 100 + yy]
    elif "+" in sep or any(ch in DASHES for ch in sep):
        sign = "+" if "+" in sep else "-"
        years = [_year_from_separator(yy, month, day, sign, today)]
    else:
        # Written without "-" or "+", the age is unknown: any century will do
        # (it only matters for 29 February).
        years = [1900 + yy, 2000 + yy]
    if any(is_date(year, month, day) for year in years):
        return kind
    return None


def _danish_century(yy: int, seventh: int) -> int:
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def _is_danish_cpr(match: re.Match[str]) -> bool:
    yy, month, day = int(match["yy"]), int(match["mm"]), int(match["dd"])
    century = _danish_century(yy, int(match["serial"][0]))
    return is_date(century + yy, month, day)


def find(text: str, today: date) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each Swedish personal or co-ordination number and
    each Danish CPR number in `text`."""
    for m in _SE_NUMBER.finditer(text):
        if kind := _swedish_kind(m, today):
            yield kind, m.start(), m.end()
    for m in _DK_CPR.finditer(text):
        # Ten bare digits from 070 are far more often a Swedish mobile number
        # than a CPR number of someone born on the 7th of a month.
        if m.group().startswith("070") and m.group().isdigit():
            continue
        if _is_danish_cpr(m):
            yield DK_CPR, m.start(), m.end()
