"""Every list and detail page costs the same number of queries whatever the data.

The pages are measured with 2 and with 30 of everything they show (see
tests/lists.py). Whole-page caches are cleared before each measurement: this is
about the work a page does when it is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.lists import World, grow, make_world, queries_for

# Requests inside an organisation pay for the session, the person and the
# membership before the page's own work; the page itself must fit in the rest.
MOST_QUERIES = 12
# Pages above it today, at their present count so that any new query shows.
# Each loads the membership twice (the access check and the organisation
# switcher); the dashboard asks one question per next step for the role, one
# whether the member has put away the first-visit panel (guidance) and one for
# the evaluations waiting for the member's answer (a facilitator's next steps
# include planning the groups they facilitate); the detail pages carry panels
# (agenda, open actions, running sessions, the evaluation offered once a session
# is over); the group's panel also asks
# whether the viewer reads the group's cases. A page that shows case text writes
# its audit row, two queries more than a plain insert: the lock on the
# organisation's chain (PostgreSQL) and the chain's last row, which the new
# row's hash follows (audit/chain.py).
AUDIT_ROW = 2
# A page that shows the case reads its voices (the person's own view, the
# network's, a representative's): one query, whatever their number.
VOICES = 1
ABOVE = {
    ("dilemma", "staff"): MOST_QUERIES + VOICES,
    ("dashboard", "staff"): 14,
    ("dashboard", "facilitator"): 17,
    ("dashboard", "top_manager"): 18,
    ("dashboard", "admin"): 19,
    ("group", "staff"): 14,
    ("group", "top_manager"): 15,
    ("meeting", "staff"): 14,
    ("meeting", "facilitator"): 16,
    ("open reflection", "facilitator"): 14 + AUDIT_ROW + VOICES,
    ("signed-off reflection", "staff"): 13 + AUDIT_ROW + VOICES,
    # The log also reads who was invited, their answers and who came.
    ("reflection log", "facilitator"): 17 + AUDIT_ROW + VOICES,
    ("signed-off reflection log", "staff"): 17 + AUDIT_ROW + VOICES,
}


@dataclass
class Page:
    name: str
    viewer: str
    url: Callable[[World], str]
    most: int = MOST_QUERIES


def _org(name: str, **kwargs) -> Callable[[World], str]:
    def url(world: World) -> str:
        extra = {key: value(world) for key, value in kwargs.items()}
        return reverse(name, kwargs={"org": world.org.slug, **extra})

    return url


def _viewer(world: World, who: str):
    town = world.town
    return {
        "staff": world.staff,
        "facilitator": town.facilitator,
        "manager": town.manager,
        "top_manager": town.top_manager,
        "admin": world.admin,
    }[who]


PAGES = [
    Page("dashboard", "staff", _org("organisations:dashboard")),
    Page("dashboard", "facilitator", _org("organisations:dashboard")),
    Page("dashboard", "top_manager", _org("organisations:dashboard")),
    Page("dashboard", "admin", _org("organisations:dashboard")),
    Page("dilemma list", "staff", _org("dilemmas:list")),
    Page("dilemma list", "top_manager", _org("dilemmas:list")),
    Page(
        "dilemma list with closed",
        "top_manager",
        lambda w: _org("dilemmas:list")(w) + "?closed=1",
    ),
    Page("action list", "staff", _org("reflections:action_list")),
    Page("action list", "top_manager", _org("reflections:action_list")),
    Page("group list", "staff", _org("meetings:group_list")),
    Page("group list", "top_manager", _org("meetings:group_list")),
    Page("meetings overview", "top_manager", _org("meetings:overview")),
    Page("members", "admin", _org("organisations:member_list")),
    Page("units", "admin", _org("organisations:unit_list")),
    Page("audit log", "admin", _org("audit:log")),
    Page("my activity", "staff", _org("audit:mine")),
    Page("evaluations", "staff", _org("evaluations:list")),
    Page("evaluations", "top_manager", _org("evaluations:list")),
    Page("methods", "facilitator", _org("reflections:method_list")),
    Page(
        "dilemma",
        "staff",
        _org("dilemmas:detail", dilemma_uuid=lambda w: w.focus_dilemma.uuid),
    ),
    Page(
        "group",
        "staff",
        _org("meetings:group_detail", group_uuid=lambda w: w.town.children_group.uuid),
    ),
    Page(
        "group",
        "top_manager",
        _org("meetings:group_detail", group_uuid=lambda w: w.town.children_group.uuid),
    ),
    Page(
        "meeting",
        "staff",
        _org("meetings:meeting_detail", meeting_uuid=lambda w: w.focus_meeting.uuid),
    ),
    Page(
        "meeting",
        "facilitator",
        _org("meetings:meeting_detail", meeting_uuid=lambda w: w.focus_meeting.uuid),
    ),
    Page(
        "open reflection",
        "facilitator",
        _org("reflections:detail", reflection_uuid=lambda w: w.open_reflection.uuid),
    ),
    Page(
        "signed-off reflection",
        "staff",
        _org("reflections:detail", reflection_uuid=lambda w: w.signed_reflection.uuid),
    ),
    Page(
        "reflection log",
        "facilitator",
        _org("reflections:log", reflection_uuid=lambda w: w.open_reflection.uuid),
    ),
    Page(
        "signed-off reflection log",
        "staff",
        _org("reflections:log", reflection_uuid=lambda w: w.signed_reflection.uuid),
    ),
]


def _measure(client, world: World) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        client.force_login(_viewer(world, page.viewer).user)
        url = page.url(world)
        client.get(url)  # first use seeds per-organisation data (tensions, methods)
        cache.clear()
        counts[f"{page.name} ({page.viewer})"] = queries_for(client, url)
    return counts


@pytest.mark.django_db
def test_no_page_queries_more_for_more_data(client, org):
    world = make_world(org)
    grow(world, 2)
    small = _measure(client, world)
    grow(world, 28)
    large = _measure(client, world)

    grew = {
        page: (small[page], large[page]) for page in small if large[page] != small[page]
    }
    assert not grew, f"queries (2 rows, 30 rows): {grew}"
    limits = {
        f"{page.name} ({page.viewer})": ABOVE.get((page.name, page.viewer), page.most)
        for page in PAGES
    }
    over = {page: n for page, n in large.items() if n > limits[page]}
    assert not over, f"more than the limit: {over}"
