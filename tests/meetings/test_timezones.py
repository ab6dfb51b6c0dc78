"""VTIMEZONE with yearly rules, read back by two independent parsers.

icalendar and vobject (whose time zones are dateutil's tzical) each turn the
VTIMEZONE we write into a tzinfo of their own; both must agree with the
zoneinfo database, and a series across the changes to and from summer time
must stay at 13:00 local time in both.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from dateutil.rrule import rrulestr
from icalendar import Calendar

from lib.zones import zone_choices
from meetings import ics
from meetings.models import Meeting
from meetings.scheduling import schedule
from meetings.timezones import transitions, vtimezone
from tests.factories import make_group, make_member, make_org, make_unit

OFFERED = [zone for zone, _label in zone_choices("en")]


def wrap(component) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//test//")
    calendar.add("version", "2.0")
    calendar.add_component(component)
    return calendar.to_ical().decode()


def instants(tzid: str) -> list[datetime]:
    """Every third day of 2026 and 2027, and an hour each side of each change."""
    days = [
        datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=3 * n) for n in range(243)
    ]
    changes = transitions(ZoneInfo(tzid), datetime(2026, 1, 1), datetime(2028, 1, 1))
    around = [
        (change.utc + delta).replace(tzinfo=UTC)
        for change in changes
        for delta in (timedelta(hours=-1), timedelta(hours=1))
    ]
    return days + around


@pytest.mark.parametrize("tzid", OFFERED)
def test_every_offered_zone_reads_the_same_in_two_parsers(tzid):
    text = wrap(vtimezone(tzid, 2026, 2027))
    by_icalendar = (
        Calendar.from_ical(text).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    )
    by_vobject = vobject.readOne(text).vtimezone.gettzinfo()
    zone = ZoneInfo(tzid)

    for instant in instants(tzid):
        expected = instant.astimezone(zone).utcoffset()
        assert instant.astimezone(by_icalendar).utcoffset() == expected, instant
        assert instant.astimezone(by_vobject).utcoffset() == expected, instant


@pytest.mark.parametrize("tzid", ["Europe/Stockholm", "Europe/Copenhagen"])
def test_nordic_zones_are_two_yearly_rules_like_outlook_writes_them(tzid):
    text = wrap(vtimezone(tzid, 2026, 2027))

    assert "RDATE" not in text
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\n" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text
    assert "BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\n" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text
    assert "UNTIL" not in text


def test_a_rule_that_ended_gets_an_until_and_a_zone_without_summer_time_one_part():
    # Turkey kept summer time until 2016, then stayed at +03 all year.
    istanbul = wrap(vtimezone("Europe/Istanbul", 2015, 2017))
    moscow = Calendar.from_ical(wrap(vtimezone("Europe/Moscow", 2026, 2026)))

    assert "RRULE:FREQ=YEARLY;UNTIL=20160327T010000Z;BYDAY=-1SU;BYMONTH=3" in istanbul
    parts = moscow.walk("VTIMEZONE")[0].subcomponents
    assert [(p.name, p["TZOFFSETTO"].to_ical()) for p in parts] == [
        ("STANDARD", "+0300")
    ]


def weekly_series_across_both_changes(time_zone: str) -> Meeting:
    """Thursdays 13:00 from before the last Sunday of March to after October's."""
    org = make_org(time_zone.split("/")[1].lower(), time_zone=time_zone)
    unit = make_unit(org)
    group = make_group(org, unit, members=[make_member(org, "staff", unit=unit)])
    return schedule(
        group=group,
        created_by=None,
        title="Etisk refleksion",
        place="Mødelokale 2",
        link="",
        agenda="",
        first_date=date(2027, 3, 18),
        start_time=time(13),
        end_time=time(14, 30),
        frequency="weekly",
        interval=2,
        until=date(2027, 11, 11),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("time_zone", ["Europe/Stockholm", "Europe/Copenhagen"])
def test_series_across_march_and_october_stays_at_13_in_two_parsers(time_zone):
    # Summer time 2027: from Sunday 28 March to Sunday 31 October.
    first = weekly_series_across_both_changes(time_zone)
    text = ics.request(first, recipient=first.group.members.get()).decode()

    parsed = Calendar.from_ical(text)
    zone = parsed.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    event = parsed.walk("VEVENT")[0]
    start = event["DTSTART"].dt.replace(tzinfo=zone)

    by_icalendar = list(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
    by_vobject = list(vobject.readOne(text).vevent.getrruleset())

    expected_days = [date(2027, 3, 18) + timedelta(weeks=2 * n) for n in range(18)]
    for occurrences in (by_icalendar, by_vobject):
        assert [o.date() for o in occurrences] == expected_days
        in_utc = [o.astimezone(UTC) for o in occurrences]
        # 13:00 in winter is 12:00 UTC, in summer 11:00 UTC, on every day.
        assert [o.time() for o in in_utc] == [
            time(11) if date(2027, 3, 28) < o.date() < date(2027, 10, 31) else time(12)
            for o in in_utc
        ]
    # What the calendar programs see is what the database holds.
    assert [o.astimezone(UTC) for o in by_vobject] == list(
        first.series.meetings.order_by("start").values_list("start", flat=True)
    )
