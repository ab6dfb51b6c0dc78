"""The identifier guard: what it catches, what it leaves alone, how a form uses it.

The generators below build numbers from the published rules (Skatteverket's
Luhn check and date rules, the CPR office's century table) independently of
dilemmas.guard, so that a shared mistake cannot make the tests pass.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django import forms
from django.utils import translation
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dilemmas.guard import IdentifierGuardMixin, describe, find_identifiers

# "-" and "+" in a ten-digit Swedish number are relative to this day.
TODAY = date(2025, 6, 15)
HUNDRED_YEARS_AGO = date(1925, 6, 15)
SWEDISH = {"se_personal_number", "se_coordination_number"}

FAST = settings(max_examples=200, deadline=None)

BEFORE = st.sampled_from(
    ["", "Pnr: ", "(", "Mammans nummer är ", "Personnummer:\n", "se «", "x, "]
)
AFTER = st.sampled_from(["", ".", ")", ", och sedan", "»", "\nNästa rad", ";"])


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def luhn_digit(nine: str) -> str:
    """The check digit that completes `nine` (Skatteverket's weights 2, 1, 2…)."""
    total = 0
    for weight, digit in zip([2, 1] * 5, nine, strict=False):
        total += sum(divmod(weight * int(digit), 10))
    return str(-total % 10)


def luhn_ok(ten: str) -> bool:
    return luhn_digit(ten[:9]) == ten[9]


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def kinds(text: str) -> set[str]:
    return {m.kind for m in find_identifiers(text, today=TODAY)}


def found(text: str) -> list[tuple[str, str]]:
    return [
        (m.kind, text[m.start : m.end]) for m in find_identifiers(text, today=TODAY)
    ]


# Swedish personal identity and co-ordination numbers


@st.composite
def swedish_numbers(draw, *, coordination: bool = False) -> str:
    """A valid number, in any of the forms people write it in."""
    form = draw(st.sampled_from(["12", "12-", "12 ", "10", "10 ", "10-", "10+"]))
    if form == "10-":
        born = draw(st.dates(HUNDRED_YEARS_AGO + timedelta(days=1), TODAY))
    elif form == "10+":
        born = draw(st.dates(date(1858, 1, 1), HUNDRED_YEARS_AGO))
    else:
        born = draw(st.dates(date(1858, 1, 1), TODAY))
    day = born.day + 60 if coordination else born.day
    nine = f"{born:%y%m}{day:02}{draw(st.integers(0, 999)):03}"
    number = nine + luhn_digit(nine)
    sep = form[2:]
    if form.startswith("12"):
        return f"{born.year // 100}{number[:6]}{sep}{number[6:]}"
    return f"{number[:6]}{sep}{number[6:]}"


@FAST
@given(swedish_numbers(), BEFORE, AFTER)
def test_every_valid_swedish_personal_number_is_caught(number, before, after):
    text = before + number + after
    [match] = find_identifiers(text, today=TODAY)
    assert match.kind == "se_personal_number"
    assert (match.start, match.end) == (len(before), len(before) + len(number))


@FAST
@given(swedish_numbers(coordination=True), BEFORE, AFTER)
def test_every_valid_coordination_number_is_caught(number, before, after):
    text = before + number + after
    [match] = find_identifiers(text, today=TODAY)
    assert match.kind == "se_coordination_number"
    assert text[match.start : match.end] == number


@FAST
@given(
    st.booleans().flatmap(lambda c: swedish_numbers(coordination=c)),
    st.integers(1, 9),
)
def test_a_wrong_check_digit_is_not_a_swedish_number(number, error):
    wrong = number[:-1] + str((int(number[-1]) + error) % 10)
    assert not kinds(f"Nummer {wrong} i texten") & SWEDISH


@st.composite
def impossible_dates(draw) -> tuple[int, int, int]:
    year = draw(st.integers(1858, 2025))
    month, day = draw(
        st.sampled_from(
            [
                (13, draw(st.integers(1, 28))),
                (0, draw(st.integers(1, 28))),
                (draw(st.integers(1, 12)), 32),
                (draw(st.integers(1, 12)), 0),
                (2, 30),
                (4, 31),
                (2, 29),
            ]
        )
    )
    if (month, day) == (2, 29):
        # Not a leap year in any century the ten-digit form could mean.
        year = draw(st.integers(1858, 2025).filter(lambda y: y % 4 != 0))
    return year, month, day


@FAST
@given(impossible_dates(), st.booleans(), st.integers(0, 999), st.booleans())
def test_impossible_dates_are_not_flagged(when, coordination, serial, twelve):
    year, month, day = when
    nine = f"{year % 100:02}{month:02}{day + 60 if coordination else day:02}"
    nine += f"{serial:03}"
    number = nine + luhn_digit(nine)
    if twelve:
        text = f"nr {year // 100}{number[:6]}-{number[6:]}."
        assert find_identifiers(text, today=TODAY) == []
    else:
        for sep in ("", "-", "+", " "):
            assert not kinds(f"nr {number[:6]}{sep}{number[6:]}.") & SWEDISH


def test_29_february_follows_the_plus_and_minus_rule():
    nine = "000229123"
    number = nine + luhn_digit(nine)
    under_100 = f"{number[:6]}-{number[6:]}"  # 2000: a leap year
    over_100 = f"{number[:6]}+{number[6:]}"  # 1900: not a leap year
    assert kinds(under_100) == {"se_personal_number"}
    assert kinds(number) == {"se_personal_number"}
    assert not kinds(over_100) & SWEDISH
    assert not kinds(f"19{number}") & SWEDISH
    assert kinds(f"20{number}") == {"se_personal_number"}


def test_plus_and_minus_are_relative_to_today():
    nine = "250620123"  # 20 June: five days after TODAY
    number = nine + luhn_digit(nine)
    # Whoever has this number turns 100 in five days; "-" and "+" both give
    # a real date, and the number is found either way.
    assert kinds(f"{number[:6]}-{number[6:]}") == {"se_personal_number"}
    assert kinds(f"{number[:6]}+{number[6:]}") == {"se_personal_number"}


def test_without_today_the_real_date_is_used():
    assert kinds("811218-9876") == {"se_personal_number"}
    assert [m.kind for m in find_identifiers("Pnr 811218-9876.")] == [
        "se_personal_number"
    ]


@st.composite
def organisation_numbers(draw) -> str:
    """An organisationsnummer: group digit, then a "month" of 20 or more."""
    nine = f"{draw(st.integers(1, 9))}{draw(st.integers(0, 9))}"
    nine += f"{draw(st.integers(2, 9))}{draw(st.integers(0, 999_999)):06}"
    return nine + luhn_digit(nine)


@FAST
@given(organisation_numbers(), st.sampled_from(["", "16"]), st.sampled_from(["", "-"]))
def test_organisation_numbers_are_not_personal_numbers(number, prefix, sep):
    text = f"Bolaget ({prefix}{number[:6]}{sep}{number[6:]}) har avtal."
    assert find_identifiers(text, today=TODAY) == []


def test_known_organisation_numbers_pass():
    for number in ("556036-0793", "5560360793", "212000-1355", "802002-4280"):
        assert find_identifiers(f"org.nr {number}", today=TODAY) == []


# Danish CPR numbers


def century_digits(year: int) -> list[int]:
    """The seventh digits the CPR office uses for someone born in `year`."""
    yy = year % 100
    if 1858 <= year <= 1899:
        return [5, 6, 7, 8]
    if 1900 <= year <= 1999:
        return [0, 1, 2, 3] + ([4, 9] if yy >= 37 else [])
    if 2000 <= year <= 2036:
        return [4, 5, 6, 7, 8, 9]
    raise AssertionError(year)


def modulus_11(ten: str) -> bool:
    weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]
    return sum(w * int(d) for w, d in zip(weights, ten, strict=True)) % 11 == 0


@st.composite
def cpr_numbers(draw) -> str:
    born = draw(st.dates(date(1858, 1, 1), date(2036, 12, 31)))
    seventh = draw(st.sampled_from(century_digits(born.year)))
    want_modulus = draw(st.booleans())
    start = draw(st.integers(0, 999))
    for step in range(1000):
        ten = f"{born:%d%m%y}{seventh}{(start + step) % 1000:03}"
        if modulus_11(ten) == want_modulus:
            break
    sep = draw(st.sampled_from(["-", ""]))
    return f"{ten[:6]}{sep}{ten[6:]}"


@FAST
@given(cpr_numbers(), BEFORE, AFTER)
def test_every_valid_cpr_number_is_caught(number, before, after):
    text = before + number + after
    [match] = find_identifiers(text, today=TODAY)
    assert text[match.start : match.end] == number
    ten = number.replace("-", "")
    if match.kind != "dk_cpr":
        # Ten digits can also be a valid Swedish number (it is reported as
        # one), or, without a hyphen and from 070, a Swedish mobile number.
        swedish = match.kind in SWEDISH and luhn_ok(ten)
        mobile = match.kind == "phone" and number.startswith("070")
        assert swedish or mobile


def test_cpr_numbers_without_modulus_11_are_caught():
    # Issued since 2007: does not pass the old modulus-11 check.
    assert not modulus_11("0101074001")
    assert found("CPR 010107-4001.") == [("dk_cpr", "010107-4001")]
    assert found("CPR 0101074001.") == [("dk_cpr", "0101074001")]


@FAST
@given(impossible_dates(), st.integers(0, 9), st.integers(0, 999))
def test_impossible_cpr_dates_are_not_flagged(when, seventh, serial):
    year, month, day = when
    if (month, day) == (2, 29):
        year = 1900
        seventh = seventh % 4  # 1900s, and 1900 is not a leap year
    number = f"{day:02}{month:02}{year % 100:02}-{seventh}{serial:03}"
    assert "dk_cpr" not in kinds(f"CPR {number}")


def test_the_century_rule_decides_29_february():
    assert found("290200-4123") == [("dk_cpr", "290200-4123")]  # 2000
    assert "dk_cpr" not in kinds("290200-1123")  # 1900


# Phone numbers


@pytest.mark.parametrize(
    "number",
    [
        "070-123 45 67",
        "070 123 45 67",
        "070-1234567",
        "0731234567",
        "0701234567",
        "+46 70 123 45 67",
        "+46701234567",
        "+46 (0)70-123 45 67",
        "0046 70 123 45 67",
        "08-123 456 78",
        "08 123 456 78",
        "(08) 123 456 78",
        "+46 8 123 456 78",
        "013-12 34 56",
        "0771-123 456",
        "+45 12 34 56 78",
        "+4512345678",
        "0045 12345678",
        "+45 1234 5678",
        "23 45 67 89",
    ],
)
def test_phone_numbers_are_caught(number):
    text = f"Ring henne på {number}, helst på förmiddagen."
    assert found(text) == [("phone", number)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("tlf. 12345678", "12345678"),
        ("Mobil: 2345 6789", "2345 6789"),
        ("ring 070-123 45 67 2019 eller senare", "070-123 45 67"),
    ],
)
def test_phone_numbers_in_context(text, number):
    assert found(text) == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Det hände 2019 och igen 2023.",
        "Ring 112 eller 1177.",
        "Mötet 2024-03-01 kl. 13.00-15.30.",
        "Mødet 01-03-2024 og 08-12-2024.",
        "Beslutet 20240301 gäller.",
        "Bidraget var 12 000 kr, sedan 1 250 000 kr.",
        "Enligt SFS 2001:453 och 1 kap. 1 § SoL.",
        "Se prop. 2016/17:180 och dnr 2024/0123.",
        "Rum 08 med 12 platser.",
        "Version 0.12.345 av blanketten.",
        "Sidorna 12-34 och 56-78.",
        "Öppet 08-17, kod 0123 456.",
        "Blankett 013-12 34.",
    ],
)
def test_no_false_positives(text):
    assert find_identifiers(text, today=TODAY) == []


def test_a_personal_number_is_not_also_a_phone_number():
    # Also a well-formed Swedish number from 081: reported once, as what it is.
    nine = "081218987"
    number = nine + luhn_digit(nine)
    assert found(f"nr {number}") == [("se_personal_number", number)]


# E-mail addresses


@pytest.mark.parametrize(
    "address",
    ["anna.berg@norrby.se", "x+y@mail.example.com", "åsa-öberg@kommun.dk"],
)
def test_email_addresses_are_caught(address):
    text = f"Skriv till <{address}>."
    assert found(text) == [("email", address)]


@pytest.mark.parametrize("text", ["Mötet @ kl. 10", "anna@localhost", "@norrby", "a@b"])
def test_not_email_addresses(text):
    assert find_identifiers(text, today=TODAY) == []


# Written every way: separators between and inside the parts

# What people put between the parts of a number, as typed or pasted.
SPACES = [" ", "\t", "\u00a0", "\u2009", "\u202f"]
DASHES = ["-", "\u2010", "\u2011", "\u2013", "\u2014", "\u2212"]
MARKS = [".", "/"]
SEPARATORS = SPACES + DASHES + MARKS


def with_line_break(draw, run: str) -> str:
    """`run`, sometimes with one line break put in somewhere."""
    if draw(st.integers(0, 3)):
        return run
    at = draw(st.integers(0, len(run)))
    return run[:at] + draw(st.sampled_from(["\n", "\r\n"])) + run[at:]


@st.composite
def gaps(draw, chars=tuple(SEPARATORS), *, min_size=0) -> str:
    """Any run of separators, with at most one line break."""
    run = draw(st.text(st.sampled_from(chars), min_size=min_size, max_size=6))
    return with_line_break(draw, run)


@st.composite
def swedish_numbers_apart(draw, *, coordination: bool = False) -> str:
    """A valid number with separators between and inside its parts.

    Any dash between date and serial means under 100 today and "+" 100 or
    older; spaces, dots and slashes alone say nothing about the age.
    """
    form = draw(st.sampled_from(["12", "10-", "10+", "10"]))
    if form == "10-":
        born = draw(st.dates(HUNDRED_YEARS_AGO + timedelta(days=1), TODAY))
        around = st.text(st.sampled_from(SEPARATORS), max_size=3)
        middle = draw(around) + draw(st.sampled_from(DASHES)) + draw(around)
        middle = with_line_break(draw, middle)
    elif form == "10+":
        born = draw(st.dates(date(1858, 1, 1), HUNDRED_YEARS_AGO))
        middle = draw(gaps()) + "+" + draw(gaps())
    elif form == "10":
        born = draw(st.dates(date(1858, 1, 1), TODAY))
        middle = draw(gaps(tuple(SPACES + MARKS)))
    else:
        born = draw(st.dates(date(1858, 1, 1), TODAY))
        middle = draw(gaps())
    day = born.day + 60 if coordination else born.day
    nine = f"{born:%y%m}{day:02}{draw(st.integers(0, 999)):03}"
    number = nine + luhn_digit(nine)
    written = number[:2] + draw(gaps()) + number[2:4] + draw(gaps()) + number[4:6]
    if form == "12":
        written = f"{born.year // 100}" + draw(gaps()) + written
    return written + middle + number[6:]


@FAST
@given(swedish_numbers_apart(), BEFORE, AFTER)
def test_personal_numbers_are_caught_with_any_separators(number, before, after):
    text = before + number + after
    [match] = find_identifiers(text, today=TODAY)
    assert match.kind == "se_personal_number"
    assert (match.start, match.end) == (len(before), len(before) + len(number))


@FAST
@given(swedish_numbers_apart(coordination=True), BEFORE, AFTER)
def test_coordination_numbers_are_caught_with_any_separators(number, before, after):
    text = before + number + after
    [match] = find_identifiers(text, today=TODAY)
    assert match.kind == "se_coordination_number"
    assert text[match.start : match.end] == number


@FAST
@given(swedish_numbers_apart(), st.integers(1, 9))
def test_a_wrong_check_digit_stays_wrong_with_separators(number, error):
    wrong = number[:-1] + str((int(number[-1]) + error) % 10)
    assert not kinds(f"Nummer {wrong} i texten") & SWEDISH


@st.composite
def cpr_numbers_apart(draw) -> str:
    ten = draw(cpr_numbers()).replace("-", "")
    parts = [ten[:2], ten[2:4], ten[4:6], ten[6:]]
    return "".join(part + draw(gaps()) for part in parts[:3]) + parts[3]


@FAST
@given(cpr_numbers_apart(), BEFORE, AFTER)
def test_cpr_numbers_are_caught_with_any_separators(number, before, after):
    text = before + number + after
    [match] = find_identifiers(text, today=TODAY)
    assert text[match.start : match.end] == number
    if match.kind != "dk_cpr":
        # The same digits can be a valid Swedish number, reported as one, or
        # written bare from 070, a Swedish mobile number.
        swedish = match.kind in SWEDISH and luhn_ok(re.sub("[^0-9]", "", number))
        mobile = match.kind == "phone" and number.isdigit() and number[:3] == "070"
        assert swedish or mobile


# Phone numbers written every way

AREA_CODES = ["08", "070", "072", "073", "076", "079", "011", "013", "031", "040"]
AREA_CODES += ["0155", "0498", "0771", "0910"]
GROUP_SEPARATORS = [" ", ".", "-", "\u2013", "/", "  "]


@st.composite
def groupings(draw, digits: str) -> list[str]:
    """`digits` cut into groups of two to four."""
    groups = []
    while digits:
        size = len(digits) if len(digits) <= 4 else draw(st.integers(2, 4))
        if 0 < len(digits) - size < 2:
            size = len(digits) - 2
        groups.append(digits[:size])
        digits = digits[size:]
    return groups


@st.composite
def swedish_phones(draw) -> str:
    """A Swedish number as written nationally: area code, then subscriber.

    The subscriber number is grouped one way throughout; after 08 a number in
    pairs has its area code set off ("08-12 34 56").
    """
    area = draw(st.sampled_from(AREA_CODES))
    size = draw(st.integers(max(8, len(area) + 5), 10)) - len(area)
    digits = str(draw(st.integers(1, 9)))
    digits += "".join(str(draw(st.integers(0, 9))) for _ in range(size - 1))
    groups = draw(groupings(digits)) if draw(st.booleans()) else [digits]
    between = draw(st.sampled_from(GROUP_SEPARATORS))
    gaps_ = [between] * (len(groups) - 1)
    if gaps_ and draw(st.booleans()):
        gaps_[draw(st.integers(0, len(gaps_) - 1))] = draw(
            st.sampled_from(["\n", " \n", "\r\n"])
        )
    subscriber = groups[0] + "".join(
        g + d for g, d in zip(gaps_, groups[1:], strict=True)
    )
    pairs = all(len(g) == 2 for g in groups)
    if area == "08" and pairs:
        off = [s for s in ["-", " - ", "/", "\u2013", "-\n"] if s.strip() != between]
        area_sep = draw(st.sampled_from([*off, "( )"]))
    elif len(groups) == 1:
        area_sep = draw(st.sampled_from(["", "-", " - ", "/", " ", "( )", "-\n"]))
    else:
        area_sep = draw(
            st.sampled_from(["-", " - ", "/", ".", " ", "\t", "( )", "\u2011", "-\n"])
        )
    # Ten digits cut only where a date's parts end (08-12 34 5678) read as a
    # personal or CPR number just as well; those are tested above.
    cuts = {len(area)} if area_sep else set()
    position = len(area)
    for group in groups[:-1]:
        position += len(group)
        cuts.add(position)
    dated = area_sep != "( )" and cuts <= {2, 4, 6}
    assume(not (len(area) + size == 10 and dated))
    # 08-12 2024: a date.
    assume(not (area == "08" and [len(g) for g in groups] == [2, 4]))
    if area_sep == "( )":
        return f"({area}) {subscriber}"
    return area + area_sep + subscriber


@FAST
@given(swedish_phones(), BEFORE, AFTER)
def test_swedish_phone_numbers_are_caught_however_written(number, before, after):
    text = before + number + after
    assert found(text) == [("phone", number)]


COUNTRY_CODES = ["+{}", "00{}", "(+{})", "( +{} )", "(00{})", "+ {}"]


@st.composite
def international_phones(draw) -> str:
    country = draw(st.sampled_from(["46", "45"]))
    prefix = draw(st.sampled_from(COUNTRY_CODES)).format(country)
    size = 8 if country == "45" else draw(st.integers(7, 9))
    digits = str(draw(st.integers(1, 9)))
    digits += "".join(str(draw(st.integers(0, 9))) for _ in range(size - 1))
    groups = draw(groupings(digits))
    parts = [groups[0]] + [
        draw(gaps(tuple(SPACES + DASHES + ["."]))) + g for g in groups[1:]
    ]
    zero = draw(st.sampled_from(["", " (0)", "(0)"])) if country == "46" else ""
    return (
        prefix
        + zero
        + draw(st.sampled_from(["", " ", "-", " - ", "\n"]))
        + "".join(parts)
    )


@FAST
@given(international_phones(), BEFORE, AFTER)
def test_numbers_with_a_country_code_are_caught_however_written(number, before, after):
    text = before + number + after
    assert found(text) == [("phone", number)]


@st.composite
def danish_pairs(draw) -> str:
    first = draw(st.integers(20, 99))
    pairs = [str(first)] + [f"{draw(st.integers(0, 99)):02}" for _ in range(3)]
    between = draw(
        gaps(tuple(SPACES + DASHES + MARKS), min_size=1).filter(lambda g: "\n" not in g)
    )
    gaps_ = [between] * 3
    if draw(st.booleans()):
        gaps_[draw(st.integers(0, 2))] = draw(st.sampled_from(["\n", between + "\n"]))
    return pairs[0] + "".join(g + p for g, p in zip(gaps_, pairs[1:], strict=True))


@FAST
@given(
    danish_pairs(), st.sampled_from(["", "Ring til ", "Moren: ", "(", "nr. "]), AFTER
)
def test_danish_numbers_in_pairs_are_caught_however_written(number, before, after):
    text = before + number + after
    assert found(text) == [("phone", number)]


@FAST
@given(
    st.lists(st.integers(0, 19), min_size=4, max_size=4),
    st.sampled_from(["Mødetider: ", "SDQ-poäng ", "Poäng ", "Rum ", ""]),
    gaps(tuple(SPACES + DASHES + MARKS), min_size=1).filter(lambda g: "\n" not in g),
)
def test_rows_of_small_numbers_are_not_phone_numbers(numbers, before, between):
    # No Danish subscriber number starts with 0 or 1.
    text = before + between.join(f"{n:02}" for n in numbers) + "."
    assert find_identifiers(text, today=TODAY) == []


@FAST
@given(
    st.lists(st.integers(0, 99), min_size=5, max_size=12),
    st.sampled_from(SPACES + DASHES + MARKS + [" - ", ". "]),
)
def test_long_rows_of_two_digit_numbers_are_not_phone_numbers(numbers, between):
    text = "Resultat: " + between.join(f"{n:02}" for n in numbers) + "."
    assert find_identifiers(text, today=TODAY) == []


@st.composite
def dates_and_times(draw) -> str:
    day = draw(st.dates(date(1990, 1, 1), date(2035, 12, 31)))
    start = draw(st.integers(0, 23 * 60))
    end = draw(st.integers(start, 24 * 60 - 1))
    sep = draw(st.sampled_from([".", ":"]))
    dash = draw(st.sampled_from(["-", "–", " - ", " – "]))
    times = (
        f"{start // 60:02}{sep}{start % 60:02}{dash}{end // 60:02}{sep}{end % 60:02}"
    )
    dates = [
        f"{day:%Y-%m-%d}",
        f"{day:%d.%m.%Y}",
        f"{day:%d-%m-%Y}",
        f"{day:%d/%m/%Y}",
        f"{day:%d.%m.%y}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day:%Y%m%d}",
    ]
    return f"{draw(st.sampled_from(dates))} kl. {times}"


@FAST
@given(dates_and_times(), st.sampled_from(["Mötet ", "Mødet d. ", "Besök ", ""]))
def test_dates_and_times_are_not_identifiers(when, before):
    assert find_identifiers(before + when + ".", today=TODAY) == []


# E-mail addresses written around spam filters

WORDS = st.text(st.sampled_from("abcdefghijklmnoprstuvyåäöø"), min_size=2, max_size=9)
NOT_SPELLING = WORDS.filter(lambda w: w not in {"at", "dot", "punkt", "prik", "prick"})


@st.composite
def spelled_addresses(draw) -> str:
    local = draw(NOT_SPELLING)
    if draw(st.booleans()):
        local += "." + draw(NOT_SPELLING)
    at = draw(st.sampled_from(["@", " @ ", "@ ", "(at)", " (at) ", "[at]", " [AT] "]))
    at = draw(st.sampled_from([at, "{at}", "<at>", " at "]))
    dots = ["(dot)", " (dot) ", "[dot]", " dot ", " DOT ", "(punkt)"]
    if at.strip() != "at" or "." in local:
        dots.append(".")
    labels = [draw(NOT_SPELLING) for _ in range(draw(st.integers(1, 2)))]
    tld = draw(st.sampled_from(["se", "dk", "nu", "com", "org", "net", "eu"]))
    domain = "".join(label + draw(st.sampled_from(dots)) for label in labels) + tld
    return local + at + domain


@FAST
@given(spelled_addresses(), st.sampled_from(["Skriv till ", "Mejl: ", "(", ""]))
def test_spelled_out_email_addresses_are_caught(address, before):
    text = f"{before}{address}, tack."
    assert found(text) == [("email", address)]


@pytest.mark.parametrize(
    "text",
    [
        "Husk at borger.dk har svarene.",
        "Vi lovede at ringe dot ikke.",
        "Han bad om at få hjælp.",
        "Mötet @ kl. 10 i stora salen.",
        "Se www.norrby.se och 1177.se.",
    ],
)
def test_everyday_at_and_dot_are_not_email(text):
    assert find_identifiers(text, today=TODAY) == []


# Messages


def test_describe_says_where_without_the_value():
    text = (
        "Bakgrund\n"
        "Mamman har personnummer 811218-9876 och nås på 070-123 45 67.\n"
        "anna.berg@norrby.se skrev."
    )
    matches = find_identifiers(text, today=TODAY)
    messages = describe(text, matches)
    assert messages == [
        "A Swedish personal identity number at line 2, characters 25–35 "
        "(after “Mamman har personnummer”).",
        "A phone number at line 2, characters 48–60 (after “…[…] och nås på”).",
        "An e-mail address at line 3, characters 1–19 (before “skrev.”).",
    ]
    for match, message in zip(matches, messages, strict=True):
        value = text[match.start : match.end]
        assert value not in message
        for group in re.findall(r"\d{3,}", value):
            assert group not in message
        assert "norrby" not in message


def test_describe_alone_on_a_line():
    text = "Uppgifter:\n811218-9876"
    assert describe(text, find_identifiers(text)) == [
        "A Swedish personal identity number at line 2, characters 1–11."
    ]


# The form mixin


class CaseForm(IdentifierGuardMixin, forms.Form):
    guarded_fields = ("title", "description")

    title = forms.CharField()
    description = forms.CharField(widget=forms.Textarea)
    note = forms.CharField(required=False)


DESCRIPTION = "Pappan (811218-9876) ringer ofta från 070-123 45 67."


def test_form_without_identifiers_is_valid():
    form = CaseForm(data={"title": "Hembesök", "description": "Inga nummer här."})
    assert form.is_valid(), form.errors
    assert form.guard_override is None


def test_form_with_identifiers_and_no_reason_keeps_the_text():
    form = CaseForm(
        data={"title": "Hembesök", "description": DESCRIPTION, "note": "0701234567"}
    )
    assert not form.is_valid()
    # Each place once; the reason stays an optional field, not an error.
    assert form.errors["description"] == [
        "A Swedish personal identity number at line 1, characters 9–19 "
        "(after “Pappan (”).",
        "A phone number at line 1, characters 39–51 (after “…([…]) ringer ofta från”).",
    ]
    # Only guarded fields are checked.
    assert set(form.errors) == {"description"}
    # Where each was found, to be marked in an excerpt of the text.
    number, phone = form.guard_findings["description"]
    assert (number.before, number.found, number.after) == (
        "Pappan (",
        "811218-9876",
        ") ringer ofta från […].",
    )
    assert (phone.before, phone.found, phone.after) == (
        "Pappan ([…]) ringer ofta från ",
        "070-123 45 67",
        ".",
    )
    assert form.guard_override is None
    assert form["description"].value() == DESCRIPTION
    assert DESCRIPTION in str(form["description"])


def test_the_reason_is_asked_for_only_once_something_is_found():
    assert CaseForm()["save_anyway_reason"].is_hidden
    clean = CaseForm(data={"title": "Hembesök", "description": "Inga nummer."})
    clean.is_valid()
    assert clean["save_anyway_reason"].is_hidden
    found = CaseForm(data={"title": "Hembesök", "description": DESCRIPTION})
    found.is_valid()
    assert not found["save_anyway_reason"].is_hidden
    assert "<textarea" in str(found["save_anyway_reason"])


def test_form_with_a_reason_records_kinds_and_fields_only():
    form = CaseForm(
        data={
            "title": "Kontakt 0045 12345678",
            "description": DESCRIPTION,
            "save_anyway_reason": "  Numret är kommunens växel.  ",
        }
    )
    assert form.is_valid(), form.errors
    assert form.guard_override == {
        "reason": "Numret är kommunens växel.",
        "kinds": ["phone", "se_personal_number"],
        "fields": ["title", "description"],
    }
    recorded = repr(form.guard_override)
    for value in ("811218", "9876", "070", "12345678"):
        assert value not in recorded
    assert form.cleaned_data["description"] == DESCRIPTION


def test_the_reason_must_not_contain_the_identifier():
    form = CaseForm(
        data={
            "title": "Hembesök",
            "description": DESCRIPTION,
            "save_anyway_reason": "Pappan har 811218-9876, det behövs.",
        }
    )
    assert not form.is_valid()
    assert form.errors["save_anyway_reason"] == [
        "Leave the identifier itself out of the reason."
    ]
    assert "description" in form.errors
    assert form.guard_override is None


def test_a_form_may_declare_its_own_reason_field():
    class ShortReasonForm(CaseForm):
        save_anyway_reason = forms.CharField(required=False, max_length=20)

    form = ShortReasonForm()
    assert form.fields["save_anyway_reason"].max_length == 20


def test_the_mixin_works_with_a_model_form():
    from django.contrib.auth import get_user_model

    class NameForm(IdentifierGuardMixin, forms.ModelForm):
        guarded_fields = ("name",)

        class Meta:
            model = get_user_model()
            fields = ["name"]

    form = NameForm(data={"name": "Anna 070-123 45 67"})
    assert not form.is_valid()
    # The reason is optional: only the text is in error.
    assert list(form.errors) == ["name"]

    form = NameForm(
        data={"name": "Anna 070-123 45 67", "save_anyway_reason": "Växeln."}
    )
    assert form.is_valid(), form.errors
    assert form.save(commit=False).name == "Anna 070-123 45 67"
    assert form.guard_override["kinds"] == ["phone"]


def test_a_long_list_of_identifiers_gives_ten_places_and_a_count():
    numbers = [f"070-123 45 {n:02}" for n in range(10, 22)]
    form = CaseForm(data={"title": "Kontakter", "description": "\n".join(numbers)})
    assert not form.is_valid()
    errors = form.errors["description"]
    assert len(form.identifier_matches["description"]) == 12
    assert len(errors) == 10 + 1
    assert errors[0] == "A phone number at line 1, characters 1–13."
    assert len(form.guard_findings["description"]) == 10
    assert errors[-1] == "And 2 more places like these."
    assert not any("070" in error for error in errors)


# Danish numbers as two groups of four


@FAST
@given(
    st.integers(2000, 9999).filter(lambda n: not 1900 <= n <= 2099),
    st.integers(0, 9999),
    st.sampled_from(["", "  ", "Moren:\n", "Noter\n\n"]),
    st.sampled_from(["", ".", " ", "\n", "\nRing efter kl. 16.", "\r\n"]),
)
def test_two_groups_of_four_alone_on_a_line_are_a_phone_number(
    first, second, before, after
):
    number = f"{first} {second:04}"
    assert found(before + number + after) == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Ring til 2345 6789 i morgen.",
        "Ring hende på 2345 6789.",
        "Hon nås på 2345 6789 på dagtid.",
        "Kan træffes på: 2345 6789",
        "sms til 2345 6789",
        "tlf. 2345 6789",
        "Tlf.: 2345 6789",
    ],
)
def test_two_groups_of_four_after_a_word_about_calling(text):
    assert found(text) == [("phone", "2345 6789")]


@pytest.mark.parametrize(
    "text",
    [
        # In a sentence, two groups of four are as often years or amounts.
        "Perioden 2345 6789 i tabellen.",
        "Sagsnr. 2024 1234 er oprettet.",
        "2019 2023",
        "Tabell\n2019 2023\n",
        "Beløb 2500 3000 kr. i alt",
        "2500 3000 kr.",
        # A date after "ringde" is not a number.
        "Mamman ringde 2024-03-01 och berättade.",
        "Hon ringde 20240301.",
        # No Danish subscriber number starts with 1 (0123 4567 is Swedish).
        "1234 5678",
        # Part of a longer row.
        "4512 3456 7890",
        "IBAN SE45 5000 0000 0583 9825 7466",
    ],
)
def test_two_groups_of_four_elsewhere_are_left_alone(text):
    assert found(text) == []


# A date of birth and "the last four"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("född 3 mars 1985, sista fyra 1234", "3 mars 1985, sista fyra 1234"),
        ("Född den 3:e mars 1985 och de fyra sista är 1234.", None),
        ("født 3. marts 1985, sidste fire 1234", "3. marts 1985, sidste fire 1234"),
        ("Født 3. marts 85 – de fire sidste cifre: 1234", None),
        ("born 3 March 1985, last four 1234", "3 March 1985, last four 1234"),
        ("Born March 3rd, 1985; the last 4 digits are 1234.", None),
        ("Född 1985-03-03, sista fyra 1234.", "1985-03-03, sista fyra 1234"),
        ("Født 03.03.1985, sidste 4: 1234", "03.03.1985, sidste 4: 1234"),
        ("Född 3/3/85 sista fyra 1234", "3/3/85 sista fyra 1234"),
    ],
)
def test_a_date_of_birth_and_the_last_four_digits_are_found(text, span):
    ((kind, matched),) = found(text)
    assert kind == "birth_date_with_digits"
    if span is not None:
        assert matched == span
    assert matched.endswith("1234")


@pytest.mark.parametrize(
    "text",
    [
        # No such date.
        "född 31 februari 1985, sista fyra 1234",
        "født 32. marts 1985, sidste fire 1234",
        # The four are not digits of a number.
        "Född 3 mars 1985; de sista fyra åren 2019-2023 bodde hon i Älvdala.",
        "Født 3. marts 1985, de sidste fire år har hun boet alene.",
        # The date alone, or the digits alone.
        "Hon är född 3 mars 1985.",
        "De sista fyra siffrorna är 1234.",
        # A month and a year are no date of birth.
        "Född i mars 1985, sista fyra 1234.",
    ],
)
def test_dates_and_last_fours_that_are_not_a_number_are_left_alone(text):
    assert found(text) == []


def test_the_message_says_where_the_date_and_digits_are_without_them():
    text = "Mannen är född 3 mars 1985, sista fyra 1234 enligt honom."
    matches = find_identifiers(text, today=TODAY)
    (message,) = describe(text, matches)
    assert message == (
        "A date of birth with the last four digits of a personal number at "
        "line 1, characters 16–43 (after “Mannen är född”)."
    )
    assert "1234" not in message and "1985" not in message
