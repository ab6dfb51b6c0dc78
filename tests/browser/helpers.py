"""Helpers for browser tests: translated strings and the axe check."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError

# Impacts that fail a page; "minor" and "moderate" findings are left to review.
BLOCKING_IMPACTS = {"serious", "critical"}


def tr(language: str, message: str) -> str:
    """`message` as the server renders it in `language`, from the same catalogues."""
    with translation.override(language):
        return translation.gettext(message)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"Accessibility problems on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n         ")
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Run axe on the page once it has loaded; fail on serious or critical findings.

    A click on a link returns before the browser has left the page, so the page
    may be replaced while axe reads it: then axe runs again on the new page.
    """
    page.wait_for_load_state()
    try:
        results = Axe().run(page)
    except PlaywrightError:
        page.wait_for_load_state()
        results = Axe().run(page)
    blocking = [
        v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, format_violations(page.url, blocking)


def fill_date(page, language: str, label: str, day) -> None:
    """Type a date into the day, month and year boxes under `label`."""
    group = page.get_by_role("group", name=tr(language, label))
    group.get_by_label(tr(language, "Day")).fill(str(day.day))
    group.get_by_label(tr(language, "Month")).fill(str(day.month))
    group.get_by_label(tr(language, "Year")).fill(str(day.year))
