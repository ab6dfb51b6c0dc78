"""What the identifier guard missed or warned about needlessly, through the form.

A Danish number written as two groups of four, and a date of birth followed
by the last four digits, stop the save; a postcode and town alone, which
thousands of people share, do not.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from dilemmas.models import Dilemma
from tests.factories import sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db


def post_dilemma(client, group, description: str):
    return client.post(
        reverse("dilemmas:create", args=["norrby"]),
        {
            "group": group.pk,
            "title": "Ett barn som inte vill åka hem",
            "description": description,
            "question": "Ska vi ordna boende hos kamraten eller hem till föräldrarna?",
            "tensions": [],
        },
    )


def said(sentence: str, **place) -> str:
    where = "line %(line)d, characters %(first)d–%(last)d"
    if "context" in place:
        where += " (after “%(context)s”)"
    return tr("sv", sentence) % {"place": tr("sv", where) % place}


@pytest.mark.parametrize(
    ("description", "sentence", "place"),
    [
        (
            "Mammans nummer:\n4512 3456",
            "A phone number at %(place)s.",
            # Alone on its line: nothing before it there to name the place by.
            {"line": 2, "first": 1, "last": 9},
        ),
        (
            "Pappan ringer, tlf. 2345 6789, varje kväll.",
            "A phone number at %(place)s.",
            {"line": 1, "first": 21, "last": 29, "context": "Pappan ringer, tlf."},
        ),
        (
            "Mannen är född 3 mars 1985, sista fyra 1234 enligt honom.",
            "A date of birth with the last four digits of a personal number at "
            "%(place)s.",
            {"line": 1, "first": 16, "last": 43, "context": "Mannen är född"},
        ),
    ],
)
def test_the_guard_stops_what_it_used_to_miss(
    client, member, group, description, sentence, place
):
    sign_in(client, member)

    response = post_dilemma(client, group, description)

    assert response.status_code == 200
    assert not Dilemma.objects.exists()
    assert said(sentence, **place) in response.text
    # What was typed comes back in the field.
    assert description.split("\n")[-1] in response.text


@pytest.mark.parametrize(
    "description",
    [
        "Familjen har flyttat till 412 63 Göteborg.",
        "Hun er flyttet til 8000 Aarhus for at studere.",
        "Hon bor nu i DK-2100 København Ø.",
    ],
)
def test_a_postcode_and_town_alone_are_saved_without_a_warning(
    client, member, group, description
):
    sign_in(client, member)

    response = post_dilemma(client, group, description)

    assert response.status_code == 302
    assert Dilemma.objects.get().description == description
