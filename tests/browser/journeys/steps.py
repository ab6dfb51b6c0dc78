"""What a person does in every journey: sign in, find the way, read the page.

Everything goes by what a person sees: labels, link texts and button names in
the page's language (Swedish, from the same catalogues as the server).
"""

from __future__ import annotations

import re

from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from organisations.management.demo_data import DEMO_PASSWORD
from tests.browser.helpers import assert_accessible, tr

LANGUAGE = "sv"
PHONE = 360


def t(message: str) -> str:
    return tr(LANGUAGE, message)


def label(message: str) -> re.Pattern:
    """A field's label, with or without the colon Django adds, and a hint after it.

    `message` as in the source: a model field's name is lower case there.
    """
    return re.compile(rf"^{re.escape(capfirst(t(message)))}:?(\s|$)")


def sign_in(page: Page, site: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """From the site's first page, as a person with their address and password."""
    page.goto(site)
    page.get_by_label(t("E-mail address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(password)
    page.get_by_role("button", name=t("Sign in"), exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def go(page: Page, text: str) -> None:
    """Follow a link of the main navigation, opening the menu first on a phone."""
    button = page.locator(".site-menu__button")
    if button.is_visible():
        button.click()
    nav = page.get_by_role("navigation", name=t("Main"))
    link = nav.get_by_role("link", name=t(text), exact=True)
    if not link.is_visible():
        # The pages used less often wait under "More".
        nav.locator(".site-nav__more > details > summary").click()
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", LANGUAGE)


def assert_fits(page: Page, width: int = PHONE) -> None:
    """At `width` pixels the page does not scroll sideways."""
    viewport = page.viewport_size
    if viewport["width"] != width:
        page.set_viewport_size({"width": width, "height": viewport["height"]})
    scroll, inner = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if viewport["width"] != width:
        page.set_viewport_size(viewport)
    assert scroll <= inner, f"{page.url} is {scroll} px wide at {inner} px"


def check(page: Page) -> None:
    """The page as it stands: no serious accessibility finding, and it fits a phone."""
    assert_accessible(page)
    assert_fits(page)


def choose(select, text: str) -> None:
    """Choose the option that reads `text`, indented as in a tree or not."""
    option = select.locator("option").filter(
        has_text=re.compile(rf"^\W*{re.escape(text)}$")
    )
    select.select_option(option.get_attribute("value"))
