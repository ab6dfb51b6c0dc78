"""The draft page of the value base shows what the sessions since the version
in force cited, never cited and keep coming back to."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import make_member, sign_in
from tests.translations import tr
from tests.values.helpers import fill, make_base, make_draft
from values.models import CoreValue

from .helpers import add_session, make_town


def draft_url(org, number: int = 2) -> str:
    return reverse(
        "values:draft_edit",
        kwargs={"org": org.slug, "base": "vardegrund", "number": number},
    )


def reflection_links(html: str) -> set[str]:
    return set(re.findall(r'href="/o/norrby/reflections/([0-9a-f-]{36})/"', html))


@pytest.fixture
def town(org):
    town = make_town(org)
    town.children_session = add_session(
        town,
        town.children_group,
        datetime.date(2024, 2, 6),
        tensions=("care-autonomy", "child-adult"),
        values=("dignity",),
        guideline=True,
    )
    town.adults_session = add_session(
        town,
        town.adults_group,
        datetime.date(2024, 3, 5),
        tensions=("care-autonomy",),
        values=("dignity",),
        title="Vuxenärendet",
    )
    version = town.content["dignity"].version
    draft = version.start_next_draft(author=None)
    CoreValue.objects.create(version=draft, key="trust", title="Tillit", position=9)
    draft.values.get(key="integrity").delete()
    return town


@pytest.mark.django_db
def test_the_draft_page_shows_what_was_cited_and_what_recurs(client, org, town):
    editor = make_member(org, "editor", unit=town.top)
    town.children_group.members.add(editor)
    sign_in(client, editor)

    response = client.get(draft_url(org))

    assert response.status_code == 200
    feedback = response.context["feedback"]
    assert feedback.reflections == 2 and feedback.readable == 1
    assert [(line.title, line.count) for line in feedback.cited] == [
        ("Människors lika värde", 2),
        ("Bemötande", 1),
    ]
    assert [(line.title, line.in_draft) for line in feedback.never] == [
        ("Integritet", False)
    ]
    assert [line.title for line in feedback.new] == ["Tillit"]
    assert [(line.count) for line in feedback.tensions] == [2]
    html = response.text
    assert tr("sv", "What the reflections say") in html
    assert tr("sv", "not in this draft") in html
    # Counts cover the organisation; links only what the editor may read.
    assert reflection_links(html) == {str(town.children_session.uuid)}
    assert f"{town.children_group.name}, " in html
    # Reflections are named by group and date, never by their dilemma.
    assert "Hemtjänst mot brukarens vilja" not in html
    assert "Vuxenärendet" not in html
    assert not AuditEvent.objects.filter(action="read").exists()


@pytest.mark.django_db
def test_an_editor_outside_the_groups_gets_counts_and_no_links(client, org, town):
    sign_in(client, make_member(org, "editor", unit=town.top))

    response = client.get(draft_url(org))

    feedback = response.context["feedback"]
    assert feedback.readable == 0
    assert feedback.cited[0].count == 2 and feedback.cited[0].links == []
    assert reflection_links(response.text) == set()


@pytest.mark.django_db
def test_reflections_before_the_version_in_force_do_not_count(client, org):
    town = make_town(org)
    add_session(town, town.children_group, datetime.date(2024, 2, 6))
    version = town.content["dignity"].version
    second = version.start_next_draft(author=None)
    second.adopt(
        adopted_on=datetime.date(2024, 5, 1),
        adopted_by="Socialnämnden",
        effective_from=datetime.date(2024, 6, 1),
    )
    second.start_next_draft(author=None)
    sign_in(client, make_member(org, "editor"))

    response = client.get(draft_url(org, 3))

    feedback = response.context["feedback"]
    assert feedback.in_force == second
    assert feedback.reflections == 0 and feedback.cited == []
    assert {line.title for line in feedback.never} >= {"Människors lika värde"}


@pytest.mark.django_db
def test_a_first_draft_has_nothing_to_learn_from_yet(client, org):
    fill(make_draft(make_base(org), 1))
    sign_in(client, make_member(org, "editor"))

    response = client.get(draft_url(org, 1))

    assert response.status_code == 200
    assert tr("sv", "No version is in force yet, so no reflection has cited one.") in (
        response.text
    )
