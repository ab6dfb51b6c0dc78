"""The reflection log as it is filed: on the page, in print and as a PDF."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from audit.models import AuditEvent
from reflections.models import Action, Position, StepKind, sign_off
from reflections.retention import erase
from tests.factories import sign_in
from tests.translations import tr
from tests.values.helpers import adopt, fill, make_base, make_draft

from .helpers import make_meeting, start_reflection

pytestmark = pytest.mark.django_db


def log_url(reflection, name: str = "log") -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
    )


@pytest.fixture
def filed(org, group, dilemma, facilitator, member, colleague):
    """A held, signed-off session: notes, positions, actions, citations, attendance."""
    version = make_draft(make_base(org), number=3)
    content = fill(version)
    adopt(version, datetime.date(2024, 1, 1))
    meeting = make_meeting(group, timezone.localdate() - datetime.timedelta(days=1))
    reflection = start_reflection(meeting, dilemma, facilitator)
    first = reflection.steps.get(position=1)
    first.notes = "Vi samlade fakta om hemtjänsten."
    first.save(update_fields=["notes"])
    positions = reflection.steps.get(kind=StepKind.POSITIONS)
    Position.objects.create(step=positions, membership=member, body="Hemlig hållning")
    Action.objects.create(
        organisation=org,
        reflection=reflection,
        text="Boka möte med anhöriga",
        owner=member,
        due=datetime.date(2030, 5, 17),
    )
    reflection.cite(values=[content["dignity"]], guidelines=[content["guideline"]])
    meeting.answer(colleague, "no")
    meeting.record_attendance([facilitator, member])
    sign_off(reflection=reflection, by=facilitator, conclusion="Vi respekterar nejet.")
    return reflection


def test_the_log_carries_the_whole_record(client, member, filed):
    sign_in(client, member)
    response = client.get(log_url(filed))
    assert response.status_code == 200
    page = response.text
    # Organisation, unit, group, method, facilitator.
    for text in (
        "Norrby kommun, socialförvaltningen",
        "Barn och familj",
        "Etikgruppen",
        filed.method_name,
        "Fredrik Facilitator",
    ):
        assert text in page
    # The meeting's time in the organisation's time zone (13:00-14:30 Stockholm).
    assert "13:00–14:30, centraleuropeisk tid (Stockholm)" in page
    # Who came and who sent apologies, by the facilitator's record.
    assert tr("sv", "Present") in page and tr("sv", "Sent apologies") in page
    present = page.split(tr("sv", "Present"), 1)[1].split("</dd>", 1)[0]
    assert "Fredrik Facilitator" in present and "Maja Member" in present
    apologies = page.split(tr("sv", "Sent apologies"), 1)[1].split("</dd>", 1)[0]
    assert "Kalle Kollega" in apologies
    # Notes, conclusion, actions with owners and dates, citations of the version.
    assert "Vi samlade fakta om hemtjänsten." in page
    assert "Vi respekterar nejet." in page
    assert "Boka möte med anhöriga" in page and "17 maj 2030" in page
    assert "Värdegrund för socialförvaltningen, version 3" in page
    assert "Bemötande" in page
    # The sign-off with name and date, and a line to sign on.
    day = timezone.localtime(filed.signed_off).date()
    assert tr("sv", "Signature") in page
    sign_off_part = page.split('id="sign-off-heading"', 1)[1]
    assert "Fredrik Facilitator" in sign_off_part
    assert f"{day.day} " in sign_off_part and str(day.year) in sign_off_part
    # Positions never revealed stay private.
    assert "Hemlig hållning" not in page
    assert AuditEvent.objects.filter(action="print").count() == 1


def test_without_attendance_the_log_says_it_shows_the_answers(
    client, group, dilemma, facilitator, member, colleague
):
    meeting = make_meeting(group, timezone.localdate() - datetime.timedelta(days=1))
    reflection = start_reflection(meeting, dilemma, facilitator)
    meeting.answer(member, "yes")
    meeting.answer(colleague, "no")
    sign_in(client, facilitator)
    page = client.get(log_url(reflection)).text
    assert (
        tr(
            "sv",
            "Attendance was not recorded for this meeting. The lists below are the "
            "answers to the invitation, not who came.",
        )
        in page
    )
    coming = page.split(tr("sv", "Said they would come"), 1)[1].split("</dd>", 1)[0]
    assert "Maja Member" in coming
    apologies = page.split(tr("sv", "Sent apologies"), 1)[1].split("</dd>", 1)[0]
    assert "Kalle Kollega" in apologies
    silent = page.split(tr("sv", "Did not answer"), 1)[1].split("</dd>", 1)[0]
    assert "Fredrik Facilitator" in silent
    draft = "Not signed off yet: until it is, this log is a draft of the record."
    assert tr("sv", draft) in page


def test_the_log_is_refused_outside_the_group_and_the_organisation(
    client, filed, other_member, outsider
):
    for person in (other_member, outsider):
        sign_in(client, person)
        assert client.get(log_url(filed)).status_code == 404
    client.logout()
    assert client.get(log_url(filed)).status_code == 302


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_the_record_to_file(client, member, filed):
    sign_in(client, member)
    response = client.get(log_url(filed, "log_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    held = timezone.localtime(filed.meeting.start).date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="reflection-{held}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for part in (
        "Norrby kommun, socialförvaltningen",
        "Barn och familj",
        "Etikgruppen",
        "13:00–14:30",
        "Maja Member",
        "Kalle Kollega",
        "Vi samlade fakta om hemtjänsten.",
        "Vi respekterar nejet.",
        "Boka möte med anhöriga",
        "17 maj 2030",
        "Värdegrund för socialförvaltningen, version 3",
        "Fredrik Facilitator",
        tr("sv", "Signature"),
    ):
        assert part in text, part
    # Page numbers at the foot of each page.
    assert "1 / " in text
    # Positions never revealed stay private in the PDF as on the page.
    assert "Hemlig hållning" not in text
    # Downloading is audited like reading the log.
    assert AuditEvent.objects.filter(action="print").count() == 1


def test_revealed_positions_are_in_the_pdf(client, facilitator, reflection, member):
    positions = reflection.steps.get(kind=StepKind.POSITIONS)
    Position.objects.create(step=positions, membership=member, body="Jag väljer A.")
    positions.revealed = timezone.now()
    positions.save(update_fields=["revealed"])
    sign_in(client, facilitator)
    text = pdf_text(client.get(log_url(reflection, "log_pdf")).content)
    assert "Maja Member: Jag väljer A." in text
    draft = "Not signed off yet: until it is, this log is a draft of the record."
    assert tr("sv", draft) in " ".join(text.split())


def test_letters_beyond_latin_in_the_case_are_in_the_pdf(client, member, filed):
    """The fonts are cut from a prepared cut of the Latin letters where it holds
    every glyph a log uses, and from the whole font where it does not."""
    dilemma = filed.dilemma
    dilemma.description = "Fru Αθηνά Παπαδοπούλου och hennes son Nguyễn Thị Ánh."
    dilemma.save(update_fields=["description"])
    sign_in(client, member)
    pdf = client.get(log_url(filed, "log_pdf")).content
    assert "Fru Αθηνά Παπαδοπούλου och hennes son Nguyễn Thị Ánh." in " ".join(
        pdf_text(pdf).split()
    )
    reader = PdfReader(io.BytesIO(pdf))
    regular = [
        ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for ref in reader.pages[0]["/Resources"]["/Font"].values()
    ]
    cmaps = [
        TTFont(io.BytesIO(descriptor["/FontFile2"].get_data())).getBestCmap()
        for descriptor in regular
    ]
    assert any(
        all(ord(letter) in cmap for letter in "ΑθηνάΠαπδούλễịÁ") for cmap in cmaps
    )


def test_the_pdf_of_an_erased_reflection_shows_it_erased(client, member, filed):
    erase(filed.dilemma, now=timezone.now())
    sign_in(client, member)
    text = pdf_text(client.get(log_url(filed, "log_pdf")).content)
    assert "Vi respekterar nejet." not in text
    assert "Vi samlade fakta" not in text
    assert "Hemtjänst mot brukarens vilja" not in text
    assert tr("sv", "Erased under the retention rule") in text
    # Who came, the dates and the sign-off are kept.
    assert "Maja Member" in text and "Fredrik Facilitator" in text


def test_the_pdf_is_refused_like_the_log(client, member, filed, other_member, outsider):
    for person in (other_member, outsider):
        sign_in(client, person)
        assert client.get(log_url(filed, "log_pdf")).status_code == 404
    assert not AuditEvent.objects.filter(action="print").exists()
    client.logout()
    assert client.get(log_url(filed, "log_pdf")).status_code == 302
    sign_in(client, member)
    assert client.post(log_url(filed, "log_pdf")).status_code == 405
