"""The identifier guard's names and street addresses, and how forms treat them.

The name lists are read here straight from the data files, independently of
dilemmas.guard_names.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from dilemmas.guard import describe, find_identifiers
from dilemmas.models import Dilemma, GuardOverride
from tests.factories import sign_in
from tests.translations import tr

TODAY = date(2025, 6, 15)
DATA = Path(__file__).resolve().parents[2] / "dilemmas" / "data"
FAST = settings(max_examples=200, deadline=None)


def listed(filename: str) -> list[str]:
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


FIRST_NAMES = listed("first_names.txt")
SURNAMES = listed("surnames.txt")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def found(text: str) -> list[tuple[str, str]]:
    return [
        (m.kind, text[m.start : m.end]) for m in find_identifiers(text, today=TODAY)
    ]


# The lists


@pytest.mark.parametrize("filename", ["first_names.txt", "surnames.txt"])
def test_the_name_lists_say_where_they_come_from_and_are_clean(filename):
    header = (DATA / filename).read_text(encoding="utf-8").split("\n\n")[0]
    assert "Statistics Sweden (SCB" in header
    assert "Statistics Denmark (Danmarks Statistik" in header
    names = listed(filename)
    assert all(name == name.strip() and name[0].isupper() for name in names)
    # A name may be common in both countries, but is listed once per country.
    assert len(names) >= 180


# Names

BEFORE = st.sampled_from(["", "Enligt ", "Vi ringde till ", "(", "Hon sa: «"])
AFTER = st.sampled_from(["", ".", " ringde.", ", som bor kvar,", "»", " har ansvaret."])


@FAST
@given(st.sampled_from(FIRST_NAMES), st.sampled_from(SURNAMES), BEFORE, AFTER)
def test_every_listed_first_name_with_a_listed_surname_is_found(
    first, surname, before, after
):
    name = f"{first} {surname}"
    assert found(before + name + after) == [("name", name)]


def test_every_listed_name_is_found_in_a_full_name_and_after_a_title():
    for first in FIRST_NAMES:
        assert found(f"Enligt {first} Johansson.") == [("name", f"{first} Johansson")]
        assert found(f"Enligt mamma {first}.") == [("name", first)]
    for surname in SURNAMES:
        assert found(f"Enligt Mette {surname}.") == [("name", f"Mette {surname}")]
        assert found(f"Vi talte med fru {surname}.") == [("name", surname)]


TITLES = ["mamma", "Pappan", "sonen", "dottern", "borgeren", "beboeren", "fru"]
TITLES += ["brukaren", "klienten", "datteren", "Mormor", "herr", "grannen"]


@FAST
@given(st.sampled_from(TITLES), st.sampled_from(FIRST_NAMES + SURNAMES), AFTER)
def test_a_listed_name_after_a_title_is_found(title, name, after):
    assert found(f"Vi talade med {title} {name}{after}") == [("name", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Anna ringde i går och Mette kom i dag.",
        "När Erik kom hem var det tyst.",
        "Vi talade med mamma anna.",
        "Vi träffade sonen. Per telefon kom beskedet.",
        "Hans mamma vill inte att han flyttar.",
        "Lars mor ringde.",
        "Mamma och pappa kom båda.",
        "Borgeren har ret til hjælp.",
        "Astrid Lindgrens barnsjukhus har svarat.",
        "Karin Boyes gymnasium",
        "Vi läste Runebergs dikter och Anna Karenina.",
    ],
)
def test_names_are_found_only_where_they_read_as_a_name(text):
    assert found(text) == []


# Addresses


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Hon bor nära socialkontoret, på Storgatan 12.", "Storgatan 12"),
        ("Adress: Storgatan 12, 123 45 Älvdala", "Storgatan 12, 123 45 Älvdala"),
        ("Han bor på Nørregade 4, st. tv.", "Nørregade 4, st. tv."),
        ("Familjen bor på Sankt Eriksgatan 5.", "Sankt Eriksgatan 5"),
        ("Hun bor på Skolevej 3, 8000 Aarhus C.", "Skolevej 3, 8000 Aarhus C"),
        ("Ny adress: Järntorget 4\n412 63 Göteborg", "Järntorget 4\n412 63 Göteborg"),
    ],
)
def test_street_addresses_are_found_with_their_postcodes(text, address):
    assert found(text) == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "Postadress SE-12345 Älvdala",
        "Flyttet til 8000 Aarhus C i maj.",
        "8000 Aarhus",
        "412 63 Göteborg",
        "Han bor nu i DK-2100 København Ø.",
    ],
)
def test_a_postcode_and_town_alone_identify_nobody(text):
    # Thousands of people share a postcode; only a street narrows it down.
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Socialkontoret, Storgatan 12, 123 45 Älvdala.",
        "Vi flyttade mötet till rådhuset på Torvet 2.",
        "I 2020 Aarhus Kommune indførte en ny model.",
        "Storgatan var avstängd i går.",
        "Hela vägen 3 km gick han till fots.",
        "Kapitel 3 Genomförandeplan 2024 är klar.",
    ],
)
def test_office_addresses_and_lookalikes_are_not_flagged(text):
    assert found(text) == []


def test_messages_say_where_a_name_or_address_is_without_repeating_it():
    text = "Mamman Anna Johansson bor på Björkvägen 7.\nBorgeren Mette ringede."
    matches = find_identifiers(text, today=TODAY)
    assert describe(text, matches) == [
        "A personal name at line 1, characters 8–21 (after “Mamman”).",
        "A street address at line 1, characters 30–41 (after “Mamman […] bor på”).",
        "A personal name at line 2, characters 10–14 (after “Borgeren”).",
    ]
    for word in ("Anna", "Johansson", "Björkvägen", "Mette"):
        assert all(word not in message for message in describe(text, matches))


# Through the forms, as people use them

pytestmark_db = pytest.mark.django_db


def said(language: str, sentence: str, **place) -> str:
    """A guard message as the server renders it in `language`."""
    where = "line %(line)d, characters %(first)d–%(last)d (after “%(context)s”)"
    return tr(language, sentence) % {"place": tr(language, where) % place}


def dilemma_data(group, **overrides) -> dict:
    data = {
        "group": group.pk,
        "title": "Ett barn som inte vill åka hem",
        "description": "Mamman Anna Johansson bor på Björkvägen 7 med pojken.",
        "question": "Ska vi ordna boende hos kamraten eller hem till föräldrarna?",
        "tensions": [],
    }
    return {**data, **overrides}


@pytestmark_db
def test_a_name_and_an_address_stop_the_save_and_the_text_stays(client, member, group):
    sign_in(client, member)
    data = dilemma_data(group)

    response = client.post(reverse("dilemmas:create", args=["norrby"]), data)

    assert response.status_code == 200
    assert not Dilemma.objects.exists()
    assert data["description"] in response.text
    name = said(
        "sv",
        "A personal name at %(place)s.",
        line=1,
        first=8,
        last=21,
        context="Mamman",
    )
    address = said(
        "sv",
        "A street address at %(place)s.",
        line=1,
        first=30,
        last=41,
        context="Mamman […] bor på",
    )
    assert name in response.text
    assert address in response.text
    assert "save_anyway_reason" in response.text


@pytestmark_db
def test_saving_a_name_anyway_records_the_kinds_but_never_the_name(
    client, member, group
):
    sign_in(client, member)
    data = dilemma_data(group, save_anyway_reason="Namnen är påhittade i en övning.")

    response = client.post(reverse("dilemmas:create", args=["norrby"]), data)

    dilemma = Dilemma.objects.get()
    assert response.status_code == 302
    assert dilemma.description == data["description"]
    override = GuardOverride.objects.get()
    assert override.object_uuid == dilemma.uuid
    assert override.identifier_kinds == ["name", "address"]
    assert override.fields == ["description"]
    stored = str(
        GuardOverride.objects.values_list("identifier_kinds", "fields", "reason")[0]
    )
    for value in ("Anna", "Johansson", "Björkvägen", "7 med"):
        assert value not in stored


@pytestmark_db
def test_a_reason_that_names_the_person_is_refused(client, member, group):
    sign_in(client, member)
    data = dilemma_data(group, save_anyway_reason="Det är mamma Anna själv.")

    response = client.post(reverse("dilemmas:create", args=["norrby"]), data)

    assert response.status_code == 200
    assert not Dilemma.objects.exists()
    assert not GuardOverride.objects.exists()
    assert tr("sv", "Leave the identifier itself out of the reason.") in response.text


@pytestmark_db
def test_a_name_in_session_notes_is_refused_where_it_was_typed(
    client, facilitator, reflection
):
    sign_in(client, facilitator)
    url = reverse(
        "reflections:step_notes",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
            "position": 1,
        },
    )

    response = client.post(
        url,
        {"notes-notes": "Borgeren Mette vil ikke have besøg."},
        headers={"HX-Request": "true"},
    )

    # Saved as typed (htmx): the answer says what was found, where.
    assert response.status_code == 422
    assert (
        said(
            "sv",
            "A personal name at %(place)s.",
            line=1,
            first=10,
            last=14,
            context="Borgeren",
        )
        in response.text
    )
    assert reflection.steps.get(position=1).notes == ""
