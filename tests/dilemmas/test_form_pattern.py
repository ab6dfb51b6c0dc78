"""One error pattern on the case forms: a summary linking to each field, the
message at the field, each identifier found listed once with its place marked,
and the reason to save anyway an optional field, never an error."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reflections.models import Reflection
from tests.factories import sign_in
from tests.translations import tr

from .test_dilemmas import PERSONAL_NUMBER, form_data, url

pytestmark = pytest.mark.django_db


def summary_links(html: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


def field_block(html: str, name: str) -> str:
    """The markup of one field, from its wrapper to the end of its textarea."""
    at = html.index(f'name="{name}"')
    return html[html.rindex('<div class="field', 0, at) : html.index("</textarea>", at)]


def test_sign_off_names_each_missing_field(client, facilitator, held_reflection):
    sign_in(client, facilitator)
    address = reverse(
        "reflections:sign_off",
        kwargs={"org": "norrby", "reflection_uuid": held_reflection.uuid},
    )

    response = client.post(address, {"conclusion": ""})

    assert response.status_code == 422
    conclusion = tr("sv", "Fill in “%(label)s”.") % {"label": tr("sv", "Conclusion")}
    confirm = tr("sv", "Tick “%(label)s” to go on.") % {
        "label": tr(
            "sv", "I sign off this reflection; it cannot be changed afterwards."
        ).rstrip(".")
    }
    assert summary_links(response.text) == [
        ("id_conclusion", conclusion),
        ("id_confirm", confirm),
    ]
    assert f'id="id_conclusion_error">{conclusion}</p>' in response.text
    assert tr("sv", "This field is required.") not in response.text
    assert not Reflection.objects.get(pk=held_reflection.pk).is_signed_off


def test_a_finding_is_listed_once_and_marked_in_the_text(client, member, group):
    sign_in(client, member)
    description = f"Pojken, {PERSONAL_NUMBER}, vill inte åka hem."

    response = client.post(url("create"), form_data(group, description=description))

    assert response.status_code == 200
    (link,) = summary_links(response.text)
    anchor, message = link
    assert anchor == "id_description"
    assert message.startswith(
        tr("sv", "A Swedish personal identity number at %(place)s.").split("%")[0]
    )
    # Once in the summary and once at the field, nowhere else.
    assert response.text.count(message) == 2
    assert f"Pojken, <mark>{PERSONAL_NUMBER}</mark>, vill inte åka hem." in (
        response.text
    )


def test_the_reason_to_save_anyway_is_optional_not_an_error(client, member, group):
    sign_in(client, member)
    description = f"Pojken, {PERSONAL_NUMBER}, vill inte åka hem."

    response = client.post(url("create"), form_data(group, description=description))

    reason = field_block(response.text, "save_anyway_reason")
    assert tr("sv", "Reason for saving anyway (optional)") in reason
    assert "field--error" not in reason
    assert "field__error" not in reason
    assert 'aria-invalid="true"' not in reason
    anchors = [anchor for anchor, _ in summary_links(response.text)]
    assert "id_save_anyway_reason" not in anchors
