"""What the detectors share: how people set apart the parts of a number, and
whether a day exists."""

from __future__ import annotations

import re
from datetime import date

# Between and inside the parts of a number people type spaces (also the
# non-breaking and thin ones), tabs, dots, slashes and every kind of dash -
# as many as they like - and sometimes break the line once.
DASHES = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2212"
SPACES = " \t\u00a0\u2007\u2009\u202f"
SPACE = f"[{re.escape(SPACES)}]"
SEPARATOR = f"[{re.escape(SPACES + './' + DASHES)}]"
# Possessive: a run of separators is taken whole and never tried shorter, so
# no input makes the detectors' patterns backtrack through it.
GAP = rf"{SEPARATOR}*+(?:\r?\n{SEPARATOR}*+)?+"

# An identifier is not part of a longer number: no digit right before or after
# it, not even across separators ("2024-10-01 - 2024-10-24" is two dates, and
# "00 - 20 - 00 - 00 - 00" a row of scores). The look-behind is the quick
# part of the check before; detect._joined_before() is the rest.
NUMBER_BEFORE = rf"(?<![0-9+])(?<![0-9+]{SEPARATOR})"
NUMBER_AFTER = rf"(?!{SEPARATOR}*+[0-9])"
SEPARATORS = frozenset(SPACES + "./" + DASHES)


def is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
