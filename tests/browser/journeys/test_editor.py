"""An editor finishes the draft of the value base and records its adoption.

Leila edits Älvdala's value base. The draft of version 3 says it brings a new
value about trust and a guideline about working with others; the guideline is
not written yet. She reads what the sessions have cited since version 2, writes
the guideline, sharpens the new value in place, compares the draft with the
version in force, and records that the social welfare board adopted it today,
in force from the first of next month. Until then staff still read version 2.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from guidelines.models import Guideline
from tests.browser.helpers import fill_date
from tests.browser.journeys.conftest import close_and_assert_no_errors, person
from tests.browser.journeys.steps import LANGUAGE, PHONE, check, go, label, sign_in, t
from values.models import CoreValue, Version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDELINE = (
    "Vi tar kontakt med andra verksamheter när den vi möter behöver det, "
    "och vi berättar för personen vad vi gör och varför."
)
TRUST = "Vi tror på människors förmåga att förändra sin situation, och vi visar det."


def test_editor_writes_the_draft_and_records_its_adoption(demo, device, live_server):
    leila = person(demo, "editor@alvdala.example")
    today = timezone.localdate()
    in_force_from = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    laptop = device()
    page = laptop.page

    sign_in(page, live_server.url, leila.user.email)
    go(page, "Value base")
    check(page)
    page.get_by_role("link", name=t("All versions"), exact=True).click()
    check(page)
    page.get_by_role("link", name=t("Continue the draft")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("3")
    # What the sessions have cited, and what never: before she writes.
    expect(page.get_by_role("main")).to_contain_text(t("Never cited"))
    check(page)

    # The guideline the draft promised.
    page.get_by_role("link", name=t("Add a guideline")).click()
    check(page)
    page.get_by_label(label("audience")).select_option(
        label="Medarbetare i yrkesrollen"
    )
    page.get_by_label(label("title")).fill("Samverkan")
    page.get_by_label(label("guideline"), exact=True).fill(GUIDELINE)
    page.get_by_label("Tillit").check()
    page.get_by_label("Professionalitet").check()
    page.get_by_role("button", name=t("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/v/3/edit/"))
    added = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile("^Samverkan"))
    )
    expect(added).to_contain_text(GUIDELINE)
    check(page)

    # The new value, sharpened in place.
    trust = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Tillit", exact=True)
    )
    draft_page = page.url
    # The value's own menu comes first, before its commitments', and each action
    # names what it acts on.
    the_value = t("the value “%(name)s”") % {"name": "Tillit"}
    trust.locator("summary").first.click()
    trust.get_by_role("link", name=f"{t('Edit')} {the_value}", exact=True).click()
    description = page.get_by_label(label("description"))
    expect(description).to_be_visible()
    check(page)
    description.fill(TRUST)
    page.get_by_role("button", name=t("Save"), exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(TRUST)
    expect(page).to_have_url(draft_page)  # Edited in place, without a page load.

    # What changes, word by word, against the version in force.
    page.get_by_role("link", name=t("Compare with the version in force")).click()
    changes = page.get_by_role("region", name=t("Ethical guidelines"))
    expect(changes.get_by_role("listitem")).to_contain_text("Samverkan")
    expect(changes.get_by_role("insertion")).to_have_text(GUIDELINE)
    check(page)

    # The board adopted it today; it takes effect on the first of next month.
    page.go_back()
    page.get_by_role("link", name=re.compile(rf"^{t('Adopt')}")).click()
    check(page)
    fill_date(page, LANGUAGE, "Adopted on", today)
    page.get_by_label(label("Adopted by")).fill("Socialnämnden")
    fill_date(page, LANGUAGE, "In force from", in_force_from)
    page.get_by_role("button", name=t("Adopt version")).click()
    # Without the confirmation nothing is adopted, and nothing typed is lost.
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label(label("Adopted by"))).to_have_value("Socialnämnden")
    check(page)
    draft = Version.objects.get(value_base__organisation=demo, number=3)
    assert draft.status == Version.Status.DRAFT
    page.get_by_label(
        t(
            "I confirm that this version was adopted as stated. After this it "
            "can no longer be changed."
        )
    ).check()
    page.get_by_role("button", name=t("Adopt version")).click()
    expect(page).to_have_url(re.compile(r"/v/3/$"))
    expect(page.get_by_role("main")).to_contain_text("Socialnämnden")
    check(page)

    # Staff still read version 2 until the day version 3 takes effect.
    sara = device(width=PHONE, height=800)
    sign_in(sara.page, live_server.url, "staff@alvdala.example")
    go(sara.page, "Value base")
    expect(sara.page.get_by_role("main")).not_to_contain_text(GUIDELINE)
    with override(LANGUAGE):
        until = t("In force from %(start)s until %(end)s.") % {
            "start": date_format(datetime.date(2023, 3, 1), "DATE_FORMAT"),
            "end": date_format(in_force_from, "DATE_FORMAT"),
        }
    expect(sara.page.locator(".version-meta")).to_contain_text(until)
    # Version 2 is in force on her day, and the version adopted ahead is announced.
    expect(sara.page.locator(".version-meta .badge")).to_have_text(t("In force"))
    with override(LANGUAGE):
        coming = t("Version %(number)s takes effect on %(date)s.") % {
            "number": 3,
            "date": date_format(in_force_from, "DATE_FORMAT"),
        }
    expect(sara.page.locator(".coming")).to_contain_text(coming)
    expect(sara.page.get_by_role("main")).not_to_contain_text(
        t("This version has been replaced by a later one.")
    )
    check(sara.page)

    close_and_assert_no_errors(laptop, sara)

    versions = {
        v.number: v for v in Version.objects.filter(value_base__organisation=demo)
    }
    adopted = versions[3]
    assert adopted.status == Version.Status.ADOPTED
    assert (adopted.adopted_on, adopted.adopted_by) == (today, "Socialnämnden")
    assert adopted.effective_from == in_force_from
    assert versions[2].effective_until == in_force_from
    assert versions[2].status == Version.Status.SUPERSEDED
    assert versions[1].status == Version.Status.SUPERSEDED
    guideline = Guideline.objects.get(version=adopted, title="Samverkan")
    assert guideline.text == GUIDELINE
    assert guideline.audience.name == "Medarbetare i yrkesrollen"
    assert sorted(guideline.related_values.values_list("title", flat=True)) == [
        "Professionalitet",
        "Tillit",
    ]
    assert CoreValue.objects.get(version=adopted, title="Tillit").description == TRUST
    assert not Guideline.objects.filter(version=versions[2], title="Samverkan").exists()
