"""Mails say what changed: new and old times, the new schedule, the dates cancelled."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import formats, translation

from meetings.models import Meeting
from meetings.scheduling import (
    cancel_meeting,
    cancel_series,
    change_meeting,
    change_series,
    schedule,
)
from tests.factories import make_member, make_user

from .test_schedule import calendar_part

pytestmark = pytest.mark.django_db


def when(meeting_start: datetime, meeting_end: datetime, language: str = "sv") -> str:
    """The date and time line as mails write it, in a language."""
    with translation.override(language):
        start = meeting_start.astimezone(meeting_start.tzinfo)
        weekday = formats.date_format(start, "l").capitalize()
        day = formats.date_format(start, "DATE_FORMAT")
    return f"{weekday} {day}, {start:%H:%M}–{meeting_end:%H:%M}"


@pytest.fixture
def series(group, manager):
    first = schedule(
        group=group,
        created_by=manager,
        title="Etikgruppen",
        place="Rum 3",
        link="",
        agenda="Ett känsligt ärende om en familj",
        first_date=date(2027, 3, 4),
        start_time=time(13),
        end_time=time(14, 30),
        frequency="weekly",
        interval=2,
        count=4,
        invite=False,
    )
    return first.series


def mail_to(person):
    return next(m for m in mail.outbox if m.to == [person.user.email])


def test_moved_occurrence_mail_gives_new_and_old_date_time_and_place(
    series, member, django_capture_on_commit_callbacks
):
    second = series.meetings.order_by("start")[1]
    old_start, old_end = second.start, second.end
    new_start = datetime(2027, 3, 19, 9, tzinfo=series.tz)

    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(
            second,
            title=second.title,
            place="Rum 7",
            link="",
            agenda="",
            start=new_start,
            end=new_start + timedelta(hours=1),
        )

    body = mail_to(member).body
    new_line = when(new_start, new_start + timedelta(hours=1))
    old_line = when(old_start.astimezone(series.tz), old_end.astimezone(series.tz))
    assert new_line == "Fredag 19 mars 2027, 09:00–10:00"
    assert new_line in body and "Rum 7" in body
    # The time zone by its Swedish name, not its IANA key.
    assert "Tiderna anges i centraleuropeisk tid (Stockholm)." in body
    assert "Europe/" not in body
    before = body.split("Före ändringen:")[1]
    assert old_line in before and "Rum 3" in before
    assert new_line not in before
    # Not the series' schedule: the moved meeting is what changed.
    assert "Varannan vecka" not in body and "Var 2:e vecka" not in body


def test_series_change_mail_gives_the_new_schedule_and_the_old(
    series, member, django_capture_on_commit_callbacks
):
    first = series.meetings.order_by("start")[0]
    tuesday = date(2027, 3, 9)

    with django_capture_on_commit_callbacks(execute=True):
        change_series(
            series,
            start=first,
            whole=True,
            rule=type(series.rule)(
                first_date=tuesday, frequency="weekly", interval=1, count=3
            ),
            title=series.title,
            place="Rum 9",
            link="",
            agenda="",
            start_time=time(10),
            end_time=time(11),
        )

    body = mail_to(member).body
    with translation.override("sv"):
        from meetings.models import Rule

        new = Rule(first_date=tuesday, frequency="weekly", interval=1, count=3).text()
        old = Rule(first_date=date(2027, 3, 4), frequency="weekly", interval=2).text()
    now, before = body.split("Före ändringen:")
    assert f"{new}, 10:00–11:00" in now and "Rum 9" in now
    assert "Tisdag 9 mars 2027, 10:00–11:00" in now
    assert f"{old}, 13:00–14:30" in before and "Rum 3" in before


def test_series_cancellation_lists_every_date_cancelled(
    series, member, django_capture_on_commit_callbacks
):
    meetings = list(series.meetings.order_by("start"))
    cancel_meeting(meetings[1])  # cancelled earlier, on its own: not in this list
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_series(series)

    body = mail_to(member).body
    listed = [line for line in body.splitlines() if line.startswith("- ")]
    assert listed == [
        "- " + when(m.start.astimezone(series.tz), m.end.astimezone(series.tz))
        for m in (meetings[0], meetings[2], meetings[3])
    ]
    assert "Rum 3" in body
    method, _calendar = calendar_part(mail_to(member))
    assert method == "CANCEL"


def test_every_mail_with_a_calendar_file_has_date_time_place_and_no_agenda(
    series, member, group, django_capture_on_commit_callbacks
):
    dane = make_member(
        group.organisation,
        "staff",
        user=make_user("mette@norrby.example", name="Mette", language="da"),
    )
    group.members.add(dane)
    first, second, *_rest = series.meetings.order_by("start")
    with django_capture_on_commit_callbacks(execute=True):
        from meetings.scheduling import notify

        notify(first, "invitation")
        cancel_meeting(second)
        second_start = second.start
    for message in mail.outbox:
        method, _calendar = calendar_part(message)
        assert method in {"REQUEST", "CANCEL"}
        assert "Rum 3" in message.body
        assert "13:00–14:30" in message.body
        assert "känsligt" not in message.body
    danish = [m for m in mail.outbox if m.to == [dane.user.email]]
    assert len(danish) == 2
    local_end = second.end.astimezone(series.tz)
    assert when(second_start.astimezone(series.tz), local_end, "da") in danish[1].body
    assert "Hej" in danish[0].body


def test_single_meeting_change_tells_old_and_new(
    meeting, member, django_capture_on_commit_callbacks
):
    old = meeting.start
    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(
            meeting,
            title=meeting.title,
            place=meeting.place,
            link="https://meet.example/abc",
            agenda="",
            start=meeting.start + timedelta(days=1),
            end=meeting.end + timedelta(days=1),
        )

    body = mail_to(member).body
    assert "https://meet.example/abc" in body.split("Före ändringen:")[0]
    tz = Meeting.objects.get(pk=meeting.pk).organisation.time_zone
    from zoneinfo import ZoneInfo

    local_old = old.astimezone(ZoneInfo(tz))
    assert (
        when(local_old, local_old + timedelta(hours=1, minutes=30))
        in (body.split("Före ändringen:")[1])
    )
