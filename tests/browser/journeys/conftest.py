"""What every journey shares: the demo municipality, people's own browsers, the checks.

Journeys start from the demo data (`manage.py load_demo`): half a year of use, so
the pages are seen in the states real use leaves behind, not only in the ones a
feature's own tests build. Each person gets a browser context of their own, as
on their own device; every response and script error in it is recorded, and a
journey fails on any server error, also on a background poll nobody looks at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from organisations.models import Membership, Organisation


@dataclass(eq=False)
class Device:
    """A person's own browser: its page and what went wrong in it."""

    context: BrowserContext
    page: Page
    server_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)


@pytest.fixture
def demo(fresh_demo) -> Organisation:
    """Älvdala, the Swedish demo municipality, with six months of sessions behind it.

    A fresh copy of the demo for each journey (tests/demo.py).
    """
    return Organisation.objects.get(slug="alvdala")


@pytest.fixture
def device(browser: Browser):
    """`device(width=...)` opens a browser of its own for one person.

    The page's language is Swedish, as on a Swedish social worker's computer.
    """
    # A page that follows the group waits for the next poll (every 4 s); a busy
    # machine may take longer than Playwright's usual 5 s to get there.
    expect.set_options(timeout=15_000)
    devices: list[Device] = []

    def open_device(width: int = 1280, height: int = 900) -> Device:
        context = browser.new_context(
            locale="sv-SE", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        opened = Device(context=context, page=page)

        def on_response(response) -> None:
            if response.status >= 500:
                opened.server_errors.append(f"{response.status} {response.url}")

        page.on("response", on_response)
        page.on("pageerror", lambda error: opened.script_errors.append(str(error)))
        devices.append(opened)
        return opened

    yield open_device
    for opened in devices:
        opened.context.close()


def close_and_assert_no_errors(*devices: Device) -> None:
    """Everyone closes their browser: there was no server or script error.

    Closed first, so that no page polls the server while the journey reads
    the database afterwards.
    """
    for opened in devices:
        opened.context.close()
    for opened in devices:
        assert not opened.server_errors, opened.server_errors
        assert not opened.script_errors, opened.script_errors


def person(organisation: Organisation, email: str) -> Membership:
    return Membership.objects.select_related("user").get(
        organisation=organisation, user__email=email
    )
