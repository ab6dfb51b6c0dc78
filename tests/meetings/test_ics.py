"""Calendar files parsed back with icalendar: times, identity, changes, cancelling."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from meetings import ics
from meetings.models import Meeting
from meetings.scheduling import (
    cancel_meeting,
    cancel_series,
    change_meeting,
    change_series,
    schedule,
)
from tests.factories import make_group, make_member, make_org, make_unit

from .conftest import next_weekday


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def expand(calendar: Calendar) -> list[tuple[datetime, datetime, str]]:
    """Every occurrence (start, end, summary) in UTC, as a calendar program sees it.

    The rule is expanded from a start whose zone is rebuilt from the file's own
    VTIMEZONE, so the test checks the data we send, not our zoneinfo.
    """
    zones = {vtz["TZID"]: vtz.to_tz() for vtz in calendar.walk("VTIMEZONE")}
    events = calendar.walk("VEVENT")
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    overrides = {
        e["RECURRENCE-ID"].dt.astimezone(UTC): e for e in events if "RECURRENCE-ID" in e
    }

    def in_file_zone(prop) -> datetime:
        value = prop.dt
        return value.replace(tzinfo=zones[prop.params["TZID"]])

    start = in_file_zone(master["DTSTART"])
    duration = in_file_zone(master["DTEND"]) - start
    exdates = master.get("EXDATE", [])
    exdates = exdates if isinstance(exdates, list) else [exdates]
    excluded = {
        value.dt.replace(tzinfo=zones[exdate.params["TZID"]]).astimezone(UTC)
        for exdate in exdates
        for value in exdate.dts
    }
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    occurrences = []
    for occurrence in rule:
        key = occurrence.astimezone(UTC)
        if key in excluded:
            continue
        if key in overrides:
            event = overrides[key]
            occurrences.append(
                (
                    in_file_zone(event["DTSTART"]).astimezone(UTC),
                    in_file_zone(event["DTEND"]).astimezone(UTC),
                    str(event["SUMMARY"]),
                )
            )
        else:
            occurrences.append(
                (key, (occurrence + duration).astimezone(UTC), str(master["SUMMARY"]))
            )
    return occurrences


def make_series(time_zone: str, first: date, until: date, **kwargs) -> Meeting:
    org = make_org(
        "norrby" if time_zone == "Europe/Stockholm" else "hoeje", time_zone=time_zone
    )
    unit = make_unit(org)
    manager = make_member(org, "manager", unit=unit)
    member = make_member(org, "staff", unit=unit)
    group = make_group(org, unit, members=[member])
    kwargs.setdefault("frequency", "weekly")
    return schedule(
        group=group,
        created_by=manager,
        title="Etisk refleksion",
        place="Mødelokale 2",
        link="",
        agenda="",
        first_date=first,
        start_time=time(13),
        end_time=time(14, 30),
        until=until,
        **kwargs,
    )


def invitation(meeting: Meeting) -> Calendar:
    meeting.refresh_from_db()
    recipient = meeting.group.members.get()
    return parse(ics.request(meeting, recipient=recipient))


@pytest.mark.django_db
@pytest.mark.parametrize("time_zone", ["Europe/Stockholm", "Europe/Copenhagen"])
def test_weekly_series_keeps_local_time_across_end_of_summer_time(time_zone):
    # Summer time ends on Sunday 25 October 2026 in both countries.
    first = make_series(time_zone, date(2026, 10, 15), date(2026, 11, 5))

    calendar = invitation(first)

    assert calendar["METHOD"] == "REQUEST"
    assert [vtz["TZID"] for vtz in calendar.walk("VTIMEZONE")] == [time_zone]
    starts_and_ends = [(start, end) for start, end, _title in expand(calendar)]
    assert starts_and_ends == [
        # 13:00 summer time is 11:00 UTC ...
        (
            datetime(2026, 10, 15, 11, tzinfo=UTC),
            datetime(2026, 10, 15, 12, 30, tzinfo=UTC),
        ),
        (
            datetime(2026, 10, 22, 11, tzinfo=UTC),
            datetime(2026, 10, 22, 12, 30, tzinfo=UTC),
        ),
        # ... and 13:00 winter time is 12:00 UTC.
        (
            datetime(2026, 10, 29, 12, tzinfo=UTC),
            datetime(2026, 10, 29, 13, 30, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 5, 12, tzinfo=UTC),
            datetime(2026, 11, 5, 13, 30, tzinfo=UTC),
        ),
    ]
    # The database agrees with the file.
    assert list(
        Meeting.objects.filter(series=first.series).values_list("start", flat=True)
    ) == [start for start, _end in starts_and_ends]


@pytest.mark.django_db
def test_series_expands_with_one_occurrence_moved_and_one_cancelled():
    first = make_series("Europe/Stockholm", date(2026, 10, 15), date(2026, 11, 5))
    second, third = first.series.meetings.order_by("start")[1:3]
    moved_start = datetime(2026, 10, 23, 9, tzinfo=first.series.tz)  # Friday 09:00
    change_meeting(
        second,
        title="Flyttad reflektion",
        place="Rum 5",
        link="",
        agenda="",
        start=moved_start,
        end=moved_start + timedelta(hours=1),
    )
    cancel_meeting(third)

    occurrences = expand(invitation(first))

    assert occurrences == [
        (
            datetime(2026, 10, 15, 11, tzinfo=UTC),
            datetime(2026, 10, 15, 12, 30, tzinfo=UTC),
            "Etisk refleksion",
        ),
        (
            datetime(2026, 10, 23, 7, tzinfo=UTC),
            datetime(2026, 10, 23, 8, tzinfo=UTC),
            "Flyttad reflektion",
        ),
        (
            datetime(2026, 11, 5, 12, tzinfo=UTC),
            datetime(2026, 11, 5, 13, 30, tzinfo=UTC),
            "Etisk refleksion",
        ),
    ]


@pytest.mark.django_db
def test_uid_stays_and_sequence_rises_with_every_change():
    day = next_weekday(3)
    first = make_series("Europe/Stockholm", day, day + timedelta(weeks=3))
    calendars = [invitation(first)]
    second = first.series.meetings.order_by("start")[1]
    change_meeting(
        second,
        title="Ändrad",
        place="Rum 1",
        link="",
        agenda="",
        start=second.start,
        end=second.end,
    )
    calendars.append(invitation(first))
    change_series(
        first.series,
        start=first,
        whole=True,
        rule=replace(first.series.rule, until=day + timedelta(weeks=4)),
        title="Etikgruppen",
        place="Rum 9",
        link="",
        agenda="",
        start_time=time(14),
        end_time=time(15),
    )
    calendars.append(invitation(first))

    uids = {str(e["UID"]) for c in calendars for e in c.walk("VEVENT")}
    sequences = [int(c.walk("VEVENT")[0]["SEQUENCE"]) for c in calendars]
    assert uids == {first.series.uid}
    assert sequences == [0, 1, 2]
    # The series moved to 14:00 and grew by a week; the changed one kept its time.
    local = [
        (start.astimezone(first.series.tz).time(), title)
        for start, _end, title in expand(calendars[-1])
    ]
    assert local == [
        (time(14), "Etikgruppen"),
        (time(13), "Ändrad"),
        (time(14), "Etikgruppen"),
        (time(14), "Etikgruppen"),
        (time(14), "Etikgruppen"),
    ]


@pytest.mark.django_db
def test_single_meeting_has_its_own_uid_and_cancellation_is_method_cancel():
    org = make_org("norrby")
    unit = make_unit(org)
    member = make_member(org, "staff", unit=unit)
    group = make_group(org, unit, members=[member])
    meeting = schedule(
        group=group,
        created_by=member,
        title="Reflektion",
        place="Rum 3",
        link="",
        agenda="",
        first_date=date(2026, 12, 1),
        start_time=time(9),
        end_time=time(10),
    )
    before = parse(ics.request(meeting, recipient=member))

    cancel_meeting(meeting)
    after = parse(ics.cancel(meeting, recipient=member, whole_series=False))

    assert after["METHOD"] == "CANCEL"
    event_before, event_after = before.walk("VEVENT")[0], after.walk("VEVENT")[0]
    assert str(event_after["UID"]) == str(event_before["UID"]) == meeting.uid
    assert int(event_after["SEQUENCE"]) > int(event_before["SEQUENCE"])
    assert event_after["STATUS"] == "CANCELLED"
    assert event_after["DTSTART"].dt.astimezone(UTC) == datetime(
        2026, 12, 1, 8, tzinfo=UTC
    )


@pytest.mark.django_db
def test_cancelling_one_occurrence_names_it_and_the_series_names_none():
    first = make_series("Europe/Stockholm", date(2026, 10, 15), date(2026, 11, 5))
    member = first.group.members.get()
    second = first.series.meetings.order_by("start")[1]

    cancel_meeting(second)
    one = parse(ics.cancel(second, recipient=member, whole_series=False))
    cancel_series(first.series)
    first.refresh_from_db()
    whole = parse(ics.cancel(first, recipient=member, whole_series=True))

    one_event, whole_event = one.walk("VEVENT")[0], whole.walk("VEVENT")[0]
    assert one["METHOD"] == whole["METHOD"] == "CANCEL"
    assert one_event["RECURRENCE-ID"].dt.astimezone(UTC) == datetime(
        2026, 10, 22, 11, tzinfo=UTC
    )
    assert "RECURRENCE-ID" not in whole_event
    assert str(whole_event["UID"]) == str(one_event["UID"]) == first.series.uid
    assert int(whole_event["SEQUENCE"]) > int(one_event["SEQUENCE"])


@pytest.mark.django_db
def test_invitation_addresses_the_recipient_and_asks_no_reply_by_mail():
    first = make_series("Europe/Copenhagen", date(2026, 10, 15), date(2026, 11, 5))

    event = invitation(first).walk("VEVENT")[0]

    member = first.group.members.get()
    assert str(event["ATTENDEE"]) == f"mailto:{member.user.email}"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    assert str(event["LOCATION"]) == "Mødelokale 2"
    assert f"/meetings/{first.uuid}/" in str(event["URL"])
