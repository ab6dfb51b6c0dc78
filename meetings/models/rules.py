"""How a series repeats: the rule a person chooses, its days and its words."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# A series longer than this is a standing arrangement, not a schedule: start a new one.
MAX_OCCURRENCES = 60


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {
    1: _("first"),
    2: _("second"),
    3: _("third"),
    4: _("fourth"),
    -1: _("last"),
}


def week_of_month(day: date) -> int:
    """1 for the first such weekday of its month, 2 for the second, ..., 5."""
    return (day.day - 1) // 7 + 1


def is_last_of_month(day: date) -> bool:
    return day.day + 7 > monthrange(day.year, day.month)[1]


@dataclass(frozen=True)
class Rule:
    """How a series repeats, from its first date: the part a person chooses."""

    first_date: date
    frequency: str
    interval: int
    week_of_month: int | None = None
    until: date | None = None
    count: int | None = None

    def starts(self, start_time: time) -> rrule.rrule:
        weekday = rrule.weekdays[self.first_date.weekday()]
        by: dict[str, Any]
        if self.frequency == Frequency.WEEKLY:
            by = {"byweekday": weekday}
        elif self.week_of_month is None:
            by = {"bymonthday": self.first_date.day}
        else:
            by = {"byweekday": weekday(self.week_of_month)}
        if self.count:
            end: dict[str, Any] = {"count": self.count}
        else:
            # A series ends on a date or after a number of meetings.
            assert self.until is not None
            end = {"until": datetime.combine(self.until, time.max)}
        return rrule.rrule(
            rrule.WEEKLY if self.frequency == Frequency.WEEKLY else rrule.MONTHLY,
            interval=self.interval,
            dtstart=datetime.combine(self.first_date, start_time),
            **by,
            **end,
        )

    def slots(
        self, start_time: time, end_time: time, tz: ZoneInfo
    ) -> list[tuple[datetime, datetime]]:
        # Expanded on naive wall-clock times, then placed in the zone: the offset
        # changes with daylight-saving time, the local time does not.
        return [
            (
                start.replace(tzinfo=tz),
                datetime.combine(start.date(), end_time, tzinfo=tz),
            )
            for start in islice(self.starts(start_time), MAX_OCCURRENCES + 1)
        ]

    def same_pattern(self, other: Rule) -> bool:
        """Whether the days are the same, whatever the end of the series."""
        return (
            self.first_date,
            self.frequency,
            self.interval,
            self.week_of_month,
        ) == (other.first_date, other.frequency, other.interval, other.week_of_month)

    def text(self) -> str:
        weekday = formats.date_format(self.first_date, "l")
        n = self.interval
        if self.frequency == Frequency.WEEKLY:
            return ngettext(
                "Every week on %(weekday)s",
                "Every %(weeks)s weeks on %(weekday)s",
                n,
            ) % {"weeks": n, "weekday": weekday}
        if self.week_of_month is None:
            return ngettext(
                "Every month on day %(day)s",
                "Every %(months)s months on day %(day)s",
                n,
            ) % {"months": n, "day": self.first_date.day}
        return ngettext(
            "Every month on the %(ordinal)s %(weekday)s",
            "Every %(months)s months on the %(ordinal)s %(weekday)s",
            n,
        ) % {"months": n, "ordinal": ORDINALS[self.week_of_month], "weekday": weekday}
