"""Rows of meetings prepared once in the view: when each is, in words, and its address.

A page that lists many meetings would otherwise include a template and run
four date filters and a URL reversal for every row (meetings/includes/when.html).
Here the address is reversed once and each row's text formatted once, in the
organisation's time zone and the reader's language, as the template showed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.text import capfirst

from meetings.models import Meeting

# Stands for a meeting's uuid in the address reversed once for all rows.
_ANY = UUID(int=0)


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    url: str
    # The start as ISO 8601, for <time datetime>, and in words with the times.
    iso: str
    when: str


def meeting_rows(meetings: Iterable[Meeting], org: str) -> list[MeetingRow]:
    """Each meeting with its address and when it is, as meetings/includes/when.html."""
    address = reverse(
        "meetings:meeting_detail", kwargs={"org": org, "meeting_uuid": _ANY}
    )
    rows = []
    for meeting in meetings:
        start = timezone.localtime(meeting.start)
        end = timezone.localtime(meeting.end)
        day = capfirst(formats.date_format(start, "l"))
        date = formats.date_format(start, "DATE_FORMAT")
        times = f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"
        rows.append(
            MeetingRow(
                meeting=meeting,
                url=address.replace(str(_ANY), str(meeting.uuid)),
                iso=dateformat.format(start, "c"),
                when=f"{day} {date}, {times}",
            )
        )
    return rows
