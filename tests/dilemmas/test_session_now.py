"""A session held now: whoever leads the group schedules its meeting on the spot
from the dilemma, so an ad-hoc session is run, signed off, attended and
evaluated without a manager planning a meeting first."""

from __future__ import annotations

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from dilemmas.models import Dilemma
from evaluations.models import Evaluation
from meetings.models import Meeting
from reflections.models import AgendaItem, Reflection
from tests.factories import make_group, make_member, make_unit, sign_in
from tests.meetings.test_schedule import calendar_part
from tests.translations import tr

from .helpers import dilemma_method, make_dilemma

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now_url(dilemma, org: str = "norrby") -> str:
    return reverse(
        "reflections:session_now", kwargs={"org": org, "dilemma_uuid": dilemma.uuid}
    )


def dilemma_url(dilemma) -> str:
    return reverse(
        "dilemmas:detail", kwargs={"org": "norrby", "dilemma_uuid": dilemma.uuid}
    )


def form(org, **overrides) -> dict[str, str]:
    data = {
        "method": str(dilemma_method(org).pk),
        "minutes": "60",
        "place": "Lilla rummet",
        "link": "",
    }
    return {**data, **overrides}


def test_the_dilemma_offers_a_session_now_to_those_who_lead_the_group(
    client, dilemma, facilitator, member
):
    sign_in(client, facilitator)
    page = client.get(dilemma_url(dilemma)).text
    assert now_url(dilemma) in page
    assert tr("sv", "Hold the session now") in page
    # No meeting is planned: scheduling one is offered as well.
    assert (
        reverse(
            "meetings:meeting_schedule",
            kwargs={"org": "norrby", "group_uuid": dilemma.group.uuid},
        )
        in page
    )

    client.logout()
    sign_in(client, member)
    assert now_url(dilemma) not in client.get(dilemma_url(dilemma)).text
    assert client.get(now_url(dilemma)).status_code == 403


# The whole flow runs in the morning of the next day: a session held late in
# the evening ends at midnight's edge (the test below), not after its length.
NEXT_MORNING = datetime.datetime.combine(
    datetime.date.today() + timedelta(days=1), datetime.time(9, 30), STOCKHOLM
)


@time_machine.travel(NEXT_MORNING, tick=True)
def test_an_ad_hoc_session_is_held_signed_off_attended_and_evaluated(
    client,
    org,
    dilemma,
    facilitator,
    member,
    colleague,
    django_capture_on_commit_callbacks,
):
    sign_in(client, facilitator)
    assert not Meeting.objects.exists()
    before = timezone.now().replace(second=0, microsecond=0)

    assert client.get(now_url(dilemma)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(now_url(dilemma), form(org, minutes="90"))

    meeting = Meeting.objects.get()
    reflection = Reflection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reflections:step",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid, "position": 1},
    )
    # The meeting runs from this minute, for the length chosen.
    assert before <= meeting.start <= timezone.now()
    assert meeting.end - meeting.start == timedelta(minutes=90)
    assert (meeting.group, meeting.created_by) == (dilemma.group, facilitator)
    assert meeting.place == "Lilla rummet"
    assert reflection.meeting == meeting
    assert reflection.facilitator == facilitator
    assert reflection.method_name == dilemma_method(org).name
    item = AgendaItem.objects.get()
    assert (item.meeting, item.dilemma, item.added_by) == (
        meeting,
        dilemma,
        facilitator,
    )
    dilemma.refresh_from_db()
    assert dilemma.status == Dilemma.Status.ON_AGENDA
    # The group is invited like to any meeting, with a calendar file.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.user.email for p in [facilitator, member, colleague]
    )
    method, calendar = calendar_part(mail.outbox[0])
    assert method == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == meeting.uid
    assert {(e.object_kind, e.action) for e in AuditEvent.objects.all()} >= {
        ("dilemma", "change"),
        ("reflection", "create"),
    }

    # Attendance, on the meeting that was made for it.
    attendance = reverse(
        "meetings:meeting_attendance",
        kwargs={"org": "norrby", "meeting_uuid": meeting.uuid},
    )
    assert client.get(attendance).status_code == 200
    client.post(attendance, {"present": [facilitator.pk, member.pk]})
    meeting.refresh_from_db()
    assert (meeting.attended_count, meeting.expected_count) == (2, 3)

    # Signed off at once: the meeting has begun.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed = client.post(
            reverse(
                "reflections:sign_off",
                kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
            ),
            {"conclusion": "Vi frågar honom igen i morgon.", "confirm": "on"},
        )
    reflection.refresh_from_db()
    assert signed.status_code == 302
    assert reflection.is_signed_off
    # The evaluation is open to those who came, and mailed to them.
    evaluation = Evaluation.for_reflection(reflection)
    assert evaluation.is_open()
    assert set(evaluation.participants()) == {facilitator, member}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [facilitator.user.email, member.user.email]
    )
    answer = reverse(
        "evaluations:answer",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
    )
    assert all(answer in m.body for m in mail.outbox)


def test_what_was_typed_comes_back_with_the_error(client, org, dilemma, facilitator):
    sign_in(client, facilitator)

    response = client.post(now_url(dilemma), form(org, place="", link="", minutes="45"))

    assert response.status_code == 422
    assert tr("sv", "Give a place, an online link or both.") in response.text
    assert 'value="45" selected' in response.text
    assert f'value="{dilemma_method(org).pk}" selected' in response.text
    assert not Meeting.objects.exists()
    assert not Reflection.objects.exists()


def test_a_length_not_offered_is_refused(client, org, dilemma, facilitator):
    sign_in(client, facilitator)

    response = client.post(now_url(dilemma), form(org, minutes="600"))

    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_late_in_the_evening_the_meeting_ends_within_the_day(
    client, org, dilemma, facilitator
):
    late = datetime.datetime(2031, 3, 4, 23, 59, 30, tzinfo=STOCKHOLM)
    with time_machine.travel(late, tick=False):
        sign_in(client, facilitator)
        response = client.post(now_url(dilemma), form(org))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.start.astimezone(STOCKHOLM).time() == datetime.time(23, 58)
    assert meeting.end.astimezone(STOCKHOLM).time() == datetime.time(23, 59)


def test_closed_dilemmas_are_not_held_again(client, org, dilemma, facilitator):
    dilemma.set_status(Dilemma.Status.CLOSED)
    sign_in(client, facilitator)

    assert client.post(now_url(dilemma), form(org)).status_code == 403
    assert not Meeting.objects.exists()


def test_other_groups_and_organisations_are_not_found(
    client, org, other_org, facilitator
):
    elsewhere = make_unit(org, "Äldreomsorg")
    leader = make_member(org, "facilitator", unit=elsewhere, email="x@norrby.example")
    theirs = make_group(org, elsewhere, "Äldregruppen", facilitators=[leader])
    their_dilemma = make_dilemma(theirs, leader)
    sign_in(client, facilitator)

    assert client.post(now_url(their_dilemma), form(org)).status_code == 404
    assert client.get(now_url(their_dilemma, org="soderby")).status_code == 404
    assert not Meeting.objects.exists()
    # The refusal is in the audit log, without the case.
    refused = AuditEvent.objects.filter(object_uuid=their_dilemma.uuid)
    assert [e.outcome for e in refused] == ["denied", "denied"]


def test_anonymous_is_sent_to_sign_in(client, dilemma):
    response = client.get(now_url(dilemma))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
