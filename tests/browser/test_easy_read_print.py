"""The easy-read summary printed from the browser: one A4 page, even with each
text as long as the form allows, with the organisation's name and no buttons."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from audit.models import AuditEvent
from organisations.models import Membership
from reflections.models import CONTACT_LIMIT, TEXT_LIMIT, EasyRead, Reflection
from tests.browser.test_log_print import EMAIL, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "Vi pratade om hur du vill ha det hemma. "


def _fill(limit: int, paragraphs: int) -> str:
    """Plain sentences in a few paragraphs, as long as the form allows."""
    each = limit // paragraphs - 2
    block = (SENTENCE * (each // len(SENTENCE) + 1))[:each].rsplit(" ", 1)[0] + "."
    return "\n\n".join([block] * paragraphs)[:limit]


def test_the_longest_summary_prints_on_one_a4_page(page: Page, live_server, fresh_demo):
    membership = Membership.objects.get(user__email=EMAIL, organisation__slug="alvdala")
    reflection = (
        Reflection.objects.for_member(membership)
        .signed_off()
        .filter(erased__isnull=True, dilemma__group__facilitators=membership)
        .select_related("organisation")
        .first()
    )
    EasyRead.objects.update_or_create(
        reflection=reflection,
        defaults={
            "talked_about": _fill(TEXT_LIMIT, 3),
            "will_do": _fill(TEXT_LIMIT, 3),
            "contact": _fill(CONTACT_LIMIT, 2),
            "written_by": membership,
        },
    )
    url = reverse(
        "reflections:easy_read_print",
        kwargs={"org": "alvdala", "reflection_uuid": reflection.uuid},
    )
    sign_in(page, live_server)
    page.goto(live_server.url + url)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()

    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(printed.pages) == 1
    first = printed.pages[0]
    assert round(float(first.mediabox.width)) == 595  # A4: 595 x 842 points
    assert round(float(first.mediabox.height)) == 842
    text = " ".join(unicodedata.normalize("NFKC", first.extract_text()).split())
    assert reflection.organisation.name in text
    assert AuditEvent.objects.filter(
        action="print", object_uuid=reflection.uuid, membership=membership
    ).exists()
