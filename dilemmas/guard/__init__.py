"""The identifier guard: personal identifiers in case texts, found before saving.

Case texts must be de-identified. This package finds what most often slips
through - Swedish personal identity and co-ordination numbers, Danish CPR
numbers (also as a date of birth and "the last four"), Swedish and Danish
phone numbers and e-mail addresses, however they are written, and (through
guard_names) common names and street addresses - so
that a form can stop the save and say where. It never logs or returns the
matched values: a match is a kind and a position, and messages describe the
place by the words around it. The rules are written up in
docs/identifier-guard.md.

The package: `kinds` (what is found, named for people), the detectors
(`numbers`, `phones`, `birth_dates`, `emails`, and `dilemmas.guard_names` for
names and addresses), `detect` (find_identifiers, which merges their findings),
`messages` (describe) and `form` (IdentifierGuardMixin). Import from
`dilemmas.guard`.
"""

from __future__ import annotations

from .detect import find_identifiers
from .form import IdentifierGuardMixin, OverrideRecord
from .kinds import (
    ADDRESS,
    BIRTH_DIGITS,
    DK_CPR,
    EMAIL,
    LABELS,
    NAME,
    PHONE,
    SE_COORDINATION_NUMBER,
    SE_PERSONAL_NUMBER,
    SENTENCES,
    IdentifierMatch,
)
from .messages import describe

__all__ = [
    "ADDRESS",
    "BIRTH_DIGITS",
    "DK_CPR",
    "EMAIL",
    "LABELS",
    "NAME",
    "PHONE",
    "SENTENCES",
    "SE_COORDINATION_NUMBER",
    "SE_PERSONAL_NUMBER",
    "IdentifierGuardMixin",
    "IdentifierMatch",
    "OverrideRecord",
    "describe",
    "find_identifiers",
]
