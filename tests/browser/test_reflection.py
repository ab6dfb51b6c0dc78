"""A whole reflection session in real Chromium, with the ten-step dilemma method.

A member raises a dilemma; the facilitator puts it on a meeting's agenda and runs
every step, losing nothing typed; a participant joins from the dashboard in a
second browser, follows the facilitator's steps without reloading, writes a
position, sees the count and then the revealed positions; an action is agreed
and the facilitator signs off. Pages are checked with axe; serious or critical
findings fail.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dilemmas.models import Dilemma
from reflections.models import Action, Position, Reflection, StepKind
from tests.browser.helpers import assert_accessible, tr
from tests.dilemmas.helpers import make_meeting
from tests.factories import PASSWORD, make_group, make_member, make_org, make_unit
from tests.values.helpers import adopt, fill, make_base, make_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, membership) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(membership.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/o/{membership.organisation.slug}/")


def test_a_whole_session_with_the_dilemma_method(page: Page, live_server, browser):
    org = make_org("norrby")
    unit = make_unit(org, "Hemtjänst")
    facilitator = make_member(org, "facilitator", unit=unit, name="Fredrik Facilitator")
    member = make_member(org, "staff", unit=unit, name="Maja Member")
    group = make_group(
        org, unit, "Etikgruppen", facilitators=[facilitator], members=[member]
    )
    version = make_draft(make_base(org), 1)
    fill(version)
    adopt(version, datetime.date(2024, 1, 1))
    # The meeting is on now: the session runs, and can be signed off at the end.
    start = timezone.localtime() - datetime.timedelta(minutes=5)
    meeting = make_meeting(group, start.date())
    meeting.start, meeting.end = start, start + datetime.timedelta(hours=2)
    meeting.save()

    # A member raises the dilemma.
    sign_in(page, live_server, member)
    page.get_by_role("navigation", name=tr("sv", "Main")).get_by_role(
        "link", name=tr("sv", "Dilemmas")
    ).click()
    page.get_by_role("link", name=tr("sv", "Raise a dilemma")).first.click()
    assert_accessible(page)
    page.locator("select[name=group]").select_option(str(group.pk))
    page.locator("input[name=title]").fill("Hjälp som inte önskas")
    page.locator("textarea[name=description]").fill(
        "En äldre man säger nej till dusch sedan flera veckor."
    )
    page.locator("input[name=question]").fill("Respektera nejet eller övertyga?")
    page.get_by_role("button", name=tr("sv", "Raise the dilemma")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hjälp som inte önskas")
    dilemma = Dilemma.objects.get()

    # The facilitator puts it on the agenda and starts the reflection.
    sign_in(page, live_server, facilitator)
    page.goto(f"{live_server.url}/o/norrby/dilemmas/{dilemma.uuid}/")
    assert_accessible(page)
    page.locator("select[name=meeting]").select_option(str(meeting.pk))
    page.locator("select[name=method]").select_option(
        label=tr("sv", "The dilemma method (ten steps)")
    )
    page.get_by_role("button", name=tr("sv", "Put on the agenda")).click()
    page.get_by_role("link", name=meeting.title).first.click()
    page.get_by_role("button", name=tr("sv", "Start the reflection")).click()
    expect(page).to_have_url(re.compile(r"/steps/1/$"))
    assert_accessible(page)
    reflection = Reflection.objects.get()
    assert reflection.version == version

    # Nothing typed is lost: notes typed and "Next step" pressed at once.
    page.locator('textarea[name="notes-notes"]').fill("Mannen har sagt nej tre gånger.")
    page.get_by_role("button", name=tr("sv", "Next step")).click()
    expect(page).to_have_url(re.compile(r"/steps/2/$"))
    page.get_by_role("navigation", name=tr("sv", "Steps")).get_by_role(
        "button", name=re.compile(r"^1 ")
    ).click()
    expect(page.locator('textarea[name="notes-notes"]')).to_have_value(
        "Mannen har sagt nej tre gånger."
    )
    # Typed and left alone, the notes save by themselves.
    page.locator('textarea[name="notes-notes"]').fill(
        "Mannen har sagt nej fyra gånger."
    )
    expect(page.locator("#notes-status")).to_contain_text(tr("sv", "Saved."))
    assert reflection.steps.get(position=1).notes == "Mannen har sagt nej fyra gånger."

    def next_step(number: int) -> None:
        page.get_by_role("button", name=tr("sv", "Next step")).click()
        expect(page).to_have_url(re.compile(rf"/steps/{number}/$"))

    next_step(2)
    next_step(3)

    # A participant joins from the dashboard and follows the facilitator.
    other = browser.new_context(locale="sv-SE")
    device = other.new_page()
    sign_in(device, live_server, member)
    expect(device.get_by_text(tr("sv", "A session is running"))).to_be_visible()
    device.get_by_role("link", name=tr("sv", "Join the session")).click()
    expect(device.get_by_role("heading", level=1)).to_contain_text(
        tr("sv", "Clarifying questions")
    )
    assert_accessible(device)

    next_step(4)
    expect(device.get_by_role("heading", level=1)).to_contain_text(
        tr("sv", "Perspectives, values and norms"), timeout=10_000
    )
    page.locator('input[name="item-party"]').fill("Brukaren")
    page.get_by_label("Integritet").first.check()
    page.locator('textarea[name="item-norms"]').fill("Vi ska respektera hans nej.")
    page.get_by_role("button", name=tr("sv", "Add the party")).click()
    expect(page.locator("#perspectives table")).to_contain_text("Brukaren")
    assert_accessible(page)
    next_step(5)
    page.locator('input[name="item-text"]').fill("Erbjud dusch varje vecka")
    page.get_by_role("button", name=tr("sv", "Add the option")).click()
    expect(page.locator("#options ol")).to_contain_text("Erbjud dusch varje vecka")
    next_step(6)

    # The positions step, together: the participant's page has followed.
    expect(device.get_by_role("heading", level=1)).to_contain_text(
        tr("sv", "Individual weighing"), timeout=10_000
    )
    device.locator('textarea[name="position-body"]').fill(
        "Jag väljer att respektera nejet."
    )
    device.get_by_role("button", name=tr("sv", "Save my position")).click()
    expect(device.locator(".messages")).to_contain_text(
        tr("sv", "Your position was saved.")
    )
    expect(device.locator('textarea[name="position-body"]')).to_have_value(
        "Jag väljer att respektera nejet."
    )
    assert_accessible(device)
    # The facilitator sees how many have written, never what, before the reveal.
    expect(page.locator("#pulse")).to_contain_text(
        tr("sv", "%(count)s of %(total)s has written a position.")
        % {"count": 1, "total": 2},
        timeout=10_000,
    )
    expect(page.locator("#positions")).not_to_contain_text("respektera nejet.")
    page.locator('textarea[name="position-body"]').fill(
        "Jag vill försöka en gång till."
    )
    page.get_by_role("button", name=tr("sv", "Reveal all positions")).click()
    expect(page.locator("#positions")).to_contain_text(
        "Jag väljer att respektera nejet."
    )
    expect(page.locator("#positions")).to_contain_text("Jag vill försöka en gång till.")
    assert Position.objects.count() == 2
    # The participant's page shows the revealed positions without a reload.
    expect(device.locator("#positions")).to_contain_text(
        "Jag vill försöka en gång till.", timeout=10_000
    )
    assert_accessible(device)
    other.close()

    next_step(7)
    next_step(8)
    next_step(9)
    page.locator('textarea[name="item-text"]').fill("Kontakta sjuksköterskan om huden")
    page.locator('select[name="item-owner"]').select_option(str(facilitator.pk))
    page.get_by_role("button", name=tr("sv", "Add the action")).click()
    expect(page.locator("#actions ul")).to_contain_text("Kontakta sjuksköterskan")
    next_step(10)
    page.get_by_role("button", name=tr("sv", "Conclude and sign off")).click()
    assert_accessible(page)
    page.locator("textarea[name=conclusion]").fill("Vi respekterar nejet.")
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name=tr("sv", "Sign off"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Hjälp som inte önskas"
    )
    assert_accessible(page)

    reflection.refresh_from_db()
    assert reflection.is_signed_off
    assert reflection.conclusion == "Vi respekterar nejet."
    assert reflection.steps.get(position=1).notes == "Mannen har sagt nej fyra gånger."
    assert reflection.steps.get(kind=StepKind.POSITIONS).revealed is not None
    assert Action.objects.get().owner == facilitator
    page.get_by_role("link", name=tr("sv", "Printable log")).click()
    expect(page.locator("article")).to_contain_text("version 1")
    assert_accessible(page)
