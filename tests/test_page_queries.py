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

from tests.lists import World, cost_of, grow, make_world

# Requests inside an organisation pay for the session, the person and the
# membership before the page's own work; the page itself must fit in the rest.
MOST_QUERIES = 12
# Pages above it today, at their present count so that any new query shows.
# Each loads the membership twice (the access check and the organisation
# switcher) and reads the member's groups once, as a list of ids, where it used
# to embed them as a subquery in each of its queries; the dashboard asks one
# question per next step for the role, one whether the member has put away the
# first-visit panel (guidance) and one for the evaluations waiting for the
# member's answer (a facilitator's next steps include planning the groups they
# facilitate); the detail pages carry panels (agenda, open actions, running
# sessions, the evaluation offered once a session is over); the group's panel
# also asks whether the viewer reads the group's cases. A page that shows case
# text writes its audit row, two queries more than a plain insert: the lock on
# the organisation's chain (PostgreSQL) and the chain's last row, which the new
# row's hash follows (audit/chain.py).
AUDIT_ROW = 2
ABOVE = {
    ("dashboard", "staff"): 15,
    ("dashboard", "facilitator"): 18,
    ("dashboard", "top_manager"): 18,
    ("dashboard", "admin"): 15,
    ("group", "staff"): 15,
    ("group", "top_manager"): 16,
    ("meeting", "staff"): 15,
    ("meeting", "facilitator"): 17,
    ("dilemma", "staff"): 11 + AUDIT_ROW,
    ("open reflection", "facilitator"): 15 + AUDIT_ROW,
    ("signed-off reflection", "staff"): 14 + AUDIT_ROW,
    # The log also reads who was invited, their answers and who came.
    ("reflection log", "facilitator"): 17 + AUDIT_ROW,
    ("signed-off reflection log", "staff"): 18 + AUDIT_ROW,
}

# SELECTs compiled by the main pages, subqueries included (tests/lists.py,
# cost_of). The member's groups are read once per request as a list of ids
# (organisations.models.groups.member_group_ids) instead of a subquery
# compiled again inside every query that needs it.
COMPILED = {
    "dashboard (staff)": 24,
    "dashboard (facilitator)": 31,
    "dashboard (top_manager)": 35,
    "dashboard (admin)": 34,
    "group (staff)": 20,
    "group (top_manager)": 22,
    "meeting (staff)": 26,
    "meeting (facilitator)": 28,
    "open reflection (facilitator)": 22,
    "signed-off reflection (staff)": 21,
    "reflection log (facilitator)": 22,
    "signed-off reflection log (staff)": 23,
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


def _measure(client, world: World) -> tuple[dict[str, int], dict[str, int]]:
    counts = {}
    compiled = {}
    for page in PAGES:
        client.force_login(_viewer(world, page.viewer).user)
        url = page.url(world)
        client.get(url)  # first use seeds per-organisation data (tensions, methods)
        cache.clear()
        name = f"{page.name} ({page.viewer})"
        counts[name], compiled[name] = cost_of(client, url)
    return counts, compiled


@pytest.mark.django_db
def test_no_page_queries_more_for_more_data(client, org):
    world = make_world(org)
    grow(world, 2)
    small, small_compiled = _measure(client, world)
    grow(world, 28)
    large, large_compiled = _measure(client, world)

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

    grew = {
        page: (small_compiled[page], large_compiled[page])
        for page in small_compiled
        if large_compiled[page] != small_compiled[page]
    }
    assert not grew, f"compilations (2 rows, 30 rows): {grew}"
    over = {
        page: large_compiled[page]
        for page in COMPILED
        if large_compiled[page] > COMPILED[page]
    }
    assert not over, f"more compilations than the limit: {over}"
