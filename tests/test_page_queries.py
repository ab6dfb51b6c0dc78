"""Every list and detail page costs the same number of queries whatever the data.

The pages are measured with 2 and with 30 of everything they show (see
tests/lists.py). Whole-page caches are cleared before each measurement: this is
about the work a page does when it is built.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.backends.django import Template as DjangoTemplate
from django.urls import reverse
from django.utils import timezone

from reflections.models import StepKind
from tests.dilemmas.helpers import start_reflection
from tests.insights.helpers import raise_dilemma
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
# text writes its audit row. On PostgreSQL that is one INSERT, which takes the
# chain's lock and reads the chain's last row itself (audit/chain.py, APPEND);
# on SQLite the chain's last row, which the new row's hash follows, is read
# first: one query more, and one SELECT more compiled.
AUDIT_ROW = 0 if connection.vendor == "postgresql" else 1
# A page that shows the case reads its voices (the person's own view, the
# network's, a representative's): one query, whatever their number.
VOICES = 1
# The log asks whether the viewer leads the group, to offer the easy-read
# summary for the person: one query.
LEADS = 1
# The insights' figures when none are kept.
INSIGHT_FIGURES = 8
ABOVE = {
    ("dashboard", "staff"): 15,
    ("dashboard", "facilitator"): 18,
    ("dashboard", "top_manager"): 18,
    ("dashboard", "admin"): 15,
    ("group", "staff"): 14,
    ("group", "top_manager"): 15,
    ("meeting", "staff"): 14,
    ("meeting", "facilitator"): 16,
    ("dilemma", "staff"): 11 + AUDIT_ROW + VOICES,
    ("open reflection", "facilitator"): 15 + AUDIT_ROW + VOICES,
    ("signed-off reflection", "staff"): 14 + AUDIT_ROW + VOICES,
    # The log also reads who was invited, their answers and who came.
    ("reflection log", "facilitator"): 17 + AUDIT_ROW + VOICES + LEADS,
    ("signed-off reflection log", "staff"): 18 + AUDIT_ROW + VOICES + LEADS,
    # A step of a session: the reflection, its steps (read once, the pulse
    # token made from them), whether the reader leads the group, the case's
    # tensions, then on a positions step the count of those who wrote and of
    # those taking part, the reader's own position (or, after the reveal,
    # everyone's) and the citations; the facilitator's forms also read the
    # values and guidelines to cite. Until December 2026 the page read its
    # steps three times, the invitees twice, the citations and the reader's
    # own position twice: 23 queries on PostgreSQL where it is now 17.
    ("positions step", "facilitator"): 16 + AUDIT_ROW + VOICES,
    # The pulse without htmx, as a page: the step page less the forms.
    ("positions pulse", "staff"): 14 + AUDIT_ROW + VOICES,
    # Counted with nothing kept: the units, then one query per table's
    # figures but two for the evaluations (their means, and those left out).
    # A second view reads none of them (insights/figures/kept.py,
    # tests/insights/test_kept.py).
    ("insights", "top_manager"): 5 + INSIGHT_FIGURES,
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
    "group (staff)": 19,
    "group (top_manager)": 21,
    "meeting (staff)": 24,
    "meeting (facilitator)": 26,
    "open reflection (facilitator)": 21 + AUDIT_ROW + VOICES,
    "signed-off reflection (staff)": 20 + AUDIT_ROW + VOICES,
    "reflection log (facilitator)": 21 + AUDIT_ROW + VOICES + LEADS,
    "signed-off reflection log (staff)": 22 + AUDIT_ROW + VOICES + LEADS,
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


def _positions_step(world: World) -> int:
    return world.open_reflection.steps.get(kind=StepKind.POSITIONS).position


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
    Page("insights", "top_manager", _org("insights:overview")),
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
    Page(
        "positions step",
        "facilitator",
        _org(
            "reflections:step",
            reflection_uuid=lambda w: w.open_reflection.uuid,
            position=lambda w: _positions_step(w),
        ),
    ),
    Page(
        "positions pulse",
        "staff",
        _org(
            "reflections:pulse",
            reflection_uuid=lambda w: w.open_reflection.uuid,
            position=lambda w: _positions_step(w),
        ),
    ),
]


def _measure(
    client, world: World, *, seed: bool = True
) -> tuple[dict[str, int], dict[str, int]]:
    counts = {}
    compiled = {}
    for page in PAGES:
        client.force_login(_viewer(world, page.viewer).user)
        url = page.url(world)
        if seed:
            # First use seeds per-organisation data (tensions, methods); once
            # seeded, a second round needs no visit before the one measured.
            client.get(url)
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
    large, large_compiled = _measure(client, world, seed=False)

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


def _queries_while_rendering(client, url: str) -> list[str]:
    """The SQL run while a template renders: a panel that queries shows here."""
    rendering = 0
    during: list[str] = []
    render = DjangoTemplate.render

    def counted_render(template, *args, **kwargs):
        nonlocal rendering
        rendering += 1
        try:
            return render(template, *args, **kwargs)
        finally:
            rendering -= 1

    def execute(run, sql, params, many, context):
        if rendering:
            during.append(sql)
        return run(sql, params, many, context)

    with (
        mock.patch.object(DjangoTemplate, "render", counted_render),
        connection.execute_wrapper(execute),
    ):
        response = client.get(url)
    assert response.status_code == 200, url
    return during


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "viewer"),
    [
        ("dashboard", "staff"),
        ("dashboard", "facilitator"),
        ("dashboard", "top_manager"),
        ("group", "staff"),
        ("group", "top_manager"),
        ("meeting", "staff"),
        ("meeting", "facilitator"),
    ],
)
def test_the_main_pages_query_nothing_while_they_render(client, org, name, viewer):
    """Views gather what a page shows; its templates and their tags only format.

    Everything is there to show, a running session included.
    """
    world = make_world(org)
    grow(world, 3)
    running = world.focus_meeting
    running.start = timezone.now() - datetime.timedelta(minutes=10)
    running.end = timezone.now() + datetime.timedelta(minutes=50)
    running.save(update_fields=["start", "end"])
    dilemma = raise_dilemma(world.town, running.group, timezone.localdate())
    start_reflection(running, dilemma, world.town.facilitator)
    page = next(p for p in PAGES if (p.name, p.viewer) == (name, viewer))
    client.force_login(_viewer(world, viewer).user)
    url = page.url(world)
    response = client.get(url)
    assert '<section class="running"' in response.content.decode()
    assert _queries_while_rendering(client, url) == []
