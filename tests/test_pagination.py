"""Every list comes in pages: page_size rows and a next link, the rest on the
last page, every row once, the filters kept in the links, and a page number
that is not one (or past the end) answers 404, never 500."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from dilemmas.models import Dilemma
from meetings.models import Meeting
from organisations.models import Invitation, Membership, ReflectionGroup
from reflections.models import Action, Reflection
from tests.lists import World, grow, make_world


@dataclass
class List:
    name: str
    viewer: str
    url: Callable[[World], str]
    key: str  # the Page in the template context
    expected: Callable[[World], object]  # the rows, in order
    param: str = "page"
    size: int = 25


def _url(name: str, query: str = "", **kwargs) -> Callable[[World], str]:
    def url(world: World) -> str:
        extra = {key: value(world) for key, value in kwargs.items()}
        path = reverse(name, kwargs={"org": world.org.slug, **extra})
        return f"{path}?{query}" if query else path

    return url


def _group(world: World):
    return world.town.children_group.uuid


def _viewer(world: World, who: str) -> Membership:
    return {
        "staff": world.staff,
        "facilitator": world.town.facilitator,
        "top_manager": world.town.top_manager,
        "admin": world.admin,
    }[who]


def _sessions(world: World):
    return Reflection.objects.filter(
        organisation=world.org, meeting__start__lte=timezone.now()
    ).order_by("-meeting__start", "-pk")


def _in_units(world: World):
    return world.town.top_manager.managed_unit_ids()


LISTS = [
    List(
        "open dilemmas",
        "staff",
        _url("dilemmas:list"),
        "dilemmas",
        lambda w: Dilemma.objects.for_member(w.staff).open(),
    ),
    List(
        "all dilemmas",
        "top_manager",
        _url("dilemmas:list", "closed=1"),
        "dilemmas",
        lambda w: Dilemma.objects.for_member(w.town.top_manager),
    ),
    List(
        "my actions",
        "staff",
        _url("reflections:action_list"),
        "mine",
        lambda w: Action.objects.filter(owner=w.staff, done__isnull=True),
    ),
    List(
        "overdue actions",
        "top_manager",
        _url("reflections:action_list"),
        "overdue",
        lambda w: (
            Action.objects.for_member(w.town.top_manager)
            .overdue()
            .in_units(_in_units(w))
        ),
        param="overdue_page",
    ),
    List(
        "groups",
        "staff",
        _url("meetings:group_list"),
        "groups",
        lambda w: ReflectionGroup.objects.for_member(w.staff).order_by("name"),
    ),
    List(
        "members",
        "admin",
        _url("organisations:member_list", "role=staff"),
        "members",
        lambda w: Membership.objects.filter(
            organisation=w.org, is_active=True, role="staff"
        ),
    ),
    List(
        "invitations",
        "admin",
        _url("organisations:member_list"),
        "invitations",
        lambda w: Invitation.objects.filter(organisation=w.org).open(),
        param="invitations_page",
    ),
    List(
        "audit log",
        "admin",
        _url("audit:log"),
        "page",
        lambda w: AuditEvent.objects.filter(organisation=w.org),
        size=50,
    ),
    List(
        "my activity",
        "staff",
        _url("audit:mine"),
        "page",
        lambda w: AuditEvent.objects.filter(organisation=w.org, user=w.staff.user),
        size=50,
    ),
    List(
        "recent sessions",
        "top_manager",
        _url("evaluations:list"),
        "recent",
        lambda w: _sessions(w),
        param="recent_page",
    ),
    List(
        "upcoming meetings in the units",
        "top_manager",
        _url("meetings:overview"),
        "upcoming",
        lambda w: (
            Meeting.objects.filter(organisation=w.org)
            .in_units(_in_units(w))
            .upcoming()
            .order_by("group__unit__name", "group__unit", "start", "pk")
        ),
        param="upcoming_page",
    ),
    List(
        "attendance per group",
        "top_manager",
        _url("meetings:overview"),
        "groups",
        lambda w: ReflectionGroup.objects.filter(
            organisation=w.org, unit__in=_in_units(w)
        ),
        param="groups_page",
    ),
    List(
        "a group's upcoming meetings",
        "staff",
        _url("meetings:group_detail", group_uuid=_group),
        "upcoming",
        lambda w: (
            Meeting.objects.filter(group=w.town.children_group)
            .upcoming()
            .order_by("start", "pk")
        ),
        size=10,
    ),
    List(
        "a group's earlier meetings",
        "staff",
        _url("meetings:group_detail", group_uuid=_group),
        "past",
        lambda w: (
            Meeting.objects.filter(group=w.town.children_group)
            .past()
            .order_by("-start", "-pk")
        ),
        param="past_page",
    ),
    List(
        "a group's open dilemmas",
        "staff",
        _url("meetings:group_detail", group_uuid=_group),
        "dilemmas",
        lambda w: Dilemma.objects.filter(group=w.town.children_group).open(),
        param="dilemmas_page",
    ),
    List(
        "a group's open actions",
        "staff",
        _url("meetings:group_detail", group_uuid=_group),
        "open_actions",
        lambda w: Action.objects.for_group(w.town.children_group).open(),
        param="actions_page",
    ),
    List(
        "actions to follow up at a meeting",
        "facilitator",
        _url("meetings:meeting_detail", meeting_uuid=lambda w: w.focus_meeting.uuid),
        "open_actions",
        lambda w: Action.objects.for_group(w.town.children_group).open(),
        param="actions_page",
    ),
]


def _next_link(html: str, param: str, number: int) -> str | None:
    """The href of the pager's next link for `param`, if the page has one."""
    for href in re.findall(r'<a href="([^"]*)" rel="next">', html):
        query = unescape(href).split("#")[0]
        if re.search(rf"(^\?|&){param}={number}(&|$)", query):
            return query
    return None


@pytest.fixture
def world(org):
    world = make_world(org)
    grow(world, 30)
    for _ in range(30):
        AuditEvent.record(
            action=AuditAction.READ,
            obj=world.focus_dilemma,
            membership=world.staff,
        )
    return world


@pytest.mark.django_db
def test_every_list_comes_in_pages_with_every_row_once(client, world):
    for listing in LISTS:
        client.force_login(_viewer(world, listing.viewer).user)
        expected = [row.pk for row in listing.expected(world)]
        assert len(expected) > listing.size, listing.name  # at least two pages
        first = listing.url(world)
        path, _, query = first.partition("?")
        url, number, seen, sizes = first, 1, [], []
        while url is not None:
            response = client.get(url)
            assert response.status_code == 200, (listing.name, url)
            page = response.context[listing.key]
            assert page.number == number
            seen += [row.pk for row in page]
            sizes.append(len(page))
            html = response.text
            # The organisation's language: Swedish.
            assert f'<span aria-current="page">Sida {number}</span>' in html
            if number > 1:
                assert 'rel="prev"' in html
            number += 1
            href = _next_link(html, listing.param, number)
            if href is not None and query:
                assert query in href, (listing.name, "the filter is kept")
            url = path + href if href else None

        assert sorted(seen) == sorted(expected), listing.name
        assert len(seen) == len(set(seen)), listing.name
        full, rest = divmod(len(expected), listing.size)
        assert sizes == [listing.size] * full + ([rest] if rest else []), listing.name


@pytest.mark.django_db
def test_a_page_that_is_not_one_is_not_found(client, world):
    for listing in LISTS:
        client.force_login(_viewer(world, listing.viewer).user)
        total = len(listing.expected(world))
        last = -(-total // listing.size)
        url = listing.url(world)
        glue = "&" if "?" in url else "?"
        for bad in ("abc", "0", "-1", "²", "1.5", str(last + 1), "9" * 30):
            response = client.get(f"{url}{glue}{listing.param}={bad}")
            assert response.status_code == 404, (listing.name, bad)
        assert client.get(f"{url}{glue}{listing.param}={last}").status_code == 200


@pytest.mark.django_db
def test_the_first_page_of_an_empty_list_is_a_page(client, org, staff):
    client.force_login(staff.user)
    response = client.get(reverse("dilemmas:list", kwargs={"org": org.slug}))
    assert response.status_code == 200
    assert "Inga dilemman än." in response.text
    assert 'class="pager"' not in response.text


@pytest.mark.django_db
def test_the_dashboard_shows_a_few_rows_and_links_to_the_rest(client, world):
    client.force_login(world.staff.user)
    response = client.get(reverse("organisations:dashboard", kwargs={"org": "norrby"}))
    assert len(response.context["groups"]) == 5
    assert len(response.context["actions"]) == 5
    assert len(response.context["meetings"]) == 5
    html = response.text
    groups_url = reverse("meetings:group_list", kwargs={"org": "norrby"})
    actions_url = reverse("reflections:action_list", kwargs={"org": "norrby"})
    assert f'<a href="{groups_url}">Visa alla' in html
    assert f'<a href="{actions_url}">Visa alla' in html
