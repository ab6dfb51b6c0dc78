"""The reflection log printed from the browser: A4, numbered pages, no buttons,
nothing wider than the paper; and its PDF downloaded with a plain file name."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from organisations.management.demo_data import DEMO_PASSWORD
from organisations.models import Membership
from reflections.models import Reflection
from tests.browser.helpers import tr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "facilitator@alvdala.example"


def sign_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()
    expect(page).not_to_have_url(f"{live_server.url}/accounts/login/")


def test_the_log_prints_on_numbered_a4_pages(page: Page, live_server, fresh_demo):
    membership = Membership.objects.get(user__email=EMAIL, organisation__slug="alvdala")
    reflection = (
        Reflection.objects.for_member(membership)
        .signed_off()
        .filter(erased__isnull=True)
        .select_related("signed_off_by__user", "dilemma__group")
        .first()
    )
    url = reverse(
        "reflections:log",
        kwargs={"org": "alvdala", "reflection_uuid": reflection.uuid},
    )
    sign_in(page, live_server)
    page.goto(live_server.url + url)

    # The PDF downloads under a name that tells only the date.
    with page.expect_download() as download:
        page.get_by_role("link", name=tr("sv", "Download as PDF")).click()
    assert re.fullmatch(
        r"reflection-\d{4}-\d{2}-\d{2}\.pdf", download.value.suggested_filename
    )

    page.emulate_media(media="print")
    for hidden in (
        page.get_by_role("link", name=tr("sv", "Download as PDF")),
        page.locator(".site-header"),
    ):
        expect(hidden).to_be_hidden()
    wide = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert wide[0] <= wide[1]

    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    first = printed.pages[0]
    # A4 is 595 x 842 points.
    assert round(float(first.mediabox.width)) == 595
    assert round(float(first.mediabox.height)) == 842
    # Chromium sets "fl" as a ligature; the text is compared as a reader sees it.
    text = unicodedata.normalize(
        "NFKC", " ".join(p.extract_text() for p in printed.pages)
    )
    text = " ".join(text.split())
    assert reflection.dilemma.group.name in text
    assert str(reflection.signed_off_by.user) in text
    assert f"1 / {len(printed.pages)}" in text
