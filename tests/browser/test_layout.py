"""The layout holds at every width, for every role, and axe finds nothing serious.

Each main page of each role (staff member, facilitator, manager, administrator)
is opened once and laid out at 360, 768, 1024 and 1280 pixels by resizing the
window, which is quicker than loading it four times. At every width nothing
scrolls sideways and no table is clipped: a table wider than its container
sits in a scroll region of its own (role=region, labelled by its caption,
focusable), and the header is one row (below 1152 pixels the navigation folds
into the menu button). Axe reads each kind of page
once, at 1280 pixels, and the pattern page at every width.
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
from tests.factories import PASSWORD, make_user
from values.models import ValueBase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("staff", "facilitator", "manager", "admin")
WIDTHS = (360, 768, 1024, 1280)
DESKTOP = 1280

# What is wrong with the page as laid out now, in words; nothing when it holds.
PROBLEMS = """() => {
  const problems = [];
  const width = window.innerWidth;
  const scroll = document.scrollingElement.scrollWidth;
  if (scroll > width) problems.push(`scrolls sideways: ${scroll} px at ${width} px`);
  for (const table of document.querySelectorAll("main table")) {
    if (!table.getClientRects().length) continue;  // folded away
    const caption = table.caption ? table.caption.textContent.trim() : "(no caption)";
    const region = table.closest("[role=region]");
    if (region) {
      const label = region.getAttribute("aria-labelledby");
      if (region.tabIndex !== 0 || !label || !document.getElementById(label))
        problems.push(`table "${caption}": region not focusable or unlabelled`);
      if (!table.caption) problems.push(`table in a region has no caption`);
      continue;
    }
    const room = table.parentElement.clientWidth;
    const wide = table.offsetWidth;
    if (wide > room + 1)
      problems.push(`table "${caption}" is clipped: ${wide} px in ${room} px`);
  }
  return problems;
}"""

# How many rows the header's visible parts stand in (a folded menu's are not).
HEADER_ROWS = """() => {
  const parts = [...document.querySelectorAll(
    ".site-header .brand, .site-nav > ul > li, .site-tools > *, .site-menu__button"
  )].filter((e) => e.getClientRects().length && e.checkVisibility());
  const rows = [];
  for (const part of parts) {
    const box = part.getBoundingClientRect();
    const middle = box.top + box.height / 2;
    if (!rows.some((row) => Math.abs(row - middle) < box.height / 2)) rows.push(middle);
  }
  return rows.length;
}"""


def sign_in(page: Page, live_server, email: str, password: str = DEMO_PASSWORD):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name=tr("sv", "Sign in"), exact=True).click()
    expect(page).not_to_have_url(f"{live_server.url}/accounts/login/")


def main_pages(role: str) -> list[tuple[str, str]]:
    """(name, address) of the main pages `role` opens in the demo's Älvdala."""
    membership = Membership.objects.select_related("organisation").get(
        user__email=f"{role}@alvdala.example", organisation__slug="alvdala"
    )
    org = membership.organisation
    group = ReflectionGroup.objects.filter(organisation=org).first()
    meeting = Meeting.objects.filter(group=group).order_by("start").first()
    dilemma = Dilemma.objects.for_member(membership).first()
    reflection = Reflection.objects.for_member(membership).first()
    base = ValueBase.objects.filter(organisation=org).first()
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
        ("guidance:index", {}),
    ]
    if dilemma:
        names.append(("dilemmas:detail", {"dilemma_uuid": dilemma.uuid}))
    if reflection:
        names += [
            ("reflections:detail", {"reflection_uuid": reflection.uuid}),
            ("reflections:step", {"reflection_uuid": reflection.uuid, "position": 1}),
        ]
    if role in ("manager", "admin"):
        names += [("meetings:overview", {}), ("insights:overview", {})]
    if role == "admin":
        names += [
            ("organisations:member_list", {}),
            ("organisations:settings", {}),
            ("audit:log", {}),
        ]
    return [
        (name, reverse(name, kwargs={"org": org.slug, **kwargs}))
        for name, kwargs in names
    ]


def check_every_width(page: Page, role: str) -> list[str]:
    """The page's problems at each width, the widest last; the window ends wide."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        found += [
            f"{role}, {width} px, {page.url}: {p}" for p in page.evaluate(PROBLEMS)
        ]
        rows = page.evaluate(HEADER_ROWS)
        if rows > 1:
            found.append(f"{role}, {width} px, {page.url}: the header has {rows} rows")
    return found


def test_every_main_page_holds_at_every_width(browser, live_server, fresh_demo):
    make_user("ops@etikrum.example", is_staff=True)
    context = browser.new_context(
        locale="sv-SE", viewport={"width": DESKTOP, "height": 800}
    )
    page = context.new_page()
    found: list[str] = []
    read_by_axe: set[str] = set()
    for role in ROLES:
        sign_in(page, live_server, f"{role}@alvdala.example")
        for name, path in main_pages(role):
            page.goto(live_server.url + path)
            found += check_every_width(page, role)
            if name not in read_by_axe:
                read_by_axe.add(name)
                assert_accessible(page)

    # The pattern page shows every component: axe reads it at every width.
    sign_in(page, live_server, "ops@etikrum.example", PASSWORD)
    page.goto(live_server.url + reverse("patterns"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        found += [f"patterns, {width} px: {p}" for p in page.evaluate(PROBLEMS)]
        assert_accessible(page)
    context.close()
    assert not found, "\n".join(found)
