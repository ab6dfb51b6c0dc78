"""iCalendar (RFC 5545 / iTIP RFC 5546 / RFC 7986) for invitations and feeds.

A series is one VEVENT with a weekly or monthly RRULE in the organisation's
time zone, with a VTIMEZONE of yearly rules (meetings/timezones.py), cancelled
occurrences as EXDATE and changed occurrences as overrides with the same UID
and a RECURRENCE-ID. Every change raises SEQUENCE, so Outlook, Google and
Apple calendars replace what they have. Each event lists the group's people
as attendees with their answers; an online link is the event's URL and its
CONFERENCE, so calendar programs offer to join.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Conference,
    Event,
    vCalAddress,
    vDuration,
    vText,
)

from organisations.models import Membership

from . import timezones
from .models import Meeting, Response, Series, invitees

if TYPE_CHECKING:
    from organisations.models import ReflectionGroup

PRODID = "-//Etikrum//Meetings//EN"
# How often subscribed calendars should fetch the feed again.
REFRESH_INTERVAL = timedelta(hours=1)

# Answers per meeting: {meeting id: {membership id: answer}}.
Answers = dict[int, dict[int, str]]


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse(
        "meetings:meeting_detail",
        kwargs={"org": meeting.organisation.slug, "meeting_uuid": meeting.uuid},
    )


def _dates_by_zone(calendar: Calendar) -> dict[str, list[date]]:
    """Every local date an event of the calendar touches, per TZID."""
    found: dict[str, list[date]] = {}
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = event.get(name)
            if prop is not None and "TZID" in prop.params:
                found.setdefault(prop.params["TZID"], []).append(prop.dt.date())
        start = event.get("DTSTART")
        if "RRULE" in event and start is not None and "TZID" in start.params:
            naive = start.dt.replace(tzinfo=None)
            # icalendar writes a rule as bytes (its types allow text too).
            rule_text = event["RRULE"].to_ical()
            if isinstance(rule_text, bytes):
                rule_text = rule_text.decode()
            rule = rrulestr(rule_text, dtstart=naive, ignoretz=True)
            # A series has at most MAX_OCCURRENCES meetings: this is cheap.
            found[start.params["TZID"]].extend(day.date() for day in list(rule)[-1:])
    return found


def _calendar(
    method: str, events: Iterable[Event], *, name: str | None = None
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        # RFC 7986 names, and the older names Outlook and Apple read.
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add(
            "refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"}
        )
        # An unknown property would be written as text: give its type.
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    for event in events:
        calendar.add_component(event)
    for tzid, dates in sorted(_dates_by_zone(calendar).items()):
        calendar.subcomponents.insert(0, timezones.covering(tzid, dates))
    text: bytes = calendar.to_ical()
    return text


def _organizer(meeting: Meeting) -> vCalAddress:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(meeting.organisation.name)
    return organizer


def _attendee(person: Membership, *, answer: str | None, chair: bool) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{person.user.email}")
    attendee.params["cn"] = vText(str(person.user))
    attendee.params["cutype"] = vText("INDIVIDUAL")
    attendee.params["role"] = vText("CHAIR" if chair else "REQ-PARTICIPANT")
    partstat = next(
        (stat for choice, stat in Response.PARTSTAT.items() if choice == answer),
        "NEEDS-ACTION",
    )
    attendee.params["partstat"] = vText(partstat)
    # Answers are given in Etikrum, not by e-mail to a no-reply address.
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


class People:
    """The attendees of one calendar object: the group, and the recipient."""

    def __init__(self, group: ReflectionGroup, recipient: Membership | None) -> None:
        self.people = invitees(group)
        if recipient is not None and all(p.pk != recipient.pk for p in self.people):
            # Someone just removed from the group still needs to see their name.
            self.people.append(recipient)
        self.chairs = set(group.facilitators.values_list("pk", flat=True))

    def partstats(self, answers: dict[int, str]) -> tuple[str | None, ...]:
        return tuple(answers.get(p.pk) for p in self.people)

    def add_to(self, event: Event, answers: dict[int, str]) -> None:
        for person in self.people:
            event.add(
                "attendee",
                _attendee(
                    person,
                    answer=answers.get(person.pk),
                    chair=person.pk in self.chairs,
                ),
            )


def _description(meeting: Meeting) -> str:
    lines = []
    if meeting.link:
        lines.append(_("Online: %(link)s") % {"link": meeting.link})
    lines.append(_("Details and your answer: %(url)s") % {"url": meeting_url(meeting)})
    return "\n".join(lines)


def _event(
    meeting: Meeting,
    *,
    uid: str,
    sequence: int,
    tz: ZoneInfo,
    people: People,
    answers: dict[int, str],
    start: datetime | None = None,
    end: datetime | None = None,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", (start or meeting.start).astimezone(tz))
    event.add("dtend", (end or meeting.end).astimezone(tz))
    event.add("summary", meeting.title)
    # An online meeting without a room is "where" the link is.
    if meeting.place or meeting.link:
        event.add("location", meeting.place or meeting.link)
    event.add("description", _description(meeting))
    if meeting.link:
        event.add("url", meeting.link)
        event.conferences = [
            Conference(meeting.link, feature="VIDEO,AUDIO", label=_("Join online"))
        ]
    else:
        event.add("url", meeting_url(meeting))
    event.add("organizer", _organizer(meeting))
    people.add_to(event, answers)
    return event


def _answers(meetings: Iterable[Meeting]) -> Answers:
    found: Answers = {}
    rows = Response.objects.filter(meeting__in=list(meetings)).values_list(
        "meeting_id", "membership_id", "answer"
    )
    for meeting_id, membership_id, answer in rows:
        found.setdefault(meeting_id, {})[membership_id] = answer
    return found


def _series(meeting: Meeting) -> Series:
    """The series of a meeting known to belong to one (its series_id is set)."""
    series = meeting.series
    assert series is not None
    return series


def _differs_from_rule(meeting: Meeting, series: Series) -> bool:
    slot_start = meeting.slot.astimezone(series.tz)
    slot_end = datetime.combine(slot_start.date(), series.end_time, tzinfo=series.tz)
    return (meeting.start, meeting.end, meeting.title, meeting.place, meeting.link) != (
        slot_start,
        slot_end,
        series.title,
        series.place,
        series.link,
    )


def series_events(series: Series, *, recipient: Membership | None) -> list[Event]:
    """The master event with its rule, and one override per differing occurrence.

    An occurrence differs when it was changed on its own, or when the answers
    given to it are not those of the first one (which the master carries).
    """
    tz = series.tz
    meetings = list(series.meetings.select_related("organisation"))
    if not meetings:
        return []
    answers = _answers(meetings)
    people = People(series.group, recipient)
    template = Meeting(
        organisation=series.organisation,
        uuid=meetings[0].uuid,
        title=series.title,
        place=series.place,
        link=series.link,
    )
    first_start, first_end = series.slots()[0]
    first_meeting = next(
        (m for m in meetings if m.recurrence_id == first_start), meetings[0]
    )
    master_answers = answers.get(first_meeting.pk, {})
    master = _event(
        template,
        uid=series.uid,
        sequence=series.sequence,
        tz=tz,
        people=people,
        answers=master_answers,
        start=first_start,
        end=first_end,
    )
    master.add("rrule", series.ical_rule())
    cancelled = [m.slot.astimezone(tz) for m in meetings if m.is_cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    events = [master]
    for meeting in meetings:
        if meeting.is_cancelled:
            continue
        own_answers = answers.get(meeting.pk, {})
        answered_otherwise = people.partstats(own_answers) != people.partstats(
            master_answers
        )
        if not _differs_from_rule(meeting, series) and not answered_otherwise:
            continue
        override = _event(
            meeting,
            uid=series.uid,
            sequence=series.sequence,
            tz=tz,
            people=people,
            answers=own_answers,
        )
        override.add("recurrence-id", meeting.slot.astimezone(tz))
        events.append(override)
    return events


def meeting_events(meeting: Meeting, *, recipient: Membership | None) -> list[Event]:
    """Every event of the calendar object a meeting belongs to."""
    if meeting.series_id:
        return series_events(_series(meeting), recipient=recipient)
    tz = ZoneInfo(meeting.organisation.time_zone)
    event = _event(
        meeting,
        uid=meeting.uid,
        sequence=meeting.sequence,
        tz=tz,
        people=People(meeting.group, recipient),
        answers=_answers([meeting]).get(meeting.pk, {}),
    )
    if meeting.is_cancelled:
        event.add("status", "CANCELLED")
    return [event]


def request(meeting: Meeting, *, recipient: Membership) -> bytes:
    """An invitation or update (METHOD:REQUEST) of the whole calendar object."""
    return _calendar("REQUEST", meeting_events(meeting, recipient=recipient))


def cancel(meeting: Meeting, *, recipient: Membership, whole_series: bool) -> bytes:
    """METHOD:CANCEL for one meeting, one occurrence or a whole series."""
    tz = (
        _series(meeting).tz
        if meeting.series_id
        else ZoneInfo(meeting.organisation.time_zone)
    )
    event = _event(
        meeting,
        uid=meeting.calendar_uid,
        sequence=meeting.calendar_sequence,
        tz=tz,
        people=People(meeting.group, recipient),
        answers={},
    )
    if meeting.series_id and not whole_series:
        event.add("recurrence-id", meeting.slot.astimezone(tz))
    event.add("status", "CANCELLED")
    return _calendar("CANCEL", [event])


def feed(meetings: Iterable[Meeting], *, name: str | None = None) -> bytes:
    """A subscription calendar (METHOD:PUBLISH): each series once, with its rule."""
    events: list[Event] = []
    seen_series: set[int] = set()
    for meeting in meetings:
        if meeting.series_id:
            if meeting.series_id in seen_series or _series(meeting).cancelled:
                continue
            seen_series.add(meeting.series_id)
        elif meeting.is_cancelled:
            continue
        events.extend(meeting_events(meeting, recipient=None))
    return _calendar("PUBLISH", events, name=name)
