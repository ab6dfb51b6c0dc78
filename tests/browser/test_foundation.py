"""The foundation in real Chromium: sign in, switch language, invite, find the way.

Every main page visited is checked with axe; serious or critical findings fail.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from organisations.models import Membership, Unit
from tests.browser.helpers import assert_accessible, tr
from tests.factories import (
    PASSWORD,
    make_audience,
    make_group,
    make_member,
    make_org,
    make_unit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_language(page: Page, current: str, language: str) -> None:
    # The language is a small menu of the header: open it first.
    page.locator(".language-menu > summary").click()
    page.get_by_label(tr(current, "Language"), exact=True).select_option(language)
    page.get_by_role("button", name=tr(current, "Change language")).click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def nav_link(page: Page, language: str, text: str):
    """A link of the main navigation, opening "More" first if it waits there."""
    nav = page.get_by_role("navigation", name=tr(language, "Main"))
    link = nav.get_by_role("link", name=tr(language, text), exact=True)
    if not link.is_visible():
        nav.locator(".site-nav__more > details > summary").click()
    return link


def test_sign_in_switch_language_add_member_sign_out(page: Page, live_server):
    org = make_org("norrby")
    area = make_unit(org, "Individ- och familjeomsorg", kind="area")
    unit = make_unit(org, "Barn och familj", parent=area)
    clients = make_audience(org)
    admin = make_member(org, "admin", unit=area, name="Anna Admin")
    staff = make_member(org, "staff", unit=unit, name="Sara Staff")
    make_group(org, unit, "Etikgruppen barn och familj", members=[admin, staff])
    dashboard = f"{live_server.url}/o/{org.slug}/"

    # Anonymous: the start page asks for a sign-in, in the browser's language.
    page.goto(live_server.url)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert_accessible(page)

    page.locator("input[name=login]").fill(admin.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()

    # One organisation: straight to its dashboard.
    expect(page).to_have_url(dashboard)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anna")
    expect(
        page.get_by_role("link", name="Etikgruppen barn och familj", exact=True)
    ).to_be_visible()
    assert_accessible(page)

    # Danish: the page, its language attribute and Django's own messages change.
    switch_language(page, "sv", "da")
    expect(page).to_have_url(dashboard)
    expect(nav_link(page, "da", "Overview")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    nav_link(page, "da", "Units").click()
    expect(page).to_have_url(f"{dashboard}units/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("da", "Units"))
    expect(page.locator(".tree__name", has_text="Barn och familj")).to_be_visible()
    assert_accessible(page)

    # The admin adds a unit to the tree, below the area.
    page.get_by_role("link", name=tr("da", "Add a unit")).first.click()
    page.get_by_label(tr("da", "Name"), exact=True).fill("Familjehem")
    page.get_by_label(tr("da", "Part of")).select_option(str(area.pk))
    assert_accessible(page)
    page.get_by_role("button", name=tr("da", "Add the unit")).click()
    expect(page).to_have_url(f"{dashboard}units/")
    expect(
        page.locator(".tree__item--depth-1").filter(has_text="Familjehem")
    ).to_be_visible()
    foster = Unit.objects.get(name="Familjehem")
    assert foster.parent == area

    nav_link(page, "da", "Members").click()
    expect(page).to_have_url(f"{dashboard}members/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Anna Admin")).to_be_visible()
    expect(table.get_by_role("link", name="Sara Staff")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=tr("da", "Add a member")).click()
    expect(page).to_have_url(f"{dashboard}members/add/")
    page.get_by_role("button", name=tr("da", "Add member")).click()
    required = tr("da", "This field is required.")
    assert required != "This field is required.", "Django's Danish catalogue is missing"
    # The message names the field, in the summary and at the field.
    named = tr("da", "Fill in “%(label)s”.") % {"label": tr("da", "E-mail address")}
    expect(page.locator(".field__error").first).to_have_text(named)
    expect(page.locator("[data-error-summary]").get_by_role("link").first).to_have_text(
        named
    )
    expect(page.locator("html")).to_have_attribute("lang", "da")
    assert_accessible(page)

    # Back to English; the choice holds on the next pages and on the account.
    switch_language(page, "da", "en")
    expect(page).to_have_url(f"{dashboard}members/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a member")
    assert get_user_model().objects.get(pk=admin.user.pk).language == "en"

    page.get_by_label("E-mail address").fill("Fia.Facilitator@norrby.example")
    page.get_by_label(re.compile(r"^Name\b")).fill("Fia Facilitator")
    page.get_by_label("Role").select_option("facilitator")
    page.get_by_label("Unit").select_option(str(foster.pk))
    page.get_by_label(clients.name).check()
    assert_accessible(page)
    page.get_by_role("button", name="Add member").click()

    expect(page).to_have_url(f"{dashboard}members/")
    expect(page.get_by_role("status")).to_contain_text(
        "An invitation was sent to fia.facilitator@norrby.example"
    )
    # Invited, not a member until she accepts.
    row = page.get_by_role("row").filter(has_text="fia.facilitator@norrby.example")
    expect(row).to_contain_text("Facilitator")
    expect(row).to_contain_text("Familjehem")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    assert not Membership.objects.filter(
        organisation=org, user__email="fia.facilitator@norrby.example"
    ).exists()

    # She accepts in her own browser, from the link in the e-mail, in Swedish.
    (link,) = re.findall(r"https?://\S+", mail.outbox[-1].body)
    invitee = page.context.browser.new_context(locale="sv-SE")
    other = invitee.new_page()
    other.goto(live_server.url + urlsplit(link).path)
    expect(other.locator("html")).to_have_attribute("lang", "sv")
    expect(other.get_by_label(tr("sv", "Your name"))).to_have_value("Fia Facilitator")
    assert_accessible(other)
    other.get_by_label(tr("sv", "Choose a password")).fill("tre röda hus vid sjön")
    other.get_by_label(tr("sv", "The same password again")).fill(
        "tre röda hus vid sjön"
    )
    other.get_by_role("button", name=tr("sv", "Accept and sign in")).click()
    expect(other).to_have_url(dashboard)
    expect(other.get_by_role("status")).to_contain_text(org.name)
    assert_accessible(other)
    invitee.close()

    added = Membership.objects.get(
        organisation=org, user__email="fia.facilitator@norrby.example"
    )
    assert (added.role, added.unit, added.is_active) == ("facilitator", foster, True)
    assert list(added.audiences.all()) == [clients]
    assert added.user.name == "Fia Facilitator"
    assert added.user.check_password("tre röda hus vid sjön")

    nav_link(page, "en", "Overview").click()
    expect(page).to_have_url(dashboard)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Anna")

    # The account menu is a <details>; sign-out is a POST form inside it.
    page.locator("summary").filter(has_text="Anna").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()

    page.goto(dashboard)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/o/norrby/"))
