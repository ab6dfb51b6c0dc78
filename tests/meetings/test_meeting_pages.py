from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import Attendance, Meeting, Response
from meetings.scheduling import change_meeting
from tests.factories import PASSWORD, make_member
from tests.translations import tr

from .test_schedule import calendar_part

pytestmark = pytest.mark.django_db


def login(client, membership) -> None:
    assert client.login(email=membership.user.email, password=PASSWORD)


def url(name: str, meeting: Meeting) -> str:
    return reverse(
        f"meetings:{name}",
        kwargs={"org": meeting.organisation.slug, "meeting_uuid": meeting.uuid},
    )


def test_member_sees_the_meeting_with_its_agenda(client, member, meeting):
    login(client, member)

    response = client.get(url("meeting_detail", meeting))

    assert response.status_code == 200
    assert "Etisk reflektion" in response.text
    assert "Rum 3" in response.text
    assert "<li>Ett dilemma om delaktighet</li>" in response.text
    assert "13:00–14:30" in response.text
    # Members answer; they do not change or cancel.
    assert url("meeting_answer", meeting) in response.text
    assert url("meeting_cancel", meeting) not in response.text


def test_member_of_another_group_gets_404(client, other_member, meeting):
    login(client, other_member)

    for name in ("meeting_detail", "meeting_calendar_file", "meeting_attendance"):
        assert client.get(url(name, meeting)).status_code == 404
    assert (
        client.post(url("meeting_answer", meeting), {"answer": "yes"}).status_code
        == 404
    )
    assert not Response.objects.exists()


def test_other_organisation_gets_404(client, outsider, meeting):
    login(client, outsider)

    assert client.get(url("meeting_detail", meeting)).status_code == 404
    assert client.post(url("meeting_cancel", meeting)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, meeting):
    response = client.get(url("meeting_detail", meeting))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_member_answers_and_changes_their_answer(client, member, meeting):
    login(client, member)

    first = client.post(url("meeting_answer", meeting), {"answer": "maybe"})
    client.post(url("meeting_answer", meeting), {"answer": "yes"})

    assert first.status_code == 302
    assert list(Response.objects.values_list("membership", "answer")) == [
        (member.pk, "yes")
    ]


def test_answer_with_htmx_returns_the_answer_region(client, member, meeting):
    login(client, member)

    response = client.post(
        url("meeting_answer", meeting), {"answer": "no"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="answer"')
    assert "<html" not in response.text
    with translation.override("sv"):
        no = str(Response.Answer.NO.label)
    assert f"{no}: 1" in response.text
    assert "HX-Request" in response["Vary"]
    assert Response.objects.get().answer == "no"


def test_manager_who_is_not_in_the_group_cannot_answer(client, manager, meeting):
    login(client, manager)

    response = client.post(url("meeting_answer", meeting), {"answer": "yes"})

    assert response.status_code == 403
    assert not Response.objects.exists()


def test_answer_refuses_get(client, member, meeting):
    login(client, member)

    assert client.get(url("meeting_answer", meeting)).status_code == 405


def test_manager_moves_one_occurrence_of_a_series(
    client, manager, series_meeting, django_capture_on_commit_callbacks
):
    login(client, manager)
    second = series_meeting.series.meetings.order_by("start")[1]
    new_day = timezone.localdate(second.start) + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("meeting_change", second),
            {
                "title": "Flyttad",
                "date": new_day.isoformat(),
                "start_time": "09:00",
                "end_time": "10:00",
                "place": "Rum 7",
                "link": "",
                "agenda": "",
            },
        )

    second.refresh_from_db()
    others = series_meeting.series.meetings.exclude(pk=second.pk)
    assert response.status_code == 302
    assert second.detached
    assert timezone.localtime(second.start).date() == new_day
    assert timezone.localtime(second.start).hour == 9
    assert not others.filter(title="Flyttad").exists()
    assert second.series.sequence == 1
    method, calendar = calendar_part(mail.outbox[0])
    assert method == "REQUEST"
    assert len(calendar.walk("VEVENT")) == 2  # the rule and the moved occurrence


def test_manager_cancels_one_occurrence_then_the_series(
    client, manager, series_meeting, django_capture_on_commit_callbacks
):
    login(client, manager)
    second = series_meeting.series.meetings.order_by("start")[1]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("meeting_cancel", second))
    one_method, one = calendar_part(mail.outbox[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("series_cancel", series_meeting))
    all_method, whole = calendar_part(mail.outbox[0])

    assert response.status_code == 302
    assert one_method == all_method == "CANCEL"
    assert "RECURRENCE-ID" in one.walk("VEVENT")[0]
    assert "RECURRENCE-ID" not in whole.walk("VEVENT")[0]
    assert mail.outbox[0].subject == tr("sv", "Cancelled: %(title)s") % {
        "title": series_meeting.title
    }
    assert set(series_meeting.series.meetings.values_list("status", flat=True)) == {
        Meeting.Status.CANCELLED
    }


def test_member_cannot_cancel(client, member, meeting):
    login(client, member)

    assert client.post(url("meeting_cancel", meeting)).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_facilitator_records_attendance_and_counts_are_kept(
    client, facilitator, member, group, meeting
):
    absent = make_member(group.organisation, "staff", email="absent@norrby.example")
    group.members.add(absent)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - timedelta(hours=2),
        end=timezone.now() - timedelta(hours=1),
    )
    login(client, facilitator)

    response = client.post(
        url("meeting_attendance", meeting), {"present": [member.pk, facilitator.pk]}
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.attended_count, meeting.expected_count) == (2, 3)
    assert meeting.status == Meeting.Status.HELD
    assert set(Attendance.objects.values_list("membership", flat=True)) == {
        member.pk,
        facilitator.pk,
    }
    assert "2 / 3" in client.get(url("meeting_detail", meeting)).text


def test_member_cannot_record_attendance(client, member, meeting):
    login(client, member)

    assert client.get(url("meeting_attendance", meeting)).status_code == 403


def test_attendance_waits_until_the_meeting_starts(client, facilitator, meeting):
    login(client, facilitator)

    response = client.post(url("meeting_attendance", meeting), {"present": []})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.attended_count is None


def test_manager_changes_the_whole_series_but_not_a_moved_occurrence(
    client, manager, series_meeting, django_capture_on_commit_callbacks
):
    series = series_meeting.series
    first, second, *rest = series.meetings.order_by("start")
    change_meeting(
        second,
        title="Flyttad",
        place="Rum 7",
        link="",
        agenda="",
        start=second.start + timedelta(days=1),
        end=second.end + timedelta(days=1),
    )
    login(client, manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("series_change", first),
            {
                "title": "Etikgruppen",
                "date": series.first_date.isoformat(),
                "repeat": "weekly",
                "interval": "2",
                "start_time": "09:00",
                "end_time": "10:00",
                "until": str(series.until + timedelta(weeks=2)),
                "count": "",
                "place": "Rum 9",
                "link": "",
                "agenda": "",
            },
        )

    series.refresh_from_db()
    meetings = list(series.meetings.order_by("start"))
    moved = next(m for m in meetings if m.pk == second.pk)
    others = [m for m in meetings if m.pk != second.pk]
    assert response.status_code == 302
    assert len(meetings) == 5
    assert {(timezone.localtime(m.start).hour, m.place) for m in others} == {
        (9, "Rum 9")
    }
    assert (timezone.localtime(moved.start).hour, moved.place) == (13, "Rum 7")
    assert series.sequence == 2
    method, calendar = calendar_part(mail.outbox[0])
    assert method == "REQUEST"
    assert int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 2


def test_member_downloads_the_calendar_file(client, member, meeting):
    login(client, member)

    response = client.get(url("meeting_calendar_file", meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert f"UID:{meeting.uid}" in response.content.decode()
