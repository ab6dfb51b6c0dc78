"""Swedish and Danish phone numbers, however they are written."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from .kinds import PHONE
from .shared import DASHES, GAP, NUMBER_AFTER, SEPARATOR, SPACE, SPACES, is_date

# Digits in groups joined by separators, a few more than any number has; the
# rules below decide how many of the groups make the number. `_MORE` follows
# a first digit.
_MORE = rf"[0-9]*+(?:{GAP}[0-9]++){{0,8}}+"
_PHONE_BEFORE = rf"(?<![\w+])(?<![0-9+]{SEPARATOR})"

# A Swedish number written nationally: area code with its leading 0 (08, 013,
# 0771, 070), then the subscriber number.
_SE_PHONE = re.compile(
    rf"""
    {_PHONE_BEFORE}
    (?:
        \({SPACE}*+(?P<parea>0[1-9][0-9]{{0,2}}){SPACE}*+\){GAP}
      | (?P<area>0[1-9][0-9]{{0,2}})(?P<sep>{GAP})
    )
    (?P<subscriber>[1-9]{_MORE})
    """,
    re.VERBOSE,
)

# Swedish or Danish numbers with the country code: +46 70 123 45 67,
# +46 (0)8-123 456 78, (+46) 70-123 45 67, 0045 23 45 67 89.
_INTERNATIONAL_PHONE = re.compile(
    rf"""
    {_PHONE_BEFORE}
    (?:
        \({SPACE}*+(?:\+|00){SPACE}*+(?P<pcc>46|45){SPACE}*+\)
      | (?:\+|00){SPACE}*+(?P<cc>46|45)
    )
    (?P<zero>{GAP}\({SPACE}*+0{SPACE}*+\))?
    {GAP}
    (?P<number>[0-9]{_MORE})
    """,
    re.VERBOSE,
)

# A Danish number as Danes write it, in pairs: 23 45 67 89, 23-45-67-89. No
# Danish subscriber number starts with 0 or 1 (the numbering plan keeps them
# for short codes), which keeps "08 10 12 14" and "12 14 17 19" out.
_DK_PHONE_PAIRS = re.compile(
    rf"""
    {_PHONE_BEFORE}
    [2-9][0-9](?P<gap1>{GAP})[0-9]{{2}}(?P<gap2>{GAP})[0-9]{{2}}(?P<gap3>{GAP})
    [0-9]{{2}}
    {NUMBER_AFTER}
    """,
    re.VERBOSE,
)

# Eight bare digits are as often a date or a case number as a phone number;
# only a word such as "tlf" or "mobil" in front of them makes them a phone.
_PHONE_AFTER_WORD = re.compile(
    rf"""
    \b(?:tlf|tel|telefon|telefonnummer|telefonnr|mobil|mobilnummer|mobilnr|mob)
    \.?{SPACE}*+(?:nr\.?{SPACE}*+)?:?{SPACE}*+
    (?P<number>[1-9]{_MORE})
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Two groups of four (2345 6789) are a Danish number where nothing else is on
# the line, or after a word about calling ("ring til", "træffes på"). In a
# sentence they are as often two years, amounts or a case number, and a date
# after "ringde" (2024-03-01) is no number at all: only this shape counts.
_CALL_WORDS = (
    "ring|ringa|ringe|ringer|ringde|ringede|ringt|ringes|sms|smsa|sms:a|sms'e"
    "|nås|træffes|treffes|kontaktes"
)
_CALL_WHOM = "henne|honom|hende|ham|dem|mig|mej|os|oss"
# The number is looked for first (it starts with a digit, which is quick to
# rule out), then what stands before it on its line.
_DK_PHONE_FOURS = re.compile(
    rf"{_PHONE_BEFORE}[2-9][0-9]{{3}}{SPACE}++[0-9]{{4}}{NUMBER_AFTER}"
)
_CALLED_BEFORE = re.compile(
    rf"""
    \b(?:{_CALL_WORDS})(?:{SPACE}++(?:{_CALL_WHOM}))?
    (?:{SPACE}++(?:til|till|på|via))?(?:{SPACE}*+:)?{SPACE}++$
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ALONE_AFTER = re.compile(rf"{SPACE}*+[.,;!]?{SPACE}*+(?:\r?\n|$)")
_YEAR = re.compile("(?:19|20)[0-9]{2}")


_DIGIT_GROUP = re.compile("[0-9]+")


def _groups(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(_DIGIT_GROUP.finditer(text, start, end))


def _style(gap: str) -> str | None:
    """How a gap between two groups is written: "-", ".", " " or "/".

    A gap with a line break in it fits any style: the line was simply full.
    """
    if "\n" in gap:
        return None
    marks = {ch for ch in gap if ch not in SPACES}
    return "".join(sorted(marks)) or " "


def _same_style(gaps: list[str]) -> bool:
    return len({_style(gap) for gap in gaps} - {None}) <= 1


def _take(groups: list[re.Match[str]], at_most: int) -> list[re.Match[str]]:
    """The leading groups with at most `at_most` digits between them.

    Groups that follow a complete number ("070-123 45 67 2019") are not part
    of it.
    """
    taken, count = [], 0
    for group in groups:
        count += len(group[0])
        if count > at_most:
            break
        taken.append(group)
    return taken


def _gaps(text: str, groups: list[re.Match[str]]) -> list[str]:
    return [text[a.end() : b.start()] for a, b in itertools.pairwise(groups)]


def _swedish_phone_end(text: str, match: re.Match[str]) -> int | None:
    """Where a Swedish number ends, or None if it is not one."""
    area = match["parea"] or match["area"]
    written_apart = bool(match["parea"] or match["sep"])
    # An area code written apart is 08 or has three or four digits (013, 0771).
    if written_apart and len(area) == 2 and area != "08":
        return None
    groups = _take(_groups(text, *match.span("subscriber")), 10 - len(area))
    if len(area) + sum(len(g[0]) for g in groups) < 8:
        return None
    # Subscriber numbers are written in groups of two to four: "070 - 1 - 070"
    # is something else.
    if len(groups) > 1 and min(len(g[0]) for g in groups) < 2:
        return None
    # The subscriber number is grouped one way throughout: "08.30-12.00" is a
    # time, not a number.
    if not _same_style(_gaps(text, groups)):
        return None
    sizes = [len(g[0]) for g in groups]
    area_gap = match["sep"] or ""
    if len(area) == 2 and not match["parea"]:
        # 08-12-2024 and 08.12.2024 are dates.
        if (
            sizes == [2, 4]
            and _style(area_gap) == _style(_gaps(text, groups)[0])
            and is_date(int(groups[1][0]), int(groups[0][0]), int(area))
        ):
            return None
        # "08 10 12 14" and "08-10-12-14" are rows of small numbers (times,
        # scores, dates) unless the area code is set off as Swedes do it:
        # 08-10 12 14, 08/10 12 14.
        set_off = bool(set(area_gap) & set("/" + DASHES)) and _style(area_gap) not in {
            _style(gap) for gap in _gaps(text, groups)
        }
        if set(sizes) == {2} and not set_off:
            return None
    return groups[-1].end()


def _international_phone_end(text: str, match: re.Match[str]) -> int | None:
    groups = _groups(text, *match.span("number"))
    if match["pcc"] == "45" or match["cc"] == "45":
        groups = _take(groups, 8)
        if sum(len(g[0]) for g in groups) != 8 or text[groups[0].start()] == "0":
            return None
        return groups[-1].end()
    # "+46 070-123 45 67": the national 0 is often kept by mistake.
    first = text[groups[0].start()]
    leading_zero = first == "0" and not match["zero"]
    if first == "0" and not leading_zero:
        return None
    groups = _take(groups, 9 + leading_zero)
    if not 7 <= sum(len(g[0]) for g in groups) - leading_zero <= 9:
        return None
    return groups[-1].end()


# Pairs after these words are registration numbers, scores or times:
# "CVR 29 18 94 04", "SDQ-poäng 22 24 27 29", "Mødetider: 20 21 22 23".
_NOT_PHONE_WORDS = (
    "cvr",
    "se-nr",
    "p-nr",
    "konto",
    "kontonr",
    "reg",
    "poäng",
    "point",
    "score",
    "scores",
    "tider",
    "kl",
    "klockan",
)
_WORD_BEFORE = re.compile(r"([\w-]+)[\W_]{0,4}$")


def _is_danish_pairs(text: str, match: re.Match[str]) -> bool:
    gaps = [match["gap1"], match["gap2"], match["gap3"]]
    # Bare eight digits or 2345 6789 are found only after a word like "tlf";
    # pairs are written with the same separator throughout: "20.00-22.30" is
    # a time.
    if not (all(gaps) and _same_style(gaps)):
        return False
    before = _WORD_BEFORE.search(text, max(0, match.start() - 30), match.start())
    return not (before and before[1].casefold().endswith(_NOT_PHONE_WORDS))


def _is_danish_fours(text: str, match: re.Match[str]) -> bool:
    """Two groups of four alone on a line or after a word about calling."""
    # "2019 2023" is a pair of years.
    if all(_YEAR.fullmatch(group) for group in match[0].split()):
        return False
    start, end = match.span()
    before = start
    while before > 0 and text[before - 1] in SPACES:
        before -= 1
    if (before == 0 or text[before - 1] == "\n") and _ALONE_AFTER.match(text, end):
        return True
    return bool(_CALLED_BEFORE.search(text, max(before - 40, 0), start))


def _after_word_end(text: str, match: re.Match[str]) -> int | None:
    groups = _take(_groups(text, *match.span("number")), 8)
    if sum(len(g[0]) for g in groups) != 8:
        return None
    return groups[-1].end()


def _numbers(
    pattern: re.Pattern[str],
    text: str,
    end_of: Callable[[str, re.Match[str]], int | None],
) -> Iterator[tuple[int, int]]:
    """(start, end) of each number `pattern` finds and `end_of` accepts.

    A match may run on past the number (into the next line's number, in a
    list of them): the search goes on where the accepted number ends.
    """
    position = 0
    while match := pattern.search(text, position):
        if end := end_of(text, match):
            yield match.start(), end
            position = end
        else:
            position = match.start() + 1


def find(text: str) -> Iterator[tuple[str, int, int]]:
    """(PHONE, start, end) of each Swedish or Danish phone number in `text`."""
    for start, end in _numbers(_SE_PHONE, text, _swedish_phone_end):
        yield PHONE, start, end
    for start, end in _numbers(_INTERNATIONAL_PHONE, text, _international_phone_end):
        yield PHONE, start, end
    for m in _DK_PHONE_PAIRS.finditer(text):
        if _is_danish_pairs(text, m):
            yield PHONE, m.start(), m.end()
    for m in _PHONE_AFTER_WORD.finditer(text):
        if number_end := _after_word_end(text, m):
            yield PHONE, m.start("number"), number_end
    for m in _DK_PHONE_FOURS.finditer(text):
        if _is_danish_fours(text, m):
            yield PHONE, *m.span()
