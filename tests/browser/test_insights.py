"""The learning loop in real Chromium: an evaluation answered, then insights.

A participant answers a session's evaluation; a manager opens Insights from
the navigation, chooses a period, reads the charts and tables, downloads a
table as CSV, and the page is checked on a narrow screen and in print. Every
page is checked with axe; serious or critical findings fail.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Answer, Respondent, SealedAnswer
from evaluations.questionnaire import ITEMS, SCALE
from tests.browser.helpers import assert_accessible, fill_date, tr
from tests.factories import PASSWORD, make_org
from tests.insights.helpers import add_session, make_town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, membership) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(membership.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/o/{membership.organisation.slug}/")


def test_an_evaluation_then_the_insights_page(page: Page, live_server):
    town = make_town(make_org("norrby"))
    for month, answers in ((2, 5), (3, 6), (4, 4)):
        add_session(
            town,
            town.children_group,
            datetime.date(2024, month, 6),
            tensions=("care-autonomy", "child-adult"),
            values=("dignity", "integrity"),
            guideline=month == 3,
            action_due=datetime.date(2024, month, 20),
            action_done=month == 2,
            answers=answers,
        )
    latest = add_session(town, town.adults_group, datetime.date(2024, 5, 7))

    # A participant answers the latest session's evaluation.
    sign_in(page, live_server, town.people[2])
    page.goto(f"{live_server.url}/o/norrby/evaluations/{latest.uuid}/")
    assert_accessible(page)
    steps = dict(SCALE)
    for item in ITEMS:
        page.get_by_role("group", name=tr("sv", str(item.text))).get_by_label(
            tr("sv", str(steps[3]))
        ).check()
    page.get_by_label(re.compile(re.escape(tr("sv", "Comment (if you like)")))).fill(
        "Lugnt och bra."
    )
    page.get_by_role("button", name=tr("sv", "Send my answer")).click()
    expect(
        page.get_by_text(tr("sv", "You have answered this evaluation. Thank you."))
    ).to_be_visible()
    assert_accessible(page)
    assert list(
        Respondent.objects.filter(evaluation__reflection=latest).values_list(
            "membership", flat=True
        )
    ) == [town.people[2].pk]
    # Sealed until the evaluation closes: nothing to read in the database yet.
    assert SealedAnswer.objects.filter(evaluation__reflection=latest).count() == 1
    assert not Answer.objects.filter(evaluation__reflection=latest).exists()
    # The list of evaluations, and the results of a session with enough answers.
    page.get_by_role("link", name=tr("sv", "Evaluations")).first.click()
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="6 mars 2024").get_by_role("link").click()
    expect(
        page.get_by_role("heading", name=tr("sv", "Answers per statement"))
    ).to_be_visible()
    assert_accessible(page)

    # The manager of the area reads the insights for the first half of 2024.
    sign_in(page, live_server, town.top_manager)
    page.get_by_role("navigation", name=tr("sv", "Main")).get_by_role(
        "link", name=tr("sv", "Insights")
    ).click()
    assert_accessible(page)
    fill_date(page, "sv", "From", datetime.date(2024, 1, 1))
    fill_date(page, "sv", "Until", datetime.date(2024, 6, 30))
    page.get_by_role("button", name=tr("sv", "Show")).click()
    expect(page).to_have_url(re.compile(r"start_0=1&start_1=1&start_2=2024"))

    charts = page.get_by_role("img")
    expect(charts).to_have_count(8)
    expect(
        page.get_by_role("img", name=tr("sv", "Meetings held per month"))
    ).to_be_visible()
    tensions = page.locator("#tensions")
    expect(tensions.get_by_role("table")).to_contain_text("3")
    evaluations = page.locator("#evaluations")
    expect(evaluations).to_contain_text(tr("sv", "Session evaluations per domain"))
    expect(evaluations.get_by_role("row")).to_have_count(3)  # header, Feb, Mar
    assert "Hemtjänst mot brukarens vilja" not in page.content()
    assert_accessible(page)

    with page.expect_download() as download:
        page.locator("#actions").get_by_role(
            "link", name=re.compile(re.escape(tr("sv", "Download as CSV")))
        ).click()
    assert download.value.suggested_filename.endswith("_2024-01-01_2024-06-30.csv")
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Utredning;3;1;2;2" in content

    # At desktop width each table shows all its columns beside nothing that
    # clips it, and the period's fields and button stand on one row.
    page.set_viewport_size({"width": 1280, "height": 900})
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.insight .table-wrap')]
        .filter((wrap) => wrap.scrollWidth > wrap.clientWidth)
        .map((wrap) => wrap.closest('.insight').id)"""
    )
    assert clipped == []
    bottoms = page.evaluate(
        """() => [...document.querySelectorAll('form.filters > *')]
        .map((item) => Math.round(item.getBoundingClientRect().bottom))"""
    )
    assert len(bottoms) == 4 and len(set(bottoms)) == 1, bottoms

    # A narrow phone: the page does not scroll sideways; charts scroll inside.
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    # In print: no form, every chart and table.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.get_by_role("img")).to_have_count(8)
    expect(page.locator("#meetings table")).to_be_visible()
