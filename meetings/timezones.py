"""VTIMEZONE components with yearly rules, the way Outlook and Google write them.

icalendar's own generator lists every transition as a fixed date (RDATE). Some
widely used readers (dateutil's, and so vobject's, among others) ignore RDATE
and fall back to the winter offset, which puts every summer-time meeting one
hour late. Here the transitions of the years a calendar covers are read from
the zoneinfo database and folded into STANDARD and DAYLIGHT parts with an
RRULE such as FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU. A rule that changed within
those years gets one part per period, each ending with UNTIL; a zone without
daylight-saving time gets one STANDARD part.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    utc: datetime  # the instant, naive UTC
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool

    @property
    def local(self) -> datetime:
        # RFC 5545: a part's DTSTART is local time in the offset it changes from.
        return self.utc + self.offset_from

    def rule(self) -> tuple[bool, timedelta, timedelta, str, int, int, int, time]:
        """What the yearly rule of this transition is: month, weekday, time."""
        local = self.local
        days_in_month = calendar.monthrange(local.year, local.month)[1]
        # The last such weekday of the month, or the first, second, ... one.
        week = -1 if local.day + 7 > days_in_month else (local.day - 1) // 7 + 1
        return (
            self.is_dst,
            self.offset_from,
            self.offset_to,
            self.name,
            local.month,
            week,
            local.weekday(),
            local.time(),
        )


def transitions(tz: ZoneInfo, start: datetime, end: datetime) -> list[Transition]:
    """Every change of UTC offset between two naive UTC instants."""
    found: list[Transition] = []
    step = timedelta(days=7)
    moment = start
    before = _offset(tz, moment)
    while moment < end:
        following = moment + step
        after = _offset(tz, following)
        if after != before:
            low, high = moment, following
            # Halve the week down to the second where the offset changes.
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(tz, middle) == before:
                    low = middle
                else:
                    high = middle
            aware = high.replace(tzinfo=UTC).astimezone(tz)
            found.append(
                Transition(
                    utc=high,
                    offset_from=before[0],
                    offset_to=after[0],
                    name=aware.tzname() or "",
                    # Clocks forward is summer time, as every calendar reads it
                    # (zoneinfo calls Irish winter time the daylight part).
                    is_dst=after[0] > before[0],
                )
            )
        moment, before = following, after
    return found


def _offset(tz: ZoneInfo, utc: datetime) -> tuple[timedelta, timedelta]:
    aware = utc.replace(tzinfo=UTC).astimezone(tz)
    offset, dst = aware.utcoffset(), aware.dst()
    # A time in a ZoneInfo zone has both; only a naive one has neither.
    assert offset is not None and dst is not None
    return offset, dst


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE valid for every date from first_year to last_year."""
    tz = ZoneInfo(tzid)
    # A year either side: the part in force on 1 January starts the year before,
    # and a rule still in force after the last year needs no UNTIL.
    start = datetime(first_year - 1, 1, 1)
    end = datetime(last_year + 2, 1, 1)
    runs: list[list[Transition]] = []
    for transition in transitions(tz, start, end):
        same_rule = [
            run
            for run in runs
            if run[-1].rule() == transition.rule()
            and run[-1].local.year == transition.local.year - 1
        ]
        if same_rule:
            same_rule[0].append(transition)
        else:
            runs.append([transition])
    component = Timezone()
    component.add("tzid", tzid)
    if not runs:
        offset, dst = _offset(tz, start)
        aware = start.replace(tzinfo=UTC).astimezone(tz)
        standard = TimezoneStandard()
        standard.add("dtstart", start)
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", aware.tzname() or tzid)
        component.add_component(standard)
        return component
    for run in runs:
        first, last = run[0], run[-1]
        part = TimezoneDaylight() if first.is_dst else TimezoneStandard()
        part.add("dtstart", first.local)
        part.add("tzoffsetfrom", first.offset_from)
        part.add("tzoffsetto", first.offset_to)
        part.add("tzname", first.name)
        # Still in force after the years asked for: the rule goes on.
        ongoing = last.local.year > last_year
        if len(run) > 1 or ongoing:
            _is_dst, _from, _to, _name, month, week, weekday, _time = first.rule()
            rule = {
                "freq": "yearly",
                "bymonth": month,
                "byday": f"{week}{WEEKDAYS[weekday]}",
            }
            if not ongoing:
                rule["until"] = last.utc.replace(tzinfo=UTC)
            part.add("rrule", rule)
        component.add_component(part)
    return component


def covering(tzid: str, dates: list[date]) -> Timezone:
    """The VTIMEZONE for a calendar whose events fall on these dates."""
    return vtimezone(tzid, min(dates).year, max(dates).year)
