"""The value base in real Chromium: start a draft, edit in place, compare, adopt.

Runs with JavaScript (htmx edits in place); every page is checked with axe.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, fill_date, tr
from tests.factories import PASSWORD, make_member, make_org, make_unit
from tests.values.helpers import adopt, fill, make_base, make_draft
from values.models import Version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_edit_compare_adopt(page: Page, live_server):
    org = make_org("norrby")
    editor = make_member(org, "editor", unit=make_unit(org), name="Edit Editor")
    base = make_base(org)
    first = make_draft(base, 1)
    fill(first)
    adopt(first, datetime.date(2024, 1, 1))
    base_url = f"{live_server.url}/o/{org.slug}/values/{base.slug}/"

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(editor.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()
    page.goto(base_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vår värdegrund")
    assert_accessible(page)

    # Start a draft from the list of versions.
    page.goto(f"{base_url}versions/")
    assert_accessible(page)
    page.get_by_role("button", name=tr("sv", "Start a new draft")).click()
    expect(page).to_have_url(re.compile(r"/v/2/edit/"))
    assert_accessible(page)

    # Edit a value in place: htmx swaps the form in and the saved item back.
    draft = Version.objects.get(value_base=base, number=2)
    value = draft.values.get(key="dignity")
    # The value's own tools, not those of the commitments nested inside it.
    tools = page.locator(f"#value-{value.pk} > .edit-item__tools")
    tools.locator("summary").click()  # One menu of actions per item.
    tools.get_by_role("link", name=re.compile(tr("sv", "Edit"))).click()
    form_title = page.locator(f"#value-{value.pk} input[name=title]")
    expect(form_title).to_be_visible()
    expect(page).to_have_url(re.compile(r"/v/2/edit/$"))  # No page load.
    assert_accessible(page)
    form_title.fill("Lika värde för alla")
    page.locator(f"#value-{value.pk} textarea[name=description]").fill(
        "Alla har samma värde, och det ska märkas i varje möte."
    )
    page.locator(f"#value-{value.pk}").get_by_role(
        "button", name=tr("sv", "Save")
    ).click()
    expect(page.locator(f"#value-{value.pk} h3")).to_have_text("Lika värde för alla")
    value.refresh_from_db()
    assert value.title == "Lika värde för alla"

    # Compare with the version in force: the change is marked word by word.
    page.get_by_role("link", name=tr("sv", "Compare with the version in force")).click()
    expect(page.locator("ins").first).to_be_visible()
    expect(page.get_by_text("Lika värde för alla").first).to_be_visible()
    assert_accessible(page)

    # Adopt, with a confirmation.
    page.goto(f"{base_url}v/2/adopt/")
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label(tr("sv", "Adopted by")).fill("Socialnämnden")
    fill_date(page, "sv", "In force from", today + datetime.timedelta(days=1))
    page.get_by_role("button", name=tr("sv", "Adopt version")).click()
    # Without the confirmation nothing happens, and the typed body stays.
    expect(page.get_by_label(tr("sv", "Adopted by"))).to_have_value("Socialnämnden")
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name=tr("sv", "Adopt version")).click()
    expect(page).to_have_url(re.compile(r"/v/2/$"))
    assert_accessible(page)
    draft.refresh_from_db()
    first.refresh_from_db()
    assert draft.status == Version.Status.ADOPTED
    assert first.status == Version.Status.SUPERSEDED


def test_word_import_preview_and_guidelines_for_me(page: Page, live_server, tmp_path):
    from guidelines.models import Audience
    from tests.values.word import swedish_value_base

    org = make_org("norrby")
    editor = make_member(org, "editor", unit=make_unit(org), name="Edit Editor")
    base = make_base(org)
    base_url = f"{live_server.url}/o/{org.slug}/values/{base.slug}/"
    document = tmp_path / "vardegrund.docx"
    document.write_bytes(swedish_value_base())

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(editor.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()
    page.goto(f"{base_url}import/word/")
    assert_accessible(page)
    page.locator("input[name=file]").set_input_files(str(document))
    page.get_by_role("button", name=tr("sv", "Read the document")).click()
    expect(page.locator("#part-13")).to_contain_text("Som chef på enheten ska du")
    # The preview says what the draft replaces; the title is kept unless chosen.
    expect(
        page.get_by_role("heading", name=tr("sv", "What the draft will replace"))
    ).to_be_visible()
    expect(page.get_by_label(tr("sv", "Use the document's title"))).not_to_be_checked()
    assert_accessible(page)
    # At 360 pixels the preview, its table included, reads without sideways scrolling.
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    # Part 8, "Etiska riktlinjer", is left out of the draft.
    page.locator("#part-8 select[name$=kind]").select_option("skip")
    page.get_by_role("button", name=tr("sv", "Update the preview")).click()
    expect(page.locator("#part-8")).to_have_class(re.compile("word-part--skip"))
    page.get_by_role("button", name=tr("sv", "Create the draft")).click()
    expect(page).to_have_url(re.compile(r"/v/1/edit/$"))
    draft = Version.objects.get(value_base=base)
    assert draft.title == base.name
    assert [s.title for s in draft.sections.all()] == [
        "Bakgrund",
        "Vilka är vi till för?",
    ]

    adopt(draft, datetime.date(2024, 1, 1))
    editor.audiences.set(Audience.objects.filter(name="Som chef på enheten ska du"))
    page.goto(f"{base_url}guidelines/")
    expect(page.get_by_text("Som chef på enheten ska du:")).to_be_visible()
    expect(page.locator("p", has_text="stödja medarbetarna").first).to_be_visible()
    assert_accessible(page)
    page.goto(base_url)
    guideline = page.locator("p", has_text="ge stöd utifrån brukarens").first
    expect(guideline).to_be_visible()
    assert_accessible(page)
    # At 360 pixels the page reads without sideways scrolling.
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
