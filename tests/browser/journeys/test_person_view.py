"""A session that starts from the person's own view and ends with an easy-read
answer for the person, printed.

Johan's group weighs a case with the four-principles analysis. Its second step
starts from the person: the page shows what the person said in their own words,
and asks whose voice is missing (the network was never asked). The group goes
on through the professionals' weighing, Johan signs the session off, noting
that the person's representative took part, writes a short summary in plain
language for the person, sees its readability, and prints it on one A4 page
with the organisation's name; the printing is in the audit log.
"""

from __future__ import annotations

import datetime
import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from audit.models import AuditEvent
from dilemmas.models import Dilemma, Voice
from organisations.models import ReflectionGroup
from reflections.models import AgendaItem, EasyRead, Method, Reflection
from tests.browser.journeys.conftest import close_and_assert_no_errors, person
from tests.browser.journeys.steps import check, label, sign_in, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN_WORDS = "Jag vill sova med dörren olåst. Jag vill själv välja när jag får besök."
TALKED = "Vi pratade om hur du vill ha det på natten. Du vill bestämma själv."
WILL_DO = "Vi låter dörren vara olåst. Vi frågar dig igen om en månad."
CONTACT = "Du kan prata med din kontaktperson på boendet."


def on_step(page: Page, number: int, title: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Step %(number)s: %(title)s") % {"number": number, "title": title}
    )


def test_a_session_starts_from_the_person_and_ends_with_a_printed_answer(
    demo, device, live_server
):
    johan = person(demo, "facilitator@alvdala.example")
    group = ReflectionGroup.objects.get(name="Etikgruppen barn och familj")
    meeting = group.meetings.upcoming().order_by("start").first()
    meeting.start = timezone.now().replace(microsecond=0) - datetime.timedelta(
        minutes=5
    )
    meeting.end = meeting.start + datetime.timedelta(minutes=90)
    meeting.detached = True
    meeting.save()
    dilemma = Dilemma.objects.filter(group=group, status=Dilemma.Status.RAISED).first()
    # The person was asked; the network was not, and no one speaks for them yet.
    dilemma.voices.all().delete()
    Voice.objects.create(
        dilemma=dilemma, kind="person", asked="in_person", wishes=OWN_WORDS
    )
    method = Method.objects.seeded_for(demo).get(key="four-principles")
    AgendaItem.objects.create(
        organisation=demo, meeting=meeting, dilemma=dilemma, method=method
    )
    titles = [s.title for s in method.steps.order_by("position")]

    laptop = device()
    page = laptop.page
    sign_in(page, live_server.url, johan.user.email)
    page.goto(
        live_server.url
        + reverse(
            "meetings:meeting_detail",
            kwargs={"org": "alvdala", "meeting_uuid": meeting.uuid},
        )
    )
    page.get_by_role("button", name=t("Start the reflection")).click()
    on_step(page, 1, titles[0])
    page.get_by_role("button", name=t("Next step")).click()

    # The person's own view comes first, before the professionals' weighing.
    on_step(page, 2, titles[1])
    panel = page.get_by_role("region", name=t("Start from the person's own view"))
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(OWN_WORDS)
    expect(panel).to_contain_text(t("Whose voice is missing? Not recorded yet:"))
    expect(panel).to_contain_text(t("Relatives or network"))
    check(page)
    page.get_by_role("textbox", name=t("Notes"), exact=True).fill(
        "Personen vill bestämma själv över natten; nätverket behöver frågas."
    )
    for number in range(3, len(titles) + 1):
        page.get_by_role("button", name=t("Next step")).click()
        on_step(page, number, titles[number - 1])
        expect(
            page.get_by_role("region", name=t("Start from the person's own view"))
        ).to_have_count(0)
    check(page)

    page.get_by_role("button", name=t("Conclude and sign off")).click()
    page.get_by_label(label("Conclusion")).fill(
        "Dörren får vara olåst; vi frågar personen igen om en månad."
    )
    page.get_by_label(t("Yes, their representative")).check()
    page.get_by_label(
        t("I sign off this reflection; it cannot be changed afterwards.")
    ).check()
    page.get_by_role("button", name=t("Sign off"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dilemma.title)

    # The easy-read answer, with its readability, then printed.
    page.get_by_role("link", name=t("Write the easy-read summary")).click()
    check(page)
    page.get_by_label(label("what we talked about")).fill(TALKED)
    page.get_by_label(label("what we will do")).fill(WILL_DO)
    page.get_by_label(label("who you can talk to")).fill(CONTACT)
    page.get_by_role("button", name=t("Save the summary")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        t("The easy-read summary was saved.")
    )
    expect(page.get_by_text("LIX").first).to_be_visible()
    check(page)
    page.get_by_role("link", name=t("Open the summary for printing")).click()
    expect(page.get_by_text(WILL_DO)).to_be_visible()
    check(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(printed.pages) == 1
    assert round(float(printed.pages[0].mediabox.width)) == 595  # A4
    text = " ".join(
        unicodedata.normalize("NFKC", printed.pages[0].extract_text()).split()
    )
    assert demo.name in text
    assert "Vi låter dörren vara olåst." in text

    close_and_assert_no_errors(laptop)

    reflection = Reflection.objects.get(dilemma=dilemma)
    assert reflection.is_signed_off
    assert reflection.person_present == Reflection.Present.REPRESENTATIVE
    assert reflection.steps.get(position=2).person_view
    assert EasyRead.objects.get(reflection=reflection).will_do == WILL_DO
    assert AuditEvent.objects.filter(
        action="print", object_uuid=reflection.uuid, membership=johan
    ).exists()
