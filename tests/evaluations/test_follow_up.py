"""The follow-up mail after sign-off links to the evaluation, and to nothing secret."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evaluations.tasks import send_follow_up
from reflections.models import Action, sign_off
from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.factories import make_group, sign_in

from .helpers import answer_all, answer_url

CASE = {
    "title": "Hemtjänst mot brukarens vilja",
    "description": "En äldre man tackar nej till hjälp med att duscha.",
    "question": "Ska vi respektera nejet eller övertala honom?",
}


@pytest.fixture
def open_session(org, unit, facilitator, people):
    group = make_group(org, unit, facilitators=[facilitator], members=people)
    meeting = make_meeting(group, timezone.localdate() - timedelta(days=1))
    meeting.record_attendance([facilitator, *people[:4]])
    reflection = start_reflection(
        meeting, make_dilemma(group, people[0], **CASE), facilitator
    )
    Action.objects.create(
        organisation=org,
        reflection=reflection,
        text="Ring distriktssköterskan",
        owner=people[1],
    )
    return reflection


def sign_off_through_the_page(client, reflection, facilitator):
    sign_in(client, facilitator)
    return client.post(
        reverse(
            "reflections:sign_off",
            kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
        ),
        {"conclusion": "Vi respekterar nejet och följer upp.", "confirm": "on"},
    )


@pytest.mark.django_db
def test_signing_off_mails_those_who_took_part(
    client, open_session, facilitator, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_off_through_the_page(client, open_session, facilitator)

    assert response.status_code == 302
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(p.user.email for p in [facilitator, *people[:4]])
    # Swedish, the organisation's language; the link leads to the evaluation.
    to_owner = next(m for m in mail.outbox if m.to == [people[1].user.email])
    assert to_owner.extra_headers["Content-Language"] == "sv"
    assert answer_url(open_session) in to_owner.body
    # It promises results when the evaluation closes, not as answers come in.
    assert "förseglade tills utvärderingen stänger" in to_owner.body
    assert open_session.dilemma.group.name in to_owner.subject
    for text in [
        *CASE.values(),
        "Vi respekterar nejet och följer upp.",
        "Ring distriktssköterskan",
    ]:
        assert text not in to_owner.body and text not in to_owner.subject


@pytest.mark.django_db
def test_those_who_already_answered_get_no_mail(open_session, facilitator, people):
    signed = sign_off(reflection=open_session, by=facilitator, conclusion="Klart.")
    answer_all(signed, people[:2])

    sent = send_follow_up.call(None, signed.pk)

    assert sent == 3
    assert {m.to[0] for m in mail.outbox} == {
        p.user.email for p in [facilitator, *people[2:4]]
    }


@pytest.mark.django_db
def test_signing_off_in_code_sends_nothing(
    open_session, facilitator, django_capture_on_commit_callbacks
):
    # Demo data and scripts sign off without a person at the page.
    with django_capture_on_commit_callbacks(execute=True):
        sign_off(reflection=open_session, by=facilitator, conclusion="Klart.")

    assert mail.outbox == []


@pytest.mark.django_db
def test_no_mail_once_the_evaluation_has_closed(open_session, facilitator):
    signed = sign_off(reflection=open_session, by=facilitator, conclusion="Klart.")

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert send_follow_up.call(None, signed.pk) == 0
    assert mail.outbox == []
