"""The list of evaluations: those waiting for me, and my groups' sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_member, make_unit, sign_in
from tests.translations import tr

from .helpers import answer_all, answer_url, close, held_session, results_url


def list_url(org="norrby") -> str:
    return reverse("evaluations:list", kwargs={"org": org})


@pytest.mark.django_db
def test_the_list_shows_open_evaluations_and_whether_answered(
    client, org, unit, session, facilitator, people
):
    answer_all(session, people[:1])
    older = held_session(
        org, unit, facilitator, people, days_ago=40, group=session.dilemma.group
    )

    sign_in(client, people[0])
    mine = client.get(list_url())
    sign_in(client, people[1])
    theirs = client.get(list_url())

    assert mine.status_code == 200
    assert [s.uuid for s in mine.context["mine"]] == [session.uuid, older.uuid]
    assert [s.answered for s in mine.context["mine"]] == [True, False]
    assert [s.answered for s in theirs.context["mine"]] == [False, False]
    assert answer_url(session) in mine.text
    # The group's recent sessions, with how many answered.
    assert [(s.uuid, s.answer_count) for s in mine.context["recent"]] == [
        (session.uuid, 1),
        (older.uuid, 0),
    ]
    assert results_url(session) in mine.text
    assert session.dilemma.title not in mine.text


@pytest.mark.django_db
def test_closed_evaluations_leave_the_list(client, session, people):
    sign_in(client, people[0])
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        sign_in(client, people[0])
        response = client.get(list_url())

    assert list(response.context["mine"]) == []


@pytest.mark.django_db
def test_people_outside_the_group_see_no_sessions(client, org, session):
    other_unit = make_unit(org, "Äldreomsorg")
    stranger = make_member(org, "staff", unit=other_unit, email="o@norrby.example")
    make_member(org, "manager", unit=other_unit, email="boss@norrby.example")
    sign_in(client, stranger)

    response = client.get(list_url())

    assert list(response.context["mine"]) == []
    assert list(response.context["recent"]) == []


@pytest.mark.django_db
def test_list_anonymous_method_and_other_organisation(client, session, outsider):
    assert client.get(list_url()).status_code == 302
    sign_in(client, outsider)
    assert client.get(list_url()).status_code == 404
    assert client.post(list_url(outsider.organisation.slug)).status_code == 405


@pytest.mark.django_db
def test_the_results_column_says_where_each_evaluation_stands(
    client, org, unit, session, facilitator, people
):
    group = session.dilemma.group
    released = held_session(org, unit, facilitator, people, group=group, title="A")
    too_few = held_session(org, unit, facilitator, people, group=group, title="B")
    answer_all(released, people[:5])
    answer_all(too_few, people[:2])
    close(released)
    close(too_few)
    answer_all(session, people[:1])

    sign_in(client, people[5])
    response = client.get(list_url())

    labels = {s.pk: s.results_label for s in response.context["recent"]}
    assert labels[released.pk] == tr("sv", "Results")
    assert labels[too_few.pk] == tr("sv", "Too few answers")
    assert labels[session.pk].startswith(tr("sv", "Open until %(date)s")[:6])
    # Closed early: no longer waiting for an answer, though the time is not up.
    assert [s.pk for s in response.context["mine"]] == [session.pk]
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        sign_in(client, people[5])
        later = client.get(list_url())
    labels = {s.pk: s.results_label for s in later.context["recent"]}
    assert labels[session.pk] == tr("sv", "Closed, results on the way")
