"""The directory page in real Chromium: a token created, shown once, revoked; a rule.

Checked with axe at each step, and on a 360 px phone for sideways scrolling.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from provisioning.models import IdentityMapping, ScimToken
from tests.browser.helpers import assert_accessible, tr
from tests.factories import PASSWORD, make_member, make_org, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Page) -> None:
    wide = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert wide[0] <= wide[1], f"{page.url} is {wide[0]} px wide at {wide[1]} px"


def test_token_and_rule_on_a_phone(page: Page, live_server):
    org = make_org("norrby")
    unit = make_unit(org, "Hemtjänst Norr")
    admin = make_member(org, "admin", unit=unit, name="Anna Admin")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(admin.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()

    page.goto(f"{live_server.url}/o/norrby/settings/")
    page.locator("a[href='/o/norrby/directory/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("sv", "Directory and sign-in")
    )
    assert_accessible(page)
    fits(page)

    page.locator("#id_token-name").fill("Entra ID")
    page.get_by_role("button", name=tr("sv", "Create a token")).click()
    secret = page.get_by_label(tr("sv", "Token"), exact=True).input_value()
    assert secret.startswith("etikrum-scim-")
    assert ScimToken.objects.get().name == "Entra ID"
    assert_accessible(page)
    fits(page)

    page.locator("#id_mapping-value").fill("Hemtjänst Norr")
    page.locator("#id_mapping-unit").select_option(str(unit.pk))
    page.get_by_role("button", name=tr("sv", "Add the rule")).click()
    expect(page.get_by_text(tr("sv", "The rule was added."))).to_be_visible()
    assert IdentityMapping.objects.get().unit == unit
    assert secret not in page.content()
    assert_accessible(page)
    fits(page)

    page.locator("form[action$='/revoke/'] button").click()
    expect(page.locator(".messages, [role=status]").first).to_be_visible()
    assert ScimToken.objects.get().revoked is not None
    assert_accessible(page)
