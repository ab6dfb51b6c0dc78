"""iCalendar (RFC 5545 / iTIP RFC 5546) for invitations, cancellations and feeds.

A series is one VEVENT with a weekly RRULE in the organisation's time zone
(with its VTIMEZONE), cancelled occurrences as EXDATE and changed occurrences
as overrides with the same UID and a RECURRENCE-ID. Every change raises
SEQUENCE, so Outlook, Google and Apple calendars replace what they have.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from organisations.models import Membership

from .models import Meeting, Series

PRODID = "-//Etikrum//Meetings//EN"


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse(
        "meetings:meeting_detail",
        kwargs={"org": meeting.organisation.slug, "meeting_uuid": meeting.uuid},
    )


def _calendar(method: str, events: Iterable[Event]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    # VTIMEZONE data for every TZID used, generated from the zoneinfo database.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _organizer(meeting: Meeting) -> vCalAddress:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(meeting.organisation.name)
    return organizer


def _attendee(recipient: Membership) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{recipient.user.email}")
    attendee.params["cn"] = vText(str(recipient.user))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    # Answers are given in Etikrum, not by e-mail to a no-reply address.
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


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
    recipient: Membership | None,
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
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", _description(meeting))
    event.add("url", meeting_url(meeting))
    event.add("organizer", _organizer(meeting))
    if recipient is not None:
        event.add("attendee", _attendee(recipient))
    return event


def _differs_from_rule(meeting: Meeting, series: Series) -> bool:
    slot_start = meeting.recurrence_id.astimezone(series.tz)
    slot_end = datetime.combine(slot_start.date(), series.end_time, tzinfo=series.tz)
    return (meeting.start, meeting.end, meeting.title, meeting.place, meeting.link) != (
        slot_start,
        slot_end,
        series.title,
        series.place,
        series.link,
    )


def series_events(series: Series, *, recipient: Membership | None) -> list[Event]:
    """The master event with its rule, and one override per changed occurrence."""
    tz = series.tz
    meetings = list(series.meetings.select_related("organisation"))
    if not meetings:
        return []
    template = Meeting(
        organisation=series.organisation,
        uuid=meetings[0].uuid,
        title=series.title,
        place=series.place,
        link=series.link,
    )
    first_start, first_end = series.slots()[0]
    master = _event(
        template,
        uid=series.uid,
        sequence=series.sequence,
        tz=tz,
        recipient=recipient,
        start=first_start,
        end=first_end,
    )
    master.add(
        "rrule",
        {
            "freq": "weekly",
            "interval": series.interval_weeks,
            "until": series.until_utc(),
        },
    )
    cancelled = [m.recurrence_id.astimezone(tz) for m in meetings if m.is_cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    events = [master]
    for meeting in meetings:
        if meeting.is_cancelled or not _differs_from_rule(meeting, series):
            continue
        override = _event(
            meeting,
            uid=series.uid,
            sequence=series.sequence,
            tz=tz,
            recipient=recipient,
        )
        override.add("recurrence-id", meeting.recurrence_id.astimezone(tz))
        events.append(override)
    return events


def meeting_events(meeting: Meeting, *, recipient: Membership | None) -> list[Event]:
    """Every event of the calendar object a meeting belongs to."""
    if meeting.series_id:
        return series_events(meeting.series, recipient=recipient)
    tz = ZoneInfo(meeting.organisation.time_zone)
    event = _event(
        meeting, uid=meeting.uid, sequence=meeting.sequence, tz=tz, recipient=recipient
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
        meeting.series.tz
        if meeting.series_id
        else ZoneInfo(meeting.organisation.time_zone)
    )
    event = _event(
        meeting,
        uid=meeting.calendar_uid,
        sequence=meeting.calendar_sequence,
        tz=tz,
        recipient=recipient,
    )
    if meeting.series_id and not whole_series:
        event.add("recurrence-id", meeting.recurrence_id.astimezone(tz))
    event.add("status", "CANCELLED")
    return _calendar("CANCEL", [event])


def feed(meetings: Iterable[Meeting]) -> bytes:
    """A subscription calendar (METHOD:PUBLISH): each series once, with its rule."""
    events: list[Event] = []
    seen_series: set[int] = set()
    for meeting in meetings:
        if meeting.series_id:
            if meeting.series_id in seen_series or meeting.series.cancelled:
                continue
            seen_series.add(meeting.series_id)
        elif meeting.is_cancelled:
            continue
        events.extend(meeting_events(meeting, recipient=None))
    return _calendar("PUBLISH", events)
