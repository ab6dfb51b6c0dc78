"""Finding identifiers: every detector's findings, overlapping ones merged."""

from __future__ import annotations

import bisect
import itertools
from datetime import date

from dilemmas import guard_names

from . import birth_dates, emails, numbers, phones
from .kinds import (
    DK_CPR,
    LABELS,
    PHONE,
    RANK,
    SE_COORDINATION_NUMBER,
    SE_PERSONAL_NUMBER,
    IdentifierMatch,
)
from .shared import SEPARATORS

_NUMBERS = {SE_PERSONAL_NUMBER, SE_COORDINATION_NUMBER, DK_CPR, PHONE}


def _joined_before(text: str, start: int) -> bool:
    """Whether a number (or a country code's "+") goes on before `start`."""
    gap = start
    while gap > 0 and text[gap - 1] in SEPARATORS:
        gap -= 1
    return 0 < gap < start and (text[gap - 1].isdigit() or text[gap - 1] == "+")


def _candidates(text: str, today: date) -> list[IdentifierMatch]:
    found: list[IdentifierMatch] = []
    for kind, start, end in itertools.chain(
        numbers.find(text, today),
        phones.find(text),
        birth_dates.find(text),
        emails.find(text),
        guard_names.find(text),
    ):
        if kind in _NUMBERS and _joined_before(text, start):
            continue
        found.append(IdentifierMatch(kind, start, end, LABELS[kind]))
    return found


def find_identifiers(text: str, *, today: date | None = None) -> list[IdentifierMatch]:
    """Personal identifiers in `text`, by position, overlapping ones merged.

    `today` decides what "-" and "+" mean in a ten-digit Swedish number.
    """
    if not text:
        return []
    today = today or date.today()
    ranked = sorted(
        _candidates(text, today),
        key=lambda m: (-RANK[m.kind], -(m.end - m.start), m.start),
    )
    # Kept matches never overlap and stay sorted, so a candidate needs only
    # its two neighbours checked: thousands of matches cost no more than few.
    kept: list[IdentifierMatch] = []
    starts: list[int] = []
    for candidate in ranked:
        i = bisect.bisect_left(starts, candidate.start)
        if i > 0 and kept[i - 1].end > candidate.start:
            continue
        if i < len(kept) and kept[i].start < candidate.end:
            continue
        kept.insert(i, candidate)
        starts.insert(i, candidate.start)
    return kept
