"""The value base in public, read as a resident would: on a phone, accessible,
with no cookie left behind, on paper without the header, and without
JavaScript."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, tr
from tests.factories import make_org
from tests.values.helpers import adopt, fill, make_base, make_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EASY = "Alla är lika mycket värda. Vi lyssnar på dig."


def published(slug: str, language: str):
    org = make_org(
        slug,
        name=f"{slug.capitalize()} kommun",
        language=language,
        publish_values=True,
        public_contact=f"etik@{slug}.example",
    )
    version = make_draft(make_base(org), 1)
    items = fill(version)
    items["dignity"].easy_read = EASY
    items["dignity"].save()
    adopt(version, datetime.date(2024, 1, 1))
    return org


def address(live_server, org, name: str = "value_base") -> str:
    return live_server.url + reverse(f"public:{name}", kwargs={"org": org.slug})


@pytest.mark.parametrize("language", ["sv", "da"])
def test_a_resident_reads_the_value_base_on_a_phone(browser, live_server, language):
    org = published("norrby" if language == "sv" else "vestby", language)
    context = browser.new_context(
        locale="en-GB", viewport={"width": 360, "height": 800}
    )
    page = context.new_page()
    for name in ("value_base", "accessibility", "privacy"):
        page.goto(address(live_server, org, name))
        assert page.locator("html").get_attribute("lang") == language
        expect(page.get_by_role("main")).to_be_visible()
        width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert width[0] <= width[1], f"{page.url} is {width[0]} px wide"
        assert_accessible(page)
    page.goto(address(live_server, org))
    expect(page.get_by_text(EASY)).to_be_visible()
    expect(
        page.get_by_role("heading", name=tr(language, "Legal basis"))
    ).to_be_visible()
    # The three pages link to each other in the header's navigation.
    nav = page.get_by_role("navigation", name=tr(language, "Public pages"))
    nav.get_by_role("link", name=tr(language, "Accessibility")).click()
    expect(page.get_by_role("link", name=f"etik@{org.slug}.example")).to_be_visible()
    assert context.cookies() == []
    # On paper: the content without the header and its navigation.
    page.goto(address(live_server, org))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()


def test_the_page_needs_no_javascript(browser, live_server):
    """Read on a phone with scripts turned off: the same pages, whole. They
    carry no script, so what axe checks in the test above, at the same width,
    is what this reader gets (axe itself needs scripts to run)."""
    org = published("norrby", "sv")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 800}
    )
    page = context.new_page()
    for name in ("value_base", "accessibility", "privacy"):
        page.goto(address(live_server, org, name))
        assert page.locator("script").count() == 0
        expect(page.get_by_role("main")).to_be_visible()
        # Nothing reaches past the screen's right edge.
        boxes = page.locator("body *")
        for index in range(boxes.count()):
            box = boxes.nth(index).bounding_box()
            if box is not None and box["width"]:
                assert box["x"] + box["width"] <= 361, f"{page.url}: {box}"
    page.goto(address(live_server, org))
    expect(page.get_by_text(EASY)).to_be_visible()
    context.close()
