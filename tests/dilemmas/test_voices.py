"""The person's own view, and their network's and representative's, in a case."""

from __future__ import annotations

import datetime
import io
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from dilemmas.models import Dilemma, GuardOverride, Voice
from reflections.models import sign_off
from reflections.retention import erase
from tests.factories import sign_in
from tests.translations import tr

from .helpers import make_dilemma, make_meeting, start_reflection

pytestmark = pytest.mark.django_db

WISH = "Jag vill bo kvar hemma och klara duschen själv."
WHY_NOT = "Anhöriga har inte haft kontakt med honom på flera år."
PERSONAL_NUMBER = "19121212-1212"
PROMPT = "Whose voice is missing? Not recorded yet:"


def url(name: str, dilemma=None) -> str:
    kwargs = {"org": "norrby"}
    if dilemma is not None:
        kwargs["dilemma_uuid"] = dilemma.uuid
    return reverse(f"dilemmas:{name}", kwargs=kwargs)


def form_data(group=None, **overrides) -> dict:
    data = {
        "title": "Hjälp med duschen",
        "description": "En äldre man tackar nej till hjälp med att duscha.",
        "question": "Ska vi respektera nejet eller övertala honom?",
    }
    if group is not None:
        data["group"] = group.pk
    return {**data, **overrides}


def html(message: str) -> str:
    return escape(tr("sv", message))


def label(kind: Voice.Kind) -> str:
    return html(str(kind.label))


def missing_list(page: str) -> str:
    """The prompt and the list after it, or '' when there is none."""
    start = page.find(html(PROMPT))
    return page[start : page.find("</ul>", start)] if start >= 0 else ""


def test_raising_a_dilemma_with_voices_keeps_each_kind(client, member, group):
    sign_in(client, member)
    form = client.get(url("create"))
    assert html("Was the person asked for their view?") in form.text

    response = client.post(
        url("create"),
        form_data(
            group,
            person_asked="in_person",
            person_wishes=WISH,
            network_asked="not_possible",
            network_why_not=WHY_NOT,
        ),
    )

    dilemma = Dilemma.objects.get()
    assert response.status_code == 302
    voices = {v.kind: v for v in dilemma.voices.all()}
    assert set(voices) == {"person", "network"}
    assert (voices["person"].asked, voices["person"].wishes) == ("in_person", WISH)
    assert (voices["network"].asked, voices["network"].why_not) == (
        "not_possible",
        WHY_NOT,
    )
    page = client.get(url("detail", dilemma)).text
    assert escape(WISH) in page and escape(WHY_NOT) in page
    assert html("Yes, in person") in page
    # Only the representative is missing, and the page asks about it calmly.
    missing = missing_list(page)
    assert label(Voice.Kind.REPRESENTATIVE) in missing
    assert label(Voice.Kind.PERSON) not in missing
    assert label(Voice.Kind.NETWORK) not in missing
    assert 'role="alert"' not in page


def test_a_dilemma_without_voices_is_saved_and_asks_whose_is_missing(
    client, member, group
):
    sign_in(client, member)
    response = client.post(url("create"), form_data(group))
    assert response.status_code == 302
    dilemma = Dilemma.objects.get()
    assert not dilemma.voices.exists()
    missing = missing_list(client.get(url("detail", dilemma)).text)
    for kind in Voice.Kind:
        assert label(kind) in missing


def test_not_asked_yet_counts_as_missing_and_no_one_does_not(client, member, group):
    dilemma = make_dilemma(group, member)
    Voice.objects.create(dilemma=dilemma, kind="person", asked="not_asked")
    Voice.objects.create(dilemma=dilemma, kind="network", asked="no_one")
    Voice.objects.create(dilemma=dilemma, kind="representative", asked="no_one")
    sign_in(client, member)
    missing = missing_list(client.get(url("detail", dilemma)).text)
    assert label(Voice.Kind.PERSON) in missing
    assert label(Voice.Kind.NETWORK) not in missing

    Voice.objects.filter(kind="person").update(
        asked="through_representative", wishes=WISH
    )
    page = client.get(url("detail", dilemma)).text
    assert html(PROMPT) not in page
    assert html("Yes, through a representative") in page


def test_changing_shows_the_voices_and_saves_changes(client, member, group):
    dilemma = make_dilemma(group, member)
    Voice.objects.create(
        dilemma=dilemma, kind="person", asked="in_person", wishes="Gammal önskan"
    )
    Voice.objects.create(dilemma=dilemma, kind="network", asked="not_asked")
    sign_in(client, member)
    form = client.get(url("change", dilemma)).text
    assert "Gammal önskan" in form
    assert 'value="not_asked" id="id_network_asked_1" checked' in form

    response = client.post(
        url("change", dilemma),
        form_data(person_asked="in_person", person_wishes=WISH, network_asked=""),
    )

    assert response.status_code == 302
    assert list(dilemma.voices.values_list("kind", "wishes")) == [("person", WISH)]
    assert AuditEvent.objects.filter(action="change", object_kind="dilemma").exists()


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"person_asked": "in_person"},
            "person_wishes",
            "Write what they want, in their own words, or choose another answer.",
        ),
        (
            {"representative_asked": "not_possible"},
            "representative_why_not",
            "Say why it was not possible to ask them.",
        ),
        (
            {"network_wishes": WISH},
            "network_asked",
            "Say whether they were asked, or clear what you wrote below.",
        ),
        (
            {"network_asked": "no_one", "network_wishes": WISH},
            "network_wishes",
            "Their words are kept only when they were asked, or asking was not "
            "possible: choose that answer, or clear the text.",
        ),
        (
            {"person_asked": "not_asked", "person_why_not": WHY_NOT},
            "person_why_not",
            "A reason is kept only when asking was not possible: choose that "
            "answer, or clear the reason.",
        ),
    ],
)
def test_an_incomplete_answer_comes_back_with_what_was_typed(
    client, member, group, typed, field, message
):
    sign_in(client, member)
    response = client.post(url("create"), form_data(group, **typed))

    assert response.status_code == 200
    assert not Dilemma.objects.exists()
    page = response.text
    assert html(message) in page
    # The error summary links to the field.
    assert f'href="#id_{field}' in page
    assert "Hjälp med duschen" in page
    for value in typed.values():
        if value not in {"in_person", "not_possible", "no_one", "not_asked"}:
            assert escape(value) in page


def test_the_guard_stops_an_identifier_in_their_words_and_keeps_the_text(
    client, member, group
):
    sign_in(client, member)
    wish = f"Jag heter inget här men mitt nummer är {PERSONAL_NUMBER}."
    data = form_data(group, person_asked="in_person", person_wishes=wish)

    response = client.post(url("create"), data)

    assert response.status_code == 200
    assert not Dilemma.objects.exists()
    assert escape(wish) in response.text
    assert (
        html("Remove what identifies a person, or give a reason below to save anyway.")
        in response.text
    )
    assert 'name="save_anyway_reason"' in response.text

    response = client.post(
        url("create"), {**data, "save_anyway_reason": "Numret är påhittat."}
    )
    assert response.status_code == 302
    override = GuardOverride.objects.get()
    assert override.fields == ["person_wishes"]
    assert PERSONAL_NUMBER not in str(override.identifier_kinds)


def _voiced(dilemma: Dilemma) -> None:
    Voice.objects.create(dilemma=dilemma, kind="person", asked="in_person", wishes=WISH)
    Voice.objects.create(
        dilemma=dilemma, kind="network", asked="not_possible", why_not=WHY_NOT
    )


def test_the_session_pages_and_the_log_show_the_voices(
    client, group, dilemma, facilitator, member
):
    _voiced(dilemma)
    held = make_meeting(group, timezone.localdate() - datetime.timedelta(days=1))
    reflection = start_reflection(held, dilemma, facilitator)
    sign_in(client, member)
    kwargs = {"org": "norrby", "reflection_uuid": reflection.uuid}
    pages = [
        reverse("reflections:step", kwargs={**kwargs, "position": 1}),
        reverse("reflections:detail", kwargs=kwargs),
        reverse("reflections:log", kwargs=kwargs),
    ]
    for address in pages:
        page = client.get(address).text
        assert escape(WISH) in page, address
        assert label(Voice.Kind.REPRESENTATIVE) in missing_list(page), address

    sign_off(reflection=reflection, by=facilitator, conclusion="Vi frågar honom.")
    pdf = client.get(reverse("reflections:log_pdf", kwargs=kwargs))
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert WISH in text and WHY_NOT in text
    assert tr("sv", PROMPT) in text
    assert tr("sv", str(Voice.Kind.REPRESENTATIVE.label)) in text


def test_retention_erases_their_words_and_keeps_whether_they_were_asked(
    client, group, dilemma, member
):
    _voiced(dilemma)
    erase(dilemma, now=timezone.now())
    assert set(dilemma.voices.values_list("kind", "asked", "why_not", "wishes")) == {
        ("person", "in_person", "", ""),
        ("network", "not_possible", "", ""),
    }
    sign_in(client, member)
    page = client.get(url("detail", dilemma)).text
    assert escape(WISH) not in page and escape(WHY_NOT) not in page
    assert html(PROMPT) not in page


def test_the_voices_are_read_like_the_case_and_not_outside_the_group(
    client, dilemma, other_member
):
    _voiced(dilemma)
    sign_in(client, other_member)
    response = client.get(url("detail", dilemma))
    assert response.status_code == 404
    assert escape(WISH) not in response.text
