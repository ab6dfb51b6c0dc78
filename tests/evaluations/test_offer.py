"""The evaluation offered on the last screen of a signed-off session: to every
person who took part (participant and facilitator alike), while it is open and
until they answer; never to one who only reads the case. And in the mail that
follows the sign-off."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.factories import make_group, make_member, sign_in
from tests.translations import tr

from .helpers import answer_url, form_data, results_url

pytestmark = pytest.mark.django_db

OFFER = "How did the session go for you?"
THANKS = "You have answered the evaluation. Thank you."


def page_url(name: str, reflection, **kwargs) -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid, **kwargs},
    )


def last_screens(reflection) -> list[str]:
    """Where a session ends: the live page, its last step and its record."""
    last = reflection.steps.order_by("-position").first().position
    return [
        page_url("live", reflection),
        page_url("step", reflection, position=last),
        page_url("detail", reflection),
    ]


def offered(client, url: str, reflection) -> bool:
    page = client.get(url)
    assert page.status_code == 200
    shown = f'href="{answer_url(reflection)}"' in page.text
    assert shown == (tr("sv", OFFER) in page.text)
    return shown


@pytest.fixture
def reader(org, unit):
    """The unit's manager: reads the case, took no part."""
    return make_member(org, "manager", unit=unit, name="Maria Manager")


@pytest.fixture
def running(org, unit, facilitator, people):
    """A session under way now, everyone in the group taking part."""
    group = make_group(org, unit, facilitators=[facilitator], members=people)
    start = timezone.now() - timedelta(minutes=20)
    meeting = make_meeting(group, timezone.localdate())
    meeting.start, meeting.end = start, start + timedelta(hours=1)
    meeting.save()
    return start_reflection(meeting, make_dilemma(group, people[0]), facilitator)


def sign_off_through_the_page(client, reflection, facilitator):
    sign_in(client, facilitator)
    return client.post(
        page_url("sign_off", reflection),
        {"conclusion": "Vi frågar honom igen i morgon.", "confirm": "on"},
        follow=True,
    )


def test_every_one_who_took_part_is_offered_it_at_the_end(
    client, running, facilitator, people, reader, django_capture_on_commit_callbacks
):
    sign_in(client, people[2])
    assert not any(offered(client, url, running) for url in last_screens(running))

    with django_capture_on_commit_callbacks(execute=True):
        signed = sign_off_through_the_page(client, running, facilitator)

    # The facilitator lands on the record, and is offered it there.
    assert signed.redirect_chain[-1][0] == page_url("detail", running)
    assert f'href="{answer_url(running)}"' in signed.text
    assert tr("sv", OFFER) in signed.text
    for person in [facilitator, *people]:
        sign_in(client, person)
        for url in last_screens(running):
            assert offered(client, url, running), (person, url)
    # The reader sees the record and the results page, never an offer.
    sign_in(client, reader)
    for url in last_screens(running):
        assert not offered(client, url, running), url
    assert results_url(running) in client.get(page_url("detail", running)).text

    # The mail after the sign-off links to it, for those who took part only.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.user.email for p in [facilitator, *people]
    )
    link = settings.SITE_URL + answer_url(running)
    assert all(link in m.body for m in mail.outbox)


def test_those_recorded_absent_are_not_offered_it(client, session, people):
    absent = make_member(
        session.organisation, "staff", email="borta@norrby.example", name="Borta"
    )
    session.dilemma.group.members.add(absent)
    sign_in(client, absent)

    assert not any(offered(client, url, session) for url in last_screens(session))
    assert client.get(answer_url(session)).status_code == 403


def test_once_answered_it_says_thank_you(client, session, people):
    sign_in(client, people[1])
    assert client.post(answer_url(session), form_data(3)).status_code == 302

    for url in last_screens(session):
        page = client.get(url)
        assert tr("sv", THANKS) in page.text
        assert f'href="{answer_url(session)}"' not in page.text


def test_it_is_not_offered_once_it_has_closed(client, session, people):
    sign_in(client, people[1])
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        sign_in(client, people[1])
        for url in last_screens(session):
            assert not offered(client, url, session), url
