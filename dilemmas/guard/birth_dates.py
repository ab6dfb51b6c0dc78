"""A date of birth written out, then the last four digits of the number."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .kinds import BIRTH_DIGITS
from .shared import SPACE, is_date

# A date of birth written out and then the last four digits of the number:
# "född 3 mars 1985, sista fyra 1234", "født 3. marts 1985, de sidste fire
# cifre er 1234", "born March 3, 1985; last four digits 1234".
_MONTHS = {
    # Swedish, Danish and English names, and their short forms.
    **dict.fromkeys(["januari", "januar", "january", "jan"], 1),
    **dict.fromkeys(["februari", "februar", "february", "feb"], 2),
    **dict.fromkeys(["mars", "marts", "march", "mar"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["maj", "may"], 5),
    **dict.fromkeys(["juni", "june", "jun"], 6),
    **dict.fromkeys(["juli", "july", "jul"], 7),
    **dict.fromkeys(["augusti", "august", "aug"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "october", "okt", "oct"], 10),
    **dict.fromkeys(["november", "nov"], 11),
    **dict.fromkeys(["december", "dec"], 12),
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_ORDINAL = r"(?:\.|:[ae]|st|nd|rd|th)?"
_BIRTH_DATE = re.compile(
    rf"""
    (?<![\w.-])
    (?:den{SPACE}++)?
    (?:
        (?P<day>{_DAY}){_ORDINAL}{SPACE}*+(?P<month>{_MONTH})\.?{SPACE}++
        (?P<year>[0-9]{{4}}|[0-9]{{2}})
      | (?P<month2>{_MONTH})\.?{SPACE}++(?P<day2>{_DAY}){_ORDINAL},?{SPACE}++
        (?P<year2>[0-9]{{4}})
      | (?P<iso_year>(?:19|20)[0-9]{{2}})-(?P<iso_month>[01][0-9])
        -(?P<iso_day>[0-3][0-9])
      | (?P<num_day>{_DAY})(?P<num_sep>[./-])(?P<num_month>[01]?[0-9])(?P=num_sep)
        (?P<num_year>[0-9]{{4}}|[0-9]{{2}})
    )
    (?:{SPACE}*+[,;:\u2013\u2014-]{SPACE}*+|{SPACE}++)
    (?:(?:och|og|and|med|with){SPACE}++)?
    $
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "The last four" is rare in a text, so it is looked for first, then the date
# just before it; the date's month names would be slow to try everywhere.
_LAST_FOUR = re.compile(
    rf"""
    (?<!\w)(?=[dtslfDTSLF4])
    (?:(?:de|the){SPACE}++)?
    (?:
        (?:sista|sidste|last|final){SPACE}++(?:fyra|fire|four|4)
      | (?:fyra|fire|4){SPACE}++(?:sista|sidste)
    )
    (?:{SPACE}++(?:siffrorna|siffror|siffrona|cifre|cifrene|cifferne|digits|numbers))?
    (?:{SPACE}++(?:är|er|are|is))?
    {SPACE}*+:?{SPACE}*+
    [0-9]{{4}}(?![0-9])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DATE_WINDOW = 60


def _birth_date_before(text: str, start: int) -> re.Match[str] | None:
    """A date of birth that ends right before `start`, with what joins them."""
    window = max(0, start - _DATE_WINDOW)
    date_match = _BIRTH_DATE.search(text, window, start)
    return date_match if date_match and _is_birth_date(date_match) else None


def _is_birth_date(match: re.Match[str]) -> bool:
    if match["day"]:
        day, month = match["day"], _MONTHS[match["month"].casefold()]
        year = match["year"]
    elif match["day2"]:
        day, month = match["day2"], _MONTHS[match["month2"].casefold()]
        year = match["year2"]
    elif match["iso_day"]:
        day, month, year = match["iso_day"], int(match["iso_month"]), match["iso_year"]
    else:
        day, month, year = match["num_day"], int(match["num_month"]), match["num_year"]
    years = [int(year)] if len(year) == 4 else [1900 + int(year), 2000 + int(year)]
    return any(is_date(y, month, int(day)) for y in years)


def find(text: str) -> Iterator[tuple[str, int, int]]:
    """(BIRTH_DIGITS, start, end) of each date of birth followed by the last
    four digits of a personal number."""
    for m in _LAST_FOUR.finditer(text):
        if date_match := _birth_date_before(text, m.start()):
            yield BIRTH_DIGITS, date_match.start(), m.end()
