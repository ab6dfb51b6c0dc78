"""A new version takes effect: staff read what changed for them and confirm it.

Leila, the editor, records that the social welfare board adopted version 3 of
Älvdala's value base today, in force from the first of next month, asking
every member to confirm their reading. Sara, on her phone, sees the version
announced on her dashboard. On the first of the month she opens the
dashboard again: the new value is there, word by word against version 2, and
she confirms with one click. Maria, who manages Sara's area, sees the count
on her dashboard and per unit.

The clock moves to the first of the month with time_machine, which moves it
for the whole process: the live server's threads read the same clock as the
test, so the server's day is the organisation's day the journey names.
"""

from __future__ import annotations

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from acknowledgements.models import Acknowledgement
from audit.models import AuditEvent
from tests.browser.helpers import fill_date
from tests.browser.journeys.conftest import close_and_assert_no_errors, person
from tests.browser.journeys.steps import LANGUAGE, PHONE, check, label, sign_in, t
from values.models import Version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = ZoneInfo("Europe/Stockholm")


def in_swedish(message: str, **values: object) -> str:
    """The message as the page says it, its dates written out in Swedish."""
    with override(LANGUAGE):
        return t(message) % {
            name: date_format(value, "DATE_FORMAT")
            if isinstance(value, datetime.date)
            else value
            for name, value in values.items()
        }


def adopt_ahead(page, site: str, in_force_from: datetime.date) -> None:
    """Leila records the adoption of the draft, in force from `in_force_from`."""
    today = timezone.localdate()
    sign_in(page, site, "editor@alvdala.example")
    page.goto(f"{site}/o/alvdala/values/")
    page.get_by_role("link", name=t("All versions"), exact=True).click()
    page.get_by_role("link", name=t("Continue the draft")).click()
    page.get_by_role("link", name=re.compile(rf"^{t('Adopt')}")).click()
    fill_date(page, LANGUAGE, "Adopted on", today)
    page.get_by_label(label("Adopted by")).fill("Socialnämnden")
    fill_date(page, LANGUAGE, "In force from", in_force_from)
    # Asking every member to confirm is what an adoption does unless unticked.
    expect(
        page.get_by_label(
            t("Ask every member to confirm that they have read what changed")
        )
    ).to_be_checked()
    check(page)
    page.get_by_label(
        t(
            "I confirm that this version was adopted as stated. After this it "
            "can no longer be changed."
        )
    ).check()
    page.get_by_role("button", name=t("Adopt version")).click()
    expect(page).to_have_url(re.compile(r"/v/3/$"))


def test_staff_read_what_changed_and_confirm_and_the_manager_sees_it(
    demo, device, live_server
):
    sara = person(demo, "staff@alvdala.example")
    today = timezone.localdate()
    in_force_from = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    laptop = device()
    adopt_ahead(laptop.page, live_server.url, in_force_from)

    # Before the day: the version is announced, nothing to confirm yet.
    phone = device(width=PHONE, height=800)
    page = phone.page
    sign_in(page, live_server.url, sara.user.email)
    dashboard = page.get_by_role("main")
    expect(dashboard.locator(".coming")).to_contain_text(
        in_swedish(
            "Version %(number)s takes effect on %(date)s.",
            number=3,
            date=in_force_from,
        )
    )
    changes_heading = in_swedish(
        "What changed for you in version %(number)s of %(base)s",
        number=3,
        base="Värdegrund för socialförvaltningen",
    )
    expect(dashboard).not_to_contain_text(changes_heading)
    check(page)
    close_and_assert_no_errors(laptop, phone)

    # The first of the month, a quarter past seven in Älvdala.
    morning = datetime.datetime.combine(
        in_force_from, datetime.time(7, 15), tzinfo=ZONE
    )
    with time_machine.travel(morning):
        call_command("announce_versions", stdout=io.StringIO())
        announced = {message.to[0]: message for message in mail.outbox}
        assert sara.user.email in announced
        assert "Tillit" in announced[sara.user.email].body

        phone = device(width=PHONE, height=800)
        page = phone.page
        sign_in(page, live_server.url, sara.user.email)
        changes = page.get_by_role("region", name=changes_heading)
        expect(changes).to_be_visible()
        # The new value, added in version 3, shown as added text.
        expect(changes.get_by_role("insertion").first).to_be_visible()
        expect(changes).to_contain_text("Tillit")
        check(page)
        changes.get_by_role(
            "button",
            name=in_swedish("I have read the changes in version %(number)s", number=3),
        ).click()
        expect(page.get_by_role("main")).to_contain_text(
            in_swedish(
                "You confirmed that you have read the changes on %(day)s.",
                day=in_force_from,
            )
        )
        check(page)

        # Maria manages Barn och familj, where Sara works.
        laptop = device()
        manager = laptop.page
        sign_in(manager, live_server.url, "manager@alvdala.example")
        expect(manager.get_by_role("main")).to_contain_text(
            re.compile(r"\b1 av \d+ person")
        )
        check(manager)
        manager.get_by_role("link", name=t("See each unit")).click()
        expect(manager.get_by_role("heading", level=1)).to_contain_text("3")
        sara_unit = manager.get_by_role("row").filter(
            has=manager.get_by_role("rowheader", name="Utredning barn och unga")
        )
        expect(sara_unit.get_by_role("cell").nth(1)).to_have_text("1")
        check(manager)
        close_and_assert_no_errors(phone, laptop)

    version = Version.objects.get(value_base__organisation=demo, number=3)
    assert version.asks_acknowledgement
    confirmed = Acknowledgement.objects.get(version=version)
    assert confirmed.membership == sara
    assert timezone.localtime(confirmed.acknowledged, ZONE).date() == in_force_from
    assert AuditEvent.objects.filter(action="acknowledge", membership=sara).exists()
    # Each member of Älvdala was mailed once.
    addresses = [message.to[0] for message in mail.outbox]
    assert len(addresses) == len(set(addresses))
