"""Attendees with their answers, one-click answers from e-mail, and people who
join or leave a group."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
import vobject
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import ics
from meetings.links import ANSWER_LINK_MAX_AGE, ANSWER_SALT, answer_token
from meetings.models import Meeting, Response
from tests.factories import make_member, sign_in
from tests.translations import tr

from .test_schedule import calendar_part

pytestmark = pytest.mark.django_db


def attendees(event) -> dict[str, tuple[str, str]]:
    found = event.get("ATTENDEE", [])
    found = found if isinstance(found, list) else [found]
    return {
        str(a).removeprefix("mailto:"): (a.params["PARTSTAT"], a.params["ROLE"])
        for a in found
    }


def test_calendar_file_lists_the_group_with_their_answers(meeting, member, facilitator):
    meeting.answer(member, Response.Answer.NO)

    calendar = Calendar.from_ical(ics.request(meeting, recipient=member))

    assert attendees(calendar.walk("VEVENT")[0]) == {
        member.user.email: ("DECLINED", "REQ-PARTICIPANT"),
        facilitator.user.email: ("NEEDS-ACTION", "CHAIR"),
    }
    # The second reader sees the same people.
    parsed = vobject.readOne(ics.request(meeting, recipient=member).decode())
    assert {
        a.value.removeprefix("mailto:"): a.params["PARTSTAT"][0]
        for a in parsed.vevent.attendee_list
    } == {member.user.email: "DECLINED", facilitator.user.email: "NEEDS-ACTION"}


def test_an_occurrence_answered_differently_is_its_own_event(
    series_meeting, member, facilitator
):
    series = series_meeting.series
    first, second, *_rest = series.meetings.order_by("start")
    first.answer(member, Response.Answer.YES)
    second.answer(member, Response.Answer.MAYBE)
    second.answer(facilitator, Response.Answer.YES)

    events = Calendar.from_ical(ics.request(first, recipient=member)).walk("VEVENT")

    master = next(e for e in events if "RECURRENCE-ID" not in e)
    override = next(e for e in events if "RECURRENCE-ID" in e)
    assert len(events) == 4  # the third and fourth: no answers, unlike the first
    assert attendees(master)[member.user.email][0] == "ACCEPTED"
    assert attendees(override)[member.user.email][0] == "TENTATIVE"
    assert attendees(override)[facilitator.user.email][0] == "ACCEPTED"
    assert override["RECURRENCE-ID"].dt == second.recurrence_id


def test_meeting_page_lists_who_has_not_answered(
    client, facilitator, member, group, meeting
):
    quiet = make_member(
        group.organisation, "staff", email="tyst@norrby.example", name="Tove Tyst"
    )
    group.members.add(quiet)
    meeting.answer(member, Response.Answer.YES)
    sign_in(client, facilitator)

    page = client.get(
        reverse(
            "meetings:meeting_detail",
            kwargs={"org": meeting.organisation.slug, "meeting_uuid": meeting.uuid},
        )
    ).text

    waiting = page.split(tr("sv", "Not answered yet"))[1].split("</ul>")[0]
    assert "Tove Tyst" in waiting
    assert "Fredrik Facilitator" in waiting
    assert "Maja Member" not in waiting


def link_from(body: str, answer: str) -> str:
    return re.search(
        rf"http://127\.0\.0\.1:8000(/answer/[^/\s]+/)\?answer={answer}", body
    )[1]


def test_member_answers_from_the_invitation_without_signing_in(
    client, group, member, manager, django_capture_on_commit_callbacks
):
    from meetings.scheduling import schedule

    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(
            group=group,
            created_by=manager,
            title="Etisk reflektion",
            place="Rum 3",
            link="",
            agenda="",
            first_date=timezone.localdate() + timedelta(days=10),
            start_time=timezone.datetime(2026, 1, 1, 13).time(),
            end_time=timezone.datetime(2026, 1, 1, 14).time(),
        )
    body = next(m for m in mail.outbox if m.to == [member.user.email]).body
    path = link_from(body, "yes")
    # Nothing personal in the address: no name, no e-mail address.
    assert member.user.email not in path and "Maja" not in path

    shown = client.get(path + "?answer=yes")
    assert shown.status_code == 200
    assert "Etisk reflektion" in shown.text
    assert re.search(r'value="yes"[^>]*checked', shown.text)
    assert shown["Cache-Control"] == "no-store"
    assert shown["Referrer-Policy"] == "same-origin"
    # A link prefetcher only GETs: nothing is answered yet.
    assert not Response.objects.exists()

    answered = client.post(path, {"answer": "yes"})

    assert answered.status_code == 200
    assert Response.objects.get().answer == "yes"
    assert (Response.objects.get().meeting, Response.objects.get().membership) == (
        meeting,
        member,
    )
    assert (
        tr("sv", "Thank you. Your answer: %(answer)s.") % {"answer": tr("sv", "Yes")}
        in answered.text
    )


def test_answer_link_refuses_forged_foreign_and_old_tokens(client, meeting, member):
    good = answer_token(meeting, member)
    other_purpose = signing.dumps(
        [meeting.uuid.hex, member.uuid.hex], salt="something.else", compress=True
    )

    def status(token: str, method: str = "get") -> int:
        url = reverse("answer_by_link", kwargs={"token": token})
        return getattr(client, method)(url, {"answer": "yes"}).status_code

    assert status(good[:-2] + "xx") == 404
    assert status(other_purpose) == 404
    assert status("not-a-token", "post") == 404
    later = timezone.now() + ANSWER_LINK_MAX_AGE + timedelta(days=1)
    with mock.patch("time.time", return_value=later.timestamp()):
        assert status(good, "post") == 404
    assert status(good, "put") == 405
    assert not Response.objects.exists()
    assert ANSWER_SALT == "meetings.answer"


def test_answer_link_stops_when_the_person_leaves_the_group(client, meeting, member):
    token = answer_token(meeting, member)
    meeting.group.members.remove(member)

    response = client.post(
        reverse("answer_by_link", kwargs={"token": token}), {"answer": "yes"}
    )

    assert response.status_code == 404
    assert not Response.objects.exists()


def test_answer_link_of_a_past_meeting_does_not_ask(client, meeting, member):
    token = answer_token(meeting, member)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - timedelta(hours=3),
        end=timezone.now() - timedelta(hours=2),
    )
    url = reverse("answer_by_link", kwargs={"token": token})

    shown = client.get(url)
    client.post(url, {"answer": "yes"})

    assert tr("sv", "This meeting is over.") in shown.text
    assert "<form" not in shown.text.split("<main")[1].split('class="language-form"')[0]
    assert not Response.objects.exists()


def test_past_meeting_page_no_longer_asks(client, member, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - timedelta(hours=3),
        end=timezone.now() - timedelta(hours=2),
    )
    sign_in(client, member)

    page = client.get(
        reverse(
            "meetings:meeting_detail",
            kwargs={"org": meeting.organisation.slug, "meeting_uuid": meeting.uuid},
        )
    ).text

    assert tr("sv", "Will you come?") not in page
    assert tr("sv", "Who is coming") not in page
    assert tr("sv", "Answers before the meeting") in page


def group_change(client, group, members) -> None:
    response = client.post(
        reverse(
            "meetings:group_change",
            kwargs={"org": group.organisation.slug, "group_uuid": group.uuid},
        ),
        {
            "name": group.name,
            "unit": group.unit.pk,
            "facilitators": [p.pk for p in group.facilitators.all()],
            "members": [p.pk for p in members],
            "reminder_hours": 24,
        },
    )
    assert response.status_code == 302


def test_joining_a_group_invites_to_its_upcoming_meetings(
    client,
    manager,
    group,
    member,
    meeting,
    series_meeting,
    django_capture_on_commit_callbacks,
):
    newcomer = make_member(
        group.organisation, "staff", email="ny@norrby.example", name="Nora Ny"
    )
    sign_in(client, manager)

    with django_capture_on_commit_callbacks(execute=True):
        group_change(client, group, [member, newcomer])

    assert {m.to[0] for m in mail.outbox} == {newcomer.user.email}
    uids = set()
    for message in mail.outbox:
        method, calendar = calendar_part(message)
        assert method == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        uids.add(str(event["UID"]))
        assert newcomer.user.email in attendees(event)
    assert uids == {meeting.uid, series_meeting.series.uid}


def test_leaving_a_group_sends_cancellations(
    client,
    manager,
    group,
    member,
    meeting,
    series_meeting,
    django_capture_on_commit_callbacks,
):
    sign_in(client, manager)

    with django_capture_on_commit_callbacks(execute=True):
        group_change(client, group, [])

    assert {m.to[0] for m in mail.outbox} == {member.user.email}
    methods = set()
    for message in mail.outbox:
        method, calendar = calendar_part(message)
        methods.add(method)
        assert "RECURRENCE-ID" not in calendar.walk("VEVENT")[0]
        assert "Rum 3" in message.body
    assert methods == {"CANCEL"}
    assert len(mail.outbox) == 2


def test_answer_tokens_never_reach_the_logs(meeting, member):
    from core.logging import redact

    token = answer_token(meeting, member)

    assert redact(f"POST /answer/{token}/?answer=yes HTTP/1.1") == (
        "POST /answer/…/?answer=yes HTTP/1.1"
    )
