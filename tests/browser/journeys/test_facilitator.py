"""A facilitator runs a whole ten-step session while two participants follow.

Johan leads Etikgruppen barn och familj in Älvdala; its meeting is now. He puts a
dilemma the group raised on today's agenda with the dilemma method and starts.
Sara follows on her phone and Amira on her tablet, each signed in as herself.
On the perspectives step Johan cites a value and a guideline; the participants'
pages follow there, and are reloaded there. On the positions step everyone
writes their own position; Johan cites again, sees how many have written, never
what, and reveals them all at once. An action is agreed and the session is
signed off with the conclusion the group wrote on step 8.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.translation import ngettext, override
from playwright.sync_api import Page, expect

from audit.models import AuditEvent
from dilemmas.models import Dilemma
from organisations.models import ReflectionGroup
from reflections.models import Action, Position, Reflection, StepKind
from tests.browser.helpers import fill_date
from tests.browser.journeys.conftest import close_and_assert_no_errors, person
from tests.browser.journeys.steps import (
    LANGUAGE,
    PHONE,
    check,
    choose,
    label,
    sign_in,
    t,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DILEMMA = "Samma tid för alla eller mer för den som behöver"
CONCLUSION = (
    "Vi ger mer tid när behovet är tydligt och säger till när passet inte räcker."
)
STEPS = [
    "The case",
    "The dilemma",
    "Clarifying questions",
    "Perspectives, values and norms",
    "Options",
    "Individual weighing",
    "Dialogue",
    "Conclusion",
    "Actions",
    "Closing round",
]


def on_step(page: Page, number: int) -> None:
    """The page shows the group's step `number`, whether followed or reloaded."""
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(STEPS[number - 1]))


def written(count: int, total: int) -> str:
    with override(LANGUAGE):
        return ngettext(
            "%(count)s of %(total)s has written a position.",
            "%(count)s of %(total)s have written their positions.",
            count,
        ) % {"count": count, "total": total}


def test_facilitator_runs_a_whole_session_while_two_participants_follow(
    demo, device, live_server
):
    johan = person(demo, "facilitator@alvdala.example")
    sara = person(demo, "staff@alvdala.example")
    amira = person(demo, "amira.yusuf@alvdala.example")
    group = ReflectionGroup.objects.get(name="Etikgruppen barn och familj")
    taking_part = group.members.count()
    # The group's next meeting is now: the journey runs at meeting time.
    meeting = group.meetings.upcoming().order_by("start").first()
    meeting.start = timezone.now().replace(second=0, microsecond=0)
    meeting.start -= datetime.timedelta(minutes=5)
    meeting.end = meeting.start + datetime.timedelta(hours=2)
    meeting.detached = True
    meeting.save()
    today = timezone.localdate()

    laptop = device()
    page = laptop.page
    sign_in(page, live_server.url, johan.user.email)
    check(page)

    # The dilemma on today's agenda, from the dashboard's next steps.
    page.get_by_role("link", name=re.compile(t("dilemma"), re.IGNORECASE)).filter(
        has_text=re.compile(r"^\d")
    ).first.click()
    check(page)
    page.get_by_role("row").filter(has_text=DILEMMA).filter(has_text=group.name).filter(
        has_text=t("Raised")
    ).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DILEMMA)
    check(page)
    page.get_by_label(label("Meeting")).select_option(index=1)
    page.get_by_label(label("Method")).select_option(
        label=t("The dilemma method (ten steps)")
    )
    page.get_by_role("button", name=t("Put on the agenda")).click()
    expect(page.get_by_role("status")).to_be_visible()
    check(page)
    page.get_by_role("link", name=re.compile(rf"^{meeting.title}")).first.click()
    check(page)
    page.get_by_role("button", name=t("Start the reflection")).click()
    on_step(page, 1)
    check(page)
    reflection = Reflection.objects.get(dilemma__title=DILEMMA, meeting=meeting)

    def notes(text: str) -> None:
        page.get_by_role("textbox", name=t("Notes"), exact=True).fill(text)

    def next_step(number: int) -> None:
        page.get_by_role("button", name=t("Next step")).click()
        on_step(page, number)

    notes("Brukaren behöver allt längre besök; de andra besöken blir korta.")
    next_step(2)
    notes("Ska vi hålla den beviljade tiden eller ge mer och låta andra vänta?")
    next_step(3)

    # The participants join from their dashboards, on their own devices.
    phone = device(width=PHONE, height=800)
    tablet = device(width=768, height=1024)
    for participant, who in ((phone, sara), (tablet, amira)):
        sign_in(participant.page, live_server.url, who.user.email)
        expect(participant.page.get_by_text(t("A session is running"))).to_be_visible()
        check(participant.page)
        participant.page.get_by_role("link", name=t("Join the session")).click()
        on_step(participant.page, 3)
        check(participant.page)

    notes("Hur länge har besöken varit längre? Sedan i somras.")
    next_step(4)

    # Perspectives, with a value and a guideline cited.
    party = page.get_by_role("group", name=t("A new party"))
    party.get_by_label(label("party")).fill("Brukaren")
    party.get_by_label("Självbestämmande och delaktighet").check()
    party.get_by_label(label("norms (we should ...)")).fill(
        "Vi bör ge den tid som behovet kräver."
    )
    page.get_by_role("button", name=t("Add the party")).click()
    expect(page.get_by_role("main")).to_contain_text("Vi bör ge den tid")
    party = page.get_by_role("group", name=t("A new party"))
    party.get_by_label(label("party")).fill("Kollegorna")
    party.get_by_label("Professionalitet").check()
    party.get_by_label(label("norms (we should ...)")).fill(
        "Vi bör kunna göra alla besök vi har lovat."
    )
    page.get_by_role("button", name=t("Add the party")).click()
    expect(page.get_by_role("main")).to_contain_text("Vi bör kunna göra alla besök")
    page.get_by_role("group", name=t("Values"), exact=True).get_by_label(
        "Alla människors lika värde"
    ).check()
    page.get_by_role("group", name=t("Guidelines"), exact=True).get_by_label(
        "Bemötande ("
    ).check()
    page.get_by_role("button", name=t("Save"), exact=True).click()
    expect(page.get_by_role("status").first).to_be_visible()
    check(page)

    # The participants' pages have followed to the cited step, and read it
    # again after a reload.
    for participant in (phone, tablet):
        on_step(participant.page, 4)
        expect(participant.page.get_by_role("main")).to_contain_text("Kollegorna")
        participant.page.reload()
        on_step(participant.page, 4)
        expect(participant.page.get_by_role("main")).to_contain_text("Bemötande")
        check(participant.page)

    next_step(5)
    for option in ("Hålla den beviljade tiden", "Ge mer tid och låta andra vänta"):
        page.get_by_role("group", name=t("A new option")).get_by_label(
            label("option")
        ).fill(option)
        page.get_by_role("button", name=t("Add the option")).click()
        expect(page.get_by_role("main")).to_contain_text(option)
    next_step(6)

    # Positions: everyone writes their own, on their own device.
    positions = {
        phone: "Jag vill ge mer tid, men vi måste säga till chefen.",
        tablet: "Jag håller den beviljade tiden tills behovet är prövat igen.",
    }
    for participant, text in positions.items():
        on_step(participant.page, 6)
        participant.page.get_by_label(label("your position")).fill(text)
        participant.page.get_by_role("button", name=t("Save my position")).click()
        expect(participant.page.get_by_role("status").first).to_contain_text(
            t("Your position was saved.")
        )
        expect(participant.page.get_by_label(label("your position"))).to_have_value(
            text
        )
        check(participant.page)
    # Johan sees how many have written, never what.
    expect(page.locator("#pulse")).to_contain_text(written(2, taking_part))
    for text in positions.values():
        expect(page.get_by_role("main")).not_to_contain_text(text)
    page.get_by_label(label("your position")).fill(
        "Mer tid nu, och en ny bedömning inom en månad."
    )
    page.get_by_role("group", name=t("Guidelines"), exact=True).get_by_label(
        "Stöd mellan kollegor ("
    ).check()
    page.get_by_role("button", name=t("Reveal all positions")).click()
    # Fewer than half of the group have written: she is asked, and goes on.
    confirm = page.get_by_role("alert")
    expect(confirm).to_contain_text(t("Reveal them anyway"))
    expect(page.locator("#positions")).not_to_contain_text(list(positions.values())[0])
    check(page)
    confirm.get_by_role("button", name=t("Reveal them anyway")).click()
    for text in positions.values():
        expect(page.locator("#positions")).to_contain_text(text)
    check(page)
    # Revealed on every device without a reload, and after one.
    for participant in (phone, tablet):
        expect(participant.page.locator("#positions")).to_contain_text(
            "en ny bedömning inom en månad"
        )
        participant.page.reload()
        on_step(participant.page, 6)
        expect(participant.page.locator("#positions")).to_contain_text(
            positions[tablet]
        )
        expect(participant.page.get_by_role("main")).to_contain_text(
            "Stöd mellan kollegor"
        )
        check(participant.page)

    next_step(7)
    notes("Vi pratade om vad som händer med de andra brukarna när tiden tar slut.")
    next_step(8)
    notes(CONCLUSION)
    next_step(9)
    action = page.get_by_role("group", name=t("A new action"))
    action.get_by_label(label("action")).fill("Ta upp tidsramarna med chefen")
    choose(action.get_by_label(label("owner")), "Sara Lindqvist")
    fill_date(page, LANGUAGE, "due", today + datetime.timedelta(days=14))
    page.get_by_role("button", name=t("Add the action")).click()
    expect(page.get_by_role("main")).to_contain_text("Ta upp tidsramarna med chefen")
    check(page)
    next_step(10)
    for participant in (phone, tablet):
        on_step(participant.page, 10)

    # Sign-off, with the conclusion the group wrote on step 8.
    page.get_by_role("button", name=t("Conclude and sign off")).click()
    expect(page.get_by_label(label("Conclusion"))).to_have_value(CONCLUSION)
    check(page)
    page.get_by_label(
        t("I sign off this reflection; it cannot be changed afterwards.")
    ).check()
    page.get_by_role("button", name=t("Sign off"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(DILEMMA)
    check(page)
    page.get_by_role("link", name=t("Printable log")).click()
    expect(page.locator("article")).to_contain_text(CONCLUSION)
    check(page)

    # The participants' pages learn of the sign-off by themselves; Sara goes
    # on to the reflection and its evaluation.
    for participant in (phone, tablet):
        expect(participant.page.get_by_role("main")).to_contain_text(
            t("This reflection is signed off and cannot be changed.")
        )
        expect(participant.page.get_by_role("main")).not_to_contain_text(
            t("You follow the facilitator: this page moves on with the group.")
        )
        check(participant.page)
    phone.page.get_by_role(
        "link", name=t("On to the reflection and its evaluation")
    ).click()
    expect(phone.page.get_by_role("heading", level=1)).to_contain_text(DILEMMA)
    expect(phone.page.get_by_role("main")).to_contain_text(CONCLUSION)
    check(phone.page)
    phone.page.get_by_role("link", name=t("Evaluate the session")).click()
    expect(phone.page.get_by_role("button", name=t("Send my answer"))).to_be_visible()
    check(phone.page)

    close_and_assert_no_errors(laptop, phone, tablet)

    reflection.refresh_from_db()
    assert reflection.is_signed_off
    assert reflection.signed_off_by == johan
    assert reflection.conclusion == CONCLUSION
    assert reflection.version.number == 2
    assert reflection.steps.count() == 10
    assert reflection.steps.get(position=1).notes.startswith("Brukaren behöver")
    assert reflection.steps.get(kind=StepKind.POSITIONS).revealed is not None
    assert sorted(
        Position.objects.filter(step__reflection=reflection).values_list(
            "membership", flat=True
        )
    ) == sorted([sara.pk, amira.pk, johan.pk])
    citations = reflection.citations.select_related("value", "guideline")
    assert {(c.value or c.guideline).title for c in citations} == {
        "Alla människors lika värde",
        "Bemötande",
        "Stöd mellan kollegor",
    }
    (agreed,) = Action.objects.filter(reflection=reflection)
    assert (agreed.owner, agreed.due) == (sara, today + datetime.timedelta(days=14))
    assert (
        Dilemma.objects.get(pk=reflection.dilemma_id).status == Dilemma.Status.DISCUSSED
    )
    assert AuditEvent.objects.filter(
        membership=sara, object_uuid=reflection.uuid, action="read"
    ).exists()
