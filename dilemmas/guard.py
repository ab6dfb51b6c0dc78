"""The identifier guard: personal identifiers in case texts, found before saving.

Case texts must be de-identified. This module finds what most often slips
through - Swedish personal identity and co-ordination numbers, Danish CPR
numbers (also as a date of birth and "the last four"), Swedish and Danish
phone numbers and e-mail addresses, however they are written, and (through
guard_names) common names and street addresses - so
that a form can stop the save and say where. It never logs or returns the
matched values: a match is a kind and a position, and messages describe the
place by the words around it. The rules are written up in
docs/identifier-guard.md.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import guard_names

SE_PERSONAL_NUMBER = "se_personal_number"
SE_COORDINATION_NUMBER = "se_coordination_number"
DK_CPR = "dk_cpr"
BIRTH_DIGITS = "birth_date_with_digits"
PHONE = "phone"
EMAIL = "email"
ADDRESS = guard_names.ADDRESS
NAME = guard_names.NAME

LABELS = {
    SE_PERSONAL_NUMBER: _("Swedish personal identity number"),
    SE_COORDINATION_NUMBER: _("Swedish co-ordination number"),
    DK_CPR: _("Danish CPR number"),
    BIRTH_DIGITS: _("date of birth with the last four digits"),
    PHONE: _("phone number"),
    EMAIL: _("e-mail address"),
    ADDRESS: _("street address"),
    NAME: _("personal name"),
}

# One sentence per kind, so that translators can get article and gender right.
SENTENCES = {
    SE_PERSONAL_NUMBER: _("A Swedish personal identity number at %(place)s."),
    SE_COORDINATION_NUMBER: _("A Swedish co-ordination number at %(place)s."),
    DK_CPR: _("A Danish CPR number at %(place)s."),
    BIRTH_DIGITS: _(
        "A date of birth with the last four digits of a personal number at %(place)s."
    ),
    PHONE: _("A phone number at %(place)s."),
    EMAIL: _("An e-mail address at %(place)s."),
    ADDRESS: _("A street address at %(place)s."),
    NAME: _("A personal name at %(place)s."),
}

# When two matches overlap, the more specific one is kept: a number with a
# date and a check digit says more than one with a date only, anything that is
# a personal number is reported as that rather than as a phone number, and a
# street named after someone is reported as the address it is.
_RANK = {
    SE_PERSONAL_NUMBER: 6,
    SE_COORDINATION_NUMBER: 6,
    DK_CPR: 5,
    # The date and the digits together say as much as the number itself.
    BIRTH_DIGITS: 5,
    EMAIL: 4,
    PHONE: 3,
    ADDRESS: 2,
    NAME: 1,
}


@dataclass(frozen=True)
class IdentifierMatch:
    """Where an identifier is in a text; deliberately not what it is."""

    kind: str
    start: int
    end: int
    label: str | Promise = field(compare=False)


# Between and inside the parts of a number people type spaces (also the
# non-breaking and thin ones), tabs, dots, slashes and every kind of dash -
# as many as they like - and sometimes break the line once.
_DASHES = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2212"
_SPACES = " \t\u00a0\u2007\u2009\u202f"
_SP = f"[{re.escape(_SPACES)}]"
_H = f"[{re.escape(_SPACES + './' + _DASHES)}]"
# Possessive: a run of separators is taken whole and never tried shorter, so
# no input makes the patterns below backtrack through it.
_GAP = rf"{_H}*+(?:\r?\n{_H}*+)?+"

# An identifier is not part of a longer number: no digit right before or after
# it, not even across separators ("2024-10-01 - 2024-10-24" is two dates, and
# "00 - 20 - 00 - 00 - 00" a row of scores). The look-behind is the quick
# part of the check before; _joined_before() is the rest.
_NUMBER_BEFORE = rf"(?<![0-9+])(?<![0-9+]{_H})"
_NUMBER_AFTER = rf"(?!{_H}*+[0-9])"
_SEPARATORS = frozenset(_SPACES + "./" + _DASHES)
_NUMBERS = {SE_PERSONAL_NUMBER, SE_COORDINATION_NUMBER, DK_CPR, PHONE}

_SE_NUMBER = re.compile(
    rf"""
    {_NUMBER_BEFORE}
    (?:(?P<century>18|19|20){_GAP})?
    (?P<yy>[0-9]{{2}}){_GAP}(?P<mm>[0-9]{{2}}){_GAP}(?P<dd>[0-9]{{2}})
    (?P<sep>{_GAP}(?:\+{_GAP})?)
    (?P<serial>[0-9]{{3}})(?P<check>[0-9])
    {_NUMBER_AFTER}
    """,
    re.VERBOSE,
)

_DK_CPR = re.compile(
    rf"""
    {_NUMBER_BEFORE}
    (?P<dd>[0-9]{{2}}){_GAP}(?P<mm>[0-9]{{2}}){_GAP}(?P<yy>[0-9]{{2}}){_GAP}
    (?P<serial>[0-9]{{4}})
    {_NUMBER_AFTER}
    """,
    re.VERBOSE,
)

# Digits in groups joined by separators, a few more than any number has; the
# rules below decide how many of the groups make the number. `_MORE` follows
# a first digit.
_MORE = rf"[0-9]*+(?:{_GAP}[0-9]++){{0,8}}+"
_PHONE_BEFORE = rf"(?<![\w+])(?<![0-9+]{_H})"

# A Swedish number written nationally: area code with its leading 0 (08, 013,
# 0771, 070), then the subscriber number.
_SE_PHONE = re.compile(
    rf"""
    {_PHONE_BEFORE}
    (?:
        \({_SP}*+(?P<parea>0[1-9][0-9]{{0,2}}){_SP}*+\){_GAP}
      | (?P<area>0[1-9][0-9]{{0,2}})(?P<sep>{_GAP})
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
        \({_SP}*+(?:\+|00){_SP}*+(?P<pcc>46|45){_SP}*+\)
      | (?:\+|00){_SP}*+(?P<cc>46|45)
    )
    (?P<zero>{_GAP}\({_SP}*+0{_SP}*+\))?
    {_GAP}
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
    [2-9][0-9](?P<gap1>{_GAP})[0-9]{{2}}(?P<gap2>{_GAP})[0-9]{{2}}(?P<gap3>{_GAP})
    [0-9]{{2}}
    {_NUMBER_AFTER}
    """,
    re.VERBOSE,
)

# Eight bare digits are as often a date or a case number as a phone number;
# only a word such as "tlf" or "mobil" in front of them makes them a phone.
_PHONE_AFTER_WORD = re.compile(
    rf"""
    \b(?:tlf|tel|telefon|telefonnummer|telefonnr|mobil|mobilnummer|mobilnr|mob)
    \.?{_SP}*+(?:nr\.?{_SP}*+)?:?{_SP}*+
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
    rf"{_PHONE_BEFORE}[2-9][0-9]{{3}}{_SP}++[0-9]{{4}}{_NUMBER_AFTER}"
)
_CALLED_BEFORE = re.compile(
    rf"""
    \b(?:{_CALL_WORDS})(?:{_SP}++(?:{_CALL_WHOM}))?
    (?:{_SP}++(?:til|till|på|via))?(?:{_SP}*+:)?{_SP}++$
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ALONE_AFTER = re.compile(rf"{_SP}*+[.,;!]?{_SP}*+(?:\r?\n|$)")
_YEAR = re.compile("(?:19|20)[0-9]{2}")

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
    (?:den{_SP}++)?
    (?:
        (?P<day>{_DAY}){_ORDINAL}{_SP}*+(?P<month>{_MONTH})\.?{_SP}++
        (?P<year>[0-9]{{4}}|[0-9]{{2}})
      | (?P<month2>{_MONTH})\.?{_SP}++(?P<day2>{_DAY}){_ORDINAL},?{_SP}++
        (?P<year2>[0-9]{{4}})
      | (?P<iso_year>(?:19|20)[0-9]{{2}})-(?P<iso_month>[01][0-9])
        -(?P<iso_day>[0-3][0-9])
      | (?P<num_day>{_DAY})(?P<num_sep>[./-])(?P<num_month>[01]?[0-9])(?P=num_sep)
        (?P<num_year>[0-9]{{4}}|[0-9]{{2}})
    )
    (?:{_SP}*+[,;:\u2013\u2014-]{_SP}*+|{_SP}++)
    (?:(?:och|og|and|med|with){_SP}++)?
    $
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "The last four" is rare in a text, so it is looked for first, then the date
# just before it; the date's month names would be slow to try everywhere.
_LAST_FOUR = re.compile(
    rf"""
    (?<!\w)(?=[dtslfDTSLF4])
    (?:(?:de|the){_SP}++)?
    (?:
        (?:sista|sidste|last|final){_SP}++(?:fyra|fire|four|4)
      | (?:fyra|fire|4){_SP}++(?:sista|sidste)
    )
    (?:{_SP}++(?:siffrorna|siffror|siffrona|cifre|cifrene|cifferne|digits|numbers))?
    (?:{_SP}++(?:är|er|are|is))?
    {_SP}*+:?{_SP}*+
    [0-9]{{4}}(?![0-9])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DATE_WINDOW = 60

_EMAIL = re.compile(
    r"""
    (?<![\w.+-])
    [\w+-](?:[\w.+-]*[\w+-])?
    @
    [^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.[^\W\d_]{2,}
    (?![\w-])
    """,
    re.VERBOSE,
)

# E-mail written around spam filters: anna(at)norrby.se, anna [at] norrby
# [dot] se, anna @ norrby.se, anna.berg at norrby dot se.
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT = rf"{_SP}*+(?:@|{_OPEN}{_SP}*+(?i:at){_SP}*+{_CLOSE}){_SP}*+"
_DOT_WORDS = "(?i:dot|punkt|punktum|prik|prick)"
_DOT_WORD = (
    rf"{_SP}*+{_OPEN}{_SP}*+{_DOT_WORDS}{_SP}*+{_CLOSE}{_SP}*+"
    rf"|{_SP}++(?i:dot){_SP}++"
)
_LABEL = r"[^\W_][\w-]*+"
_EMAIL_SPELLED = re.compile(
    rf"""
    (?<![\w.+-])
    (?P<local>[\w+-]++(?:\.[\w+-]++)*+)
    (?:{_AT}|(?P<bare_at>{_SP}++(?i:at){_SP}++))
    {_LABEL}(?:(?:\.|{_DOT_WORD}){_LABEL})*(?:\.|{_DOT_WORD})(?P<tld>[^\W\d_]{{2,}})
    (?![\w-])
    """,
    re.VERBOSE,
)
_DOT_WORD_ALONE = re.compile(_DOT_WORD)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(digits):
        product = int(digit) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


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
    elif "+" in sep or any(ch in _DASHES for ch in sep):
        sign = "+" if "+" in sep else "-"
        years = [_year_from_separator(yy, month, day, sign, today)]
    else:
        # Written without "-" or "+", the age is unknown: any century will do
        # (it only matters for 29 February).
        years = [1900 + yy, 2000 + yy]
    if any(_is_date(year, month, day) for year in years):
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
    return _is_date(century + yy, month, day)


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


_DIGIT_GROUP = re.compile("[0-9]+")


def _groups(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(_DIGIT_GROUP.finditer(text, start, end))


def _style(gap: str) -> str | None:
    """How a gap between two groups is written: "-", ".", " " or "/".

    A gap with a line break in it fits any style: the line was simply full.
    """
    if "\n" in gap:
        return None
    marks = {ch for ch in gap if ch not in _SPACES}
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
            and _is_date(int(groups[1][0]), int(groups[0][0]), int(area))
        ):
            return None
        # "08 10 12 14" and "08-10-12-14" are rows of small numbers (times,
        # scores, dates) unless the area code is set off as Swedes do it:
        # 08-10 12 14, 08/10 12 14.
        set_off = bool(set(area_gap) & set("/" + _DASHES)) and _style(area_gap) not in {
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
    while before > 0 and text[before - 1] in _SPACES:
        before -= 1
    if (before == 0 or text[before - 1] == "\n") and _ALONE_AFTER.match(text, end):
        return True
    return bool(_CALLED_BEFORE.search(text, max(before - 40, 0), start))


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
    return any(_is_date(y, month, int(day)) for y in years)


def _after_word_end(text: str, match: re.Match[str]) -> int | None:
    groups = _take(_groups(text, *match.span("number")), 8)
    if sum(len(g[0]) for g in groups) != 8:
        return None
    return groups[-1].end()


# Written around spam filters, an address is told from a sentence by its
# ending: "at ringe dot ikke" is Danish, not an address.
_TOP_LEVEL_DOMAINS = {
    *("se", "dk", "nu", "no", "fi", "is", "fo", "gl", "ax", "eu", "de", "uk"),
    *("nl", "com", "net", "org", "info", "biz", "io", "me", "app", "online"),
}


def _is_spelled_email(match: re.Match[str]) -> bool:
    """An address written around spam filters, told from everyday words.

    It ends in a known top-level domain. Danish "at" is an everyday word
    ("husk at borger.dk ..."): with a bare " at " the address must also spell
    its dots, or have a dot, digit or underscore in its name.
    """
    if match["tld"].casefold() not in _TOP_LEVEL_DOMAINS:
        return False
    if not match["bare_at"]:
        return True
    domain = match.string[match.end("bare_at") : match.end()]
    return bool(_DOT_WORD_ALONE.search(domain)) or any(
        ch in "._" or ch.isdigit() for ch in match["local"]
    )


def _joined_before(text: str, start: int) -> bool:
    """Whether a number (or a country code's "+") goes on before `start`."""
    gap = start
    while gap > 0 and text[gap - 1] in _SEPARATORS:
        gap -= 1
    return 0 < gap < start and (text[gap - 1].isdigit() or text[gap - 1] == "+")


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


def _candidates(text: str, today: date) -> list[IdentifierMatch]:
    found: list[IdentifierMatch] = []

    def add(kind: str, start: int, end: int) -> None:
        if kind in _NUMBERS and _joined_before(text, start):
            return
        found.append(IdentifierMatch(kind, start, end, LABELS[kind]))

    for m in _SE_NUMBER.finditer(text):
        if kind := _swedish_kind(m, today):
            add(kind, m.start(), m.end())
    for m in _DK_CPR.finditer(text):
        # Ten bare digits from 070 are far more often a Swedish mobile number
        # than a CPR number of someone born on the 7th of a month.
        if m.group().startswith("070") and m.group().isdigit():
            continue
        if _is_danish_cpr(m):
            add(DK_CPR, m.start(), m.end())
    for start, end in _numbers(_SE_PHONE, text, _swedish_phone_end):
        add(PHONE, start, end)
    for start, end in _numbers(_INTERNATIONAL_PHONE, text, _international_phone_end):
        add(PHONE, start, end)
    for m in _DK_PHONE_PAIRS.finditer(text):
        if _is_danish_pairs(text, m):
            add(PHONE, m.start(), m.end())
    for m in _PHONE_AFTER_WORD.finditer(text):
        if number_end := _after_word_end(text, m):
            add(PHONE, m.start("number"), number_end)
    for m in _DK_PHONE_FOURS.finditer(text):
        if _is_danish_fours(text, m):
            add(PHONE, *m.span())
    for m in _LAST_FOUR.finditer(text):
        if date_match := _birth_date_before(text, m.start()):
            add(BIRTH_DIGITS, date_match.start(), m.end())
    for m in _EMAIL.finditer(text):
        add(EMAIL, m.start(), m.end())
    for m in _EMAIL_SPELLED.finditer(text):
        if _is_spelled_email(m):
            add(EMAIL, m.start(), m.end())
    for kind, start, end in guard_names.find(text):
        add(kind, start, end)
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
        key=lambda m: (-_RANK[m.kind], -(m.end - m.start), m.start),
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


_CONTEXT_WORDS = 4
_CONTEXT_CHARS = 40
# Context is looked for this far from a match, however long the line.
_CONTEXT_WINDOW = 200


def _masked(text: str, start: int, end: int, ordered: list[IdentifierMatch]) -> str:
    """text[start:end] with every identifier in it replaced by "[…]".

    `ordered` is sorted by position and never overlaps itself.
    """
    pieces, position = [], start
    first = bisect.bisect_right(ordered, start, key=lambda m: m.end)
    for m in (ordered[i] for i in range(first, len(ordered))):
        if m.start >= end:
            break
        if m.end <= start:
            continue
        pieces.append(text[position : max(m.start, position)])
        pieces.append("[…]")
        position = max(position, min(m.end, end))
    pieces.append(text[position:end])
    return "".join(pieces)


def _context(words: list[str], *, from_end: bool, more: bool) -> str:
    chosen = words[-_CONTEXT_WORDS:] if from_end else words[:_CONTEXT_WORDS]
    snippet = " ".join(chosen)
    if len(snippet) > _CONTEXT_CHARS:
        snippet = (
            snippet[-_CONTEXT_CHARS:].lstrip()
            if from_end
            else snippet[:_CONTEXT_CHARS].rstrip()
        )
        chosen = []  # cut: always mark it
    if more or len(chosen) < len(words):
        snippet = f"…{snippet}" if from_end else f"{snippet}…"
    return snippet


def describe(text: str, matches: list[IdentifierMatch]) -> list[str]:
    """One message per match, saying where it is without repeating it."""
    ordered = sorted(matches, key=lambda m: m.start)
    line_breaks = [m.start() for m in re.finditer("\n", text)]
    messages = []
    for match in matches:
        line = bisect.bisect_left(line_breaks, match.start)
        line_start = line_breaks[line - 1] + 1 if line else 0
        line_end = line_breaks[line] if line < len(line_breaks) else len(text)
        place: dict[str, int | str] = {
            "line": line + 1,
            "first": match.start - line_start + 1,
            "last": match.end - line_start,
        }
        since = max(line_start, match.start - _CONTEXT_WINDOW)
        until = min(line_end, match.end + _CONTEXT_WINDOW)
        before = _masked(text, since, match.start, ordered).split()
        after = _masked(text, match.end, until, ordered).split()
        if before:
            place["context"] = _context(before, from_end=True, more=since > line_start)
            where = gettext(
                "line %(line)d, characters %(first)d–%(last)d (after “%(context)s”)"
            )
        elif after:
            place["context"] = _context(after, from_end=False, more=until < line_end)
            where = gettext(
                "line %(line)d, characters %(first)d–%(last)d (before “%(context)s”)"
            )
        else:
            where = gettext("line %(line)d, characters %(first)d–%(last)d")
        messages.append(str(SENTENCES[match.kind]) % {"place": where % place})
    return messages


# A pasted list of contacts would otherwise bury the form in messages.
_MESSAGES_PER_FIELD = 10


class OverrideRecord(TypedDict):
    """What a form records when saved anyway: never the identifiers themselves."""

    reason: str
    kinds: list[str]
    fields: list[str]


# The mixin goes on forms; the checker sees it as one.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class IdentifierGuardMixin(_FormBase):
    """Stops a form from saving personal identifiers in `guarded_fields`.

    The form gets a `save_anyway_reason` field. With identifiers and no
    reason, each guarded field that has them gets an error saying where; with a
    reason, the form is valid and `guard_override` holds what to record
    (reason, kinds of identifier, field names - never the values). Without
    identifiers `guard_override` is None.
    """

    guarded_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard_override: OverrideRecord | None = None
        self.identifier_matches: dict[str, list[IdentifierMatch]] = {}
        self.fields.setdefault(
            "save_anyway_reason",
            forms.CharField(
                label=_("Reason for saving anyway"),
                help_text=_(
                    "Only if the text must keep what was found. The reason is "
                    "recorded; the identifier is not."
                ),
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            ),
        )
        # The reason is asked for only once something was found (or given).
        field_name = self.add_prefix("save_anyway_reason")
        if not (self.is_bound and (self.data.get(field_name) or "").strip()):
            self.fields["save_anyway_reason"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        if cleaned_data is None:  # A clean() may change cleaned_data in place.
            cleaned_data = self.cleaned_data
        self.guard_override = None
        self.identifier_matches = {}
        for name in self.guarded_fields:
            value = cleaned_data.get(name)
            if isinstance(value, str) and (matches := find_identifiers(value)):
                self.identifier_matches[name] = matches
        if not self.identifier_matches:
            return cleaned_data

        self.fields["save_anyway_reason"].widget = forms.Textarea(attrs={"rows": 2})
        reason = (cleaned_data.get("save_anyway_reason") or "").strip()
        if reason and find_identifiers(reason):
            self.add_error(
                "save_anyway_reason",
                ValidationError(
                    _("Leave the identifier itself out of the reason."),
                    code="identifier",
                ),
            )
            reason = ""
        if reason:
            kinds: list[str] = []
            for matches in self.identifier_matches.values():
                kinds.extend(m.kind for m in matches if m.kind not in kinds)
            self.guard_override = {
                "reason": reason,
                "kinds": kinds,
                "fields": list(self.identifier_matches),
            }
            return cleaned_data

        for name, matches in self.identifier_matches.items():
            text = cleaned_data[name]
            errors = [
                ValidationError(
                    _(
                        "This text seems to contain something that identifies a "
                        "person. Remove it, or give a reason to save anyway."
                    ),
                    code="identifier",
                )
            ]
            # Described together, so that every match is masked in the
            # context of the others, then cut.
            messages = describe(text, matches)
            errors += [
                ValidationError(message, code="identifier")
                for message in messages[:_MESSAGES_PER_FIELD]
            ]
            if hidden := len(messages[_MESSAGES_PER_FIELD:]):
                errors.append(
                    ValidationError(
                        ngettext(
                            "And %(count)d more place like these.",
                            "And %(count)d more places like these.",
                            hidden,
                        )
                        % {"count": hidden},
                        code="identifier",
                    )
                )
            self.add_error(name, errors)
        if not self.has_error("save_anyway_reason"):
            self.add_error(
                "save_anyway_reason",
                ValidationError(
                    _(
                        "To save anyway, say why (the identifier itself is not "
                        "recorded)."
                    ),
                    code="reason_required",
                ),
            )
        return cleaned_data
