"""Meetings in real Chromium: a manager schedules a series, a member answers.

Every page visited is checked with axe; serious or critical findings fail.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings.models import Meeting, Response, Series
from tests.browser.helpers import assert_accessible, fill_date, tr
from tests.factories import PASSWORD, make_group, make_member, make_org, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, membership) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(membership.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/o/{membership.organisation.slug}/")


def field(page: Page, label: str):
    # Django puts a colon after labels; match the label with or without it.
    return page.get_by_label(re.compile(rf"^{re.escape(tr('sv', label))}:?$"))


def test_manager_schedules_a_series_and_a_member_answers(page: Page, live_server):
    org = make_org("norrby")
    unit = make_unit(org, "Barn och familj")
    manager = make_member(org, "manager", unit=unit, name="Maria Manager")
    member = make_member(org, "staff", unit=unit, name="Sara Staff")
    make_group(org, unit, "Etikgruppen", members=[member])
    first = timezone.localdate() + timedelta(days=8)
    while first.weekday() != 3:  # a Thursday
        first += timedelta(days=1)

    sign_in(page, live_server, manager)
    page.get_by_role("navigation", name=tr("sv", "Main")).get_by_role(
        "link", name=tr("sv", "Groups and meetings")
    ).click()
    page.get_by_role("link", name="Etikgruppen").click()
    assert_accessible(page)
    page.get_by_role("link", name=tr("sv", "Schedule a meeting")).click()
    assert_accessible(page)

    fill_date(page, "sv", "Date", first)
    field(page, "Starts at").fill("13:00")
    field(page, "Ends at").fill("14:30")
    field(page, "Repeat").select_option("weekly")
    field(page, "Every how many weeks or months").fill("4")
    fill_date(page, "sv", "Repeat until", first + timedelta(weeks=12))
    field(page, "Place").fill("Rum 3, Stadshuset")
    page.get_by_role("button", name=tr("sv", "Schedule and invite")).click()

    expect(page).to_have_url(re.compile(r"/meetings/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        tr("sv", "Ethics reflection")
    )
    expect(page.get_by_text("13:00–14:30").first).to_be_visible()
    assert_accessible(page)
    series = Series.objects.get()
    assert series.meetings.count() == 4
    assert [m.to for m in mail.outbox] == [[member.user.email]]

    # The member follows the invitation's link and answers.
    link = re.search(r"http://\S+/meetings/[0-9a-f-]{36}/", mail.outbox[0].body)[0]
    sign_in(page, live_server, member)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert_accessible(page)
    page.get_by_label(tr("sv", "Yes"), exact=True).check()
    page.get_by_role("button", name=tr("sv", "Send answer")).click()

    expect(page.get_by_role("status")).to_contain_text(tr("sv", "Saved."))
    assert_accessible(page)
    first_meeting = Meeting.objects.order_by("start").first()
    assert list(Response.objects.values_list("meeting", "membership", "answer")) == [
        (first_meeting.pk, member.pk, "yes")
    ]

    # The one-click link in the mail, in a browser that is not signed in.
    page.context.clear_cookies()
    maybe = re.search(r"http://\S+/answer/\S+\?answer=maybe", mail.outbox[0].body)[0]
    page.goto(maybe.replace("http://127.0.0.1:8000", live_server.url))
    assert_accessible(page)
    expect(page.get_by_label(tr("sv", "Maybe"), exact=True)).to_be_checked()
    page.get_by_role("button", name=tr("sv", "Send answer")).click()

    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page)
    assert Response.objects.get(membership=member).answer == "maybe"
