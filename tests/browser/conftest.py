"""Browser tests drive Debian's Chromium through Playwright.

The browser itself is configured in tests/conftest.py (`browser_type_launch_args`).
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Swedish social worker on a laptop: the browser asks for Swedish first.
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(autouse=True)
def _quick_polls(settings):
    """Step pages ask for the group's step every second, not every four.

    A journey that waits for a participant's page to follow waits for the next
    poll; the poll itself, its answers and the swap are the same.
    """
    settings.REFLECTION_POLL_SECONDS = 1
