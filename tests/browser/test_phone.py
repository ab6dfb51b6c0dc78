"""On a phone: no page scrolls sideways, and the header folds into a menu button.

The demo data gives every main page real content. Each page is opened at 360 and
390 pixels wide (the narrowest phones in use, and a common one) and must fit its
width; axe checks each. On a wide screen the same header shows its navigation
without the button.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dilemmas.models import Dilemma
from meetings.models import Meeting
from organisations.management.demo_data import DEMO_PASSWORD
from organisations.models import Membership, ReflectionGroup
from reflections.models import Reflection
from tests.browser.helpers import assert_accessible, tr
from values.models import ValueBase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()
    expect(page).not_to_have_url(f"{live_server.url}/accounts/login/")


def pages_of(email: str) -> list[str]:
    membership = Membership.objects.select_related("organisation").get(
        user__email=email, organisation__slug="alvdala"
    )
    org = membership.organisation.slug
    group = ReflectionGroup.objects.filter(organisation__slug=org).first()
    meeting = Meeting.objects.filter(group=group).order_by("start").first()
    dilemma = Dilemma.objects.for_member(membership).first()
    reflection = Reflection.objects.for_member(membership).first()
    base = ValueBase.objects.filter(organisation=membership.organisation).first()
    names = [
        ("organisations:dashboard", {}),
        ("values:index", {}),
        ("values:in_force", {"base": base.slug}),
        ("guidelines:for_me", {"base": base.slug}),
        ("meetings:group_list", {}),
        ("meetings:group_detail", {"group_uuid": group.uuid}),
        ("meetings:meeting_detail", {"meeting_uuid": meeting.uuid}),
        ("dilemmas:list", {}),
        ("reflections:action_list", {}),
        ("organisations:unit_list", {}),
    ]
    if dilemma:
        names.append(("dilemmas:detail", {"dilemma_uuid": dilemma.uuid}))
    if reflection:
        names += [
            ("reflections:detail", {"reflection_uuid": reflection.uuid}),
            ("reflections:step", {"reflection_uuid": reflection.uuid, "position": 1}),
            ("reflections:log", {"reflection_uuid": reflection.uuid}),
        ]
    if membership.role == "admin":
        names += [
            ("organisations:member_list", {}),
            ("organisations:member_add", {}),
            ("organisations:settings", {}),
            ("audit:log", {}),
        ]
    return [reverse(name, kwargs={"org": org, **kwargs}) for name, kwargs in names] + [
        reverse("profile")
    ]


def assert_fits(page: Page) -> None:
    wide = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert wide[0] <= wide[1], f"{page.url} is {wide[0]} px wide at {wide[1]} px"


@pytest.mark.parametrize("width", [360, 390])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, fresh_demo, width):
    context = browser.new_context(
        locale="sv-SE", viewport={"width": width, "height": 844}
    )
    page = context.new_page()
    for email in ("facilitator@alvdala.example", "admin@alvdala.example"):
        sign_in(page, live_server, email)
        for path in pages_of(email):
            page.goto(live_server.url + path)
            assert_fits(page)
        # The header is compact: a menu button that opens the navigation.
        page.goto(live_server.url + pages_of(email)[0])
        button = page.locator(".site-menu__button")
        expect(button).to_be_visible()
        nav = page.get_by_role("navigation", name=tr("sv", "Main"))
        expect(nav).to_be_hidden()
        button.click()
        expect(nav.get_by_role("link", name=tr("sv", "Dilemmas"))).to_be_visible()
        assert_fits(page)
        assert_accessible(page)
    context.close()


def test_a_wide_screen_shows_the_navigation_without_a_button(
    page, live_server, fresh_demo
):
    sign_in(page, live_server, "staff@alvdala.example")
    expect(page.locator(".site-menu__button")).to_be_hidden()
    nav = page.get_by_role("navigation", name=tr("sv", "Main"))
    expect(nav.get_by_role("link", name=tr("sv", "Dilemmas"))).to_be_visible()
    assert_accessible(page)
