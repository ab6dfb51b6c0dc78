"""The evaluation at the right moment: on the dashboard until answered or closed,
and on the session's last screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_member, make_unit, sign_in
from tests.translations import tr

from .helpers import answer_url, close, form_data

pytestmark = pytest.mark.django_db

WAITING = "Evaluations waiting for you"


def dashboard(client, org="norrby"):
    return client.get(reverse("organisations:dashboard", kwargs={"org": org}))


def test_a_participant_is_asked_on_the_dashboard_until_she_answers(
    client, session, people
):
    sign_in(client, people[1])
    page = dashboard(client)
    assert page.status_code == 200
    assert tr("sv", WAITING) in page.text
    assert answer_url(session) in page.text
    # The card names the session by its day and group, never by its case.
    assert session.dilemma.group.name in page.text
    assert session.dilemma.title not in page.text

    response = client.post(answer_url(session), form_data(3))
    assert response.status_code == 302
    page = dashboard(client)
    assert tr("sv", WAITING) not in page.text
    assert answer_url(session) not in page.text


def test_the_card_goes_when_the_evaluation_closes(client, session, people):
    sign_in(client, people[1])
    assert tr("sv", WAITING) in dashboard(client).text
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        sign_in(client, people[1])
        assert tr("sv", WAITING) not in dashboard(client).text


def test_closed_early_by_the_facilitator_it_is_gone_at_once(client, session, people):
    from .helpers import answer_all

    answer_all(session, people[:3])
    close(session)
    sign_in(client, people[4])
    assert tr("sv", WAITING) not in dashboard(client).text


def test_only_those_who_took_part_are_asked(client, org, session, people):
    outsider = make_member(
        org, "staff", unit=make_unit(org, "Hemtjänst"), email="ute@norrby.example"
    )
    sign_in(client, outsider)
    page = dashboard(client)
    assert tr("sv", WAITING) not in page.text
    assert answer_url(session) not in page.text


def test_absent_from_a_meeting_with_attendance_taken_is_not_asked(
    client, org, unit, facilitator, people
):
    from .helpers import held_session

    held = held_session(
        org, unit, facilitator, people, present=[facilitator, *people[:2]]
    )
    sign_in(client, people[3])
    assert answer_url(held) not in dashboard(client).text
    sign_in(client, people[1])
    assert answer_url(held) in dashboard(client).text


def test_the_last_screen_of_a_signed_off_session_offers_the_evaluation(
    client, session, people
):
    last = session.steps.order_by("-position").first()
    url = reverse(
        "reflections:step",
        kwargs={
            "org": "norrby",
            "reflection_uuid": session.uuid,
            "position": last.position,
        },
    )
    sign_in(client, people[2])
    page = client.get(url)
    assert page.status_code == 200
    assert answer_url(session) in page.text
    assert tr("sv", "Evaluate the session") in page.text
