"""A session held with the person or their representative present, on record."""

from __future__ import annotations

import io
from html import escape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reflections.models import Reflection
from tests.factories import sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db

QUESTION = "Was the person the case is about, or their representative, present?"
LABEL = "The person or their representative"


def url(name: str, reflection) -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
    )


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_facilitator_records_who_was_present_at_sign_off(
    client, facilitator, member, held_reflection
):
    sign_in(client, facilitator)
    form = client.get(url("sign_off", held_reflection))
    assert escape(tr("sv", QUESTION)) in form.text

    # A choice that is not offered comes back with what was typed.
    response = client.post(
        url("sign_off", held_reflection),
        {"conclusion": "Vi frågar henne först.", "person_present": "everyone"},
    )
    assert response.status_code == 422
    assert "Vi frågar henne först." in response.text
    held_reflection.refresh_from_db()
    assert held_reflection.person_present == ""

    response = client.post(
        url("sign_off", held_reflection),
        {
            "conclusion": "Vi frågar henne först.",
            "person_present": "both",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    held_reflection.refresh_from_db()
    assert held_reflection.is_signed_off
    assert held_reflection.person_present == Reflection.Present.BOTH

    sign_in(client, member)
    shown = tr("sv", "Yes, the person and their representative")
    for name in ("detail", "log"):
        page = client.get(url(name, held_reflection)).text
        assert escape(tr("sv", LABEL)) in page, name
        assert escape(shown) in page, name
    text = pdf_text(client.get(url("log_pdf", held_reflection)).content)
    assert tr("sv", LABEL) in text and shown in text


def test_without_an_answer_the_log_says_it_was_not_recorded(
    client, facilitator, held_reflection
):
    sign_in(client, facilitator)
    client.post(
        url("sign_off", held_reflection),
        {"conclusion": "Klart.", "confirm": "on"},
    )
    held_reflection.refresh_from_db()
    assert held_reflection.is_signed_off and held_reflection.person_present == ""
    page = client.get(url("log", held_reflection)).text
    assert escape(tr("sv", "Not recorded")) in page
    text = pdf_text(client.get(url("log_pdf", held_reflection)).content)
    assert tr("sv", "Not recorded") in text
