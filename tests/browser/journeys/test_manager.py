"""A manager schedules a monthly series for her group, then reads the insights.

Maria manages Barn och familj in Älvdala. She plans a monthly ethics café on the
second Tuesday for her area's group; a colleague answers the invitation with one
click from her e-mail, in her own browser; then Maria reads what the last six
months of sessions in her units show.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import ngettext, override
from icalendar import Calendar
from playwright.sync_api import expect

from meetings.models import Meeting, Response, Series
from organisations.models import ReflectionGroup
from tests.browser.helpers import fill_date
from tests.browser.journeys.conftest import close_and_assert_no_errors, person
from tests.browser.journeys.steps import LANGUAGE, PHONE, check, go, label, sign_in, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def second_tuesday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    day += datetime.timedelta(days=(1 - day.weekday()) % 7)
    return day + datetime.timedelta(weeks=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def test_manager_schedules_a_monthly_series_and_reads_insights(
    demo, device, live_server
):
    maria = person(demo, "manager@alvdala.example")
    group = ReflectionGroup.objects.get(name="Etikgruppen barn och familj")
    today = timezone.localdate()
    month = next_month(today)
    first = second_tuesday(month.year, month.month)
    if first < today + datetime.timedelta(days=7):
        month = next_month(month)
        first = second_tuesday(month.year, month.month)
    laptop = device()
    page = laptop.page

    sign_in(page, live_server.url, maria.user.email)
    go(page, "Groups and meetings")
    check(page)
    page.get_by_role("link", name=group.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    check(page)
    page.get_by_role("link", name=t("Schedule a meeting")).click()
    check(page)

    # A single meeting by default: the series fields and the link wait.
    expect(page.get_by_label(label("Every how many weeks or months"))).to_be_hidden()
    expect(page.get_by_label(label("Online link"))).to_be_hidden()
    page.get_by_label(label("Title")).fill("Etiskt café")
    fill_date(page, LANGUAGE, "Date", first)
    page.get_by_label(label("Starts at")).fill("9.00")
    page.get_by_label(label("Ends at")).fill("10:30")
    page.get_by_label(label("Repeat"), exact=False).select_option(
        label=t("Monthly, on the same weekday (such as the second Tuesday)")
    )
    page.get_by_label(label("Every how many weeks or months")).fill("1")
    page.get_by_label(label("Or: number of meetings")).fill("6")
    page.get_by_label(label("Place")).fill("Rum Björken, plan 3")
    page.get_by_text(t("Add an online link")).click()
    page.get_by_label(label("Online link")).fill("meet.alvdala.example/etiskt-cafe")
    page.get_by_label(label("Agenda")).fill("Dagens dilemma\nVad tar vi med oss?")
    page.get_by_role("button", name=t("Schedule and invite")).click()

    expect(page).to_have_url(re.compile(r"/meetings/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Etiskt café")
    expect(page.get_by_role("main")).to_contain_text("09:00–10:30")
    expect(page.get_by_role("main")).to_contain_text("Rum Björken, plan 3")
    check(page)
    page.get_by_role("link", name=group.name).first.click()
    upcoming = page.get_by_role("listitem").filter(has_text="Etiskt café")
    expect(upcoming).to_have_count(5)  # The group page shows the next five.
    check(page)

    series = Series.objects.get(title="Etiskt café")
    meetings = list(series.meetings.order_by("start"))
    assert series.group == group
    assert (series.frequency, series.interval, series.count) == ("monthly", 1, 6)
    assert series.week_of_month == 2
    assert series.link == "https://meet.alvdala.example/etiskt-cafe"
    assert series.created_by == maria
    months = [first]
    while len(months) < 6:
        months.append(next_month(months[-1]))
    assert [timezone.localtime(m.start).date() for m in meetings] == [
        second_tuesday(day.year, day.month) for day in months
    ]
    assert {timezone.localtime(m.start).strftime("%H:%M") for m in meetings} == {
        "09:00"
    }

    # Every member of the group is invited by e-mail, with a calendar file.
    invitations = [m for m in mail.outbox if "Etiskt café" in m.subject]
    assert sorted(address for m in invitations for address in m.to) == sorted(
        group.members.values_list("user__email", flat=True)
    )
    amira = person(demo, "amira.yusuf@alvdala.example")
    (to_amira,) = [m for m in invitations if m.to == [amira.user.email]]
    (calendar,) = to_amira.attachments
    assert calendar.get_content_type() == "text/calendar"
    (event,) = Calendar.from_ical(calendar.get_content()).walk("VEVENT")
    rule = event["RRULE"]
    assert (rule["FREQ"], rule["BYDAY"], rule["COUNT"]) == (["MONTHLY"], ["2TU"], [6])

    # Amira says yes with one click, on her phone, without signing in.
    yes = re.search(r"https?://\S+/answer/\S+\?answer=yes", to_amira.body)[0]
    her_phone = device(width=PHONE, height=800)
    her_phone.page.goto(live_server.url + urlsplit(yes).path + "?answer=yes")
    expect(her_phone.page.get_by_label(t("Yes"), exact=True)).to_be_checked()
    check(her_phone.page)
    her_phone.page.get_by_role("button", name=t("Send answer")).click()
    expect(her_phone.page.get_by_role("status")).to_be_visible()
    check(her_phone.page)
    assert list(
        Response.objects.filter(meeting__series=series).values_list(
            "meeting", "membership", "answer"
        )
    ) == [(meetings[0].pk, amira.pk, "yes")]

    # The insights for the last six months of her units.
    go(page, "Insights")
    check(page)
    start = (today.replace(day=1) - datetime.timedelta(days=160)).replace(day=1)
    fill_date(page, LANGUAGE, "From", start)
    fill_date(page, LANGUAGE, "Until", today)
    page.get_by_role("button", name=t("Show"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"start_2={start.year}"))
    held = Meeting.objects.filter(
        group=group, status=Meeting.Status.HELD, start__date__gte=start
    ).count()
    assert held >= 6
    with override(LANGUAGE):
        summary = ngettext(
            "%(count)s meeting held in the period",
            "%(count)s meetings held in the period",
            held,
        ) % {"count": held}
    expect(page.locator("#meetings")).to_contain_text(summary)
    expect(page.get_by_role("img", name=t("Meetings held per month"))).to_be_visible()
    expect(page.locator("#evaluations").get_by_role("table")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Reflektionsgruppen vuxen")
    check(page)

    close_and_assert_no_errors(laptop, her_phone)
