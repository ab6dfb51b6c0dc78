"""The models of meetings, one module per part of the work.

- `groups`: who leads, manages and is invited to a group's meetings.
- `rules`: how a series repeats, its days and its words.
- `series`: a recurring discussion of a group.
- `meeting`: a meeting, the answers to its invitation, attendance and reminders.
- `feeds`: a person's calendar subscription.

Everything the rest of the project imports is named here, so that
`meetings.models` reads as one module.
"""

from __future__ import annotations

from .feeds import CalendarFeed
from .groups import (
    invitee_count,
    invitees,
    leads_group,
    manages_group,
    member_count,
    schedules_group,
)
from .meeting import (
    OUTCOME_REMINDER_WINDOW,
    Attendance,
    Meeting,
    MeetingQuerySet,
    Response,
    SentReminder,
    next_meeting_start,
)
from .rules import (
    MAX_OCCURRENCES,
    ORDINALS,
    WEEKDAY_CODES,
    Frequency,
    Rule,
    is_last_of_month,
    week_of_month,
)
from .series import Series, new_calendar_uid, series_from_snapshot, series_snapshot

__all__ = [
    "MAX_OCCURRENCES",
    "ORDINALS",
    "OUTCOME_REMINDER_WINDOW",
    "WEEKDAY_CODES",
    "Attendance",
    "CalendarFeed",
    "Frequency",
    "Meeting",
    "MeetingQuerySet",
    "Response",
    "Rule",
    "SentReminder",
    "Series",
    "invitee_count",
    "invitees",
    "is_last_of_month",
    "leads_group",
    "manages_group",
    "member_count",
    "schedules_group",
    "new_calendar_uid",
    "next_meeting_start",
    "series_from_snapshot",
    "series_snapshot",
    "week_of_month",
]
