"""A recurring discussion of a group: a series of meetings on one rule."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, ReflectionGroup

from .rules import MAX_OCCURRENCES, WEEKDAY_CODES, Frequency, Rule


def new_calendar_uid() -> str:
    # The UID calendar programs use to recognise updates and cancellations.
    return f"{uuid.uuid4()}@etikrum"


class Series(models.Model):
    """A recurring discussion: one calendar event with a weekly or monthly rule.

    Times are wall-clock times in the organisation's time zone, so 13:00 stays
    13:00 across the change to and from daylight-saving time.
    """

    Frequency = Frequency

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="meeting_series"
    )
    group = models.ForeignKey(
        ReflectionGroup, on_delete=models.CASCADE, related_name="meeting_series"
    )
    uid = models.CharField(max_length=255, unique=True, default=new_calendar_uid)
    sequence = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64)
    first_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    frequency = models.CharField(
        _("repeats"),
        max_length=8,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )
    interval = models.PositiveSmallIntegerField(_("every how many weeks or months"))
    # Monthly series: none for "on the same date", 1-4 for "the first ... fourth
    # Tuesday", -1 for "the last Tuesday" (the weekday is the first date's).
    week_of_month = models.SmallIntegerField(_("week of the month"), null=True)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of meetings"), null=True)
    cancelled = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["first_date", "start_time"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            # Meetings over midnight are not a thing here; it keeps the rule simple.
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="meetings_series_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(until__gte=F("first_date")),
                name="meetings_series_until_after_first",
            ),
            # A series ends on a date or after a number of meetings, never both.
            models.CheckConstraint(
                condition=Q(until__isnull=False, count__isnull=True)
                | Q(until__isnull=True, count__gte=1, count__lte=MAX_OCCURRENCES),
                name="meetings_series_ends_by_date_or_count",
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=12),
                name="meetings_series_interval_1_to_12",
            ),
            # RFC 5545 has no "fifth Tuesday" that every month has: 1-4 or last.
            models.CheckConstraint(
                condition=Q(week_of_month__isnull=True)
                | Q(frequency="monthly", week_of_month__in=[-1, 1, 2, 3, 4]),
                name="meetings_series_week_of_month_monthly_only",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def rule(self) -> Rule:
        return Rule(
            first_date=self.first_date,
            frequency=self.frequency,
            interval=self.interval,
            week_of_month=self.week_of_month,
            until=self.until,
            count=self.count,
        )

    def slots(self) -> list[tuple[datetime, datetime]]:
        """Start and end of every occurrence the rule gives, in local time."""
        return self.rule.slots(self.start_time, self.end_time, self.tz)

    @property
    def last_date(self) -> date:
        return self.until or self.slots()[-1][0].date()

    def ical_rule(self) -> dict[str, Any]:
        """The RRULE as calendar programs read it."""
        rule: dict[str, Any] = {"freq": self.frequency, "interval": self.interval}
        weekday = WEEKDAY_CODES[self.first_date.weekday()]
        if self.frequency == self.Frequency.WEEKLY:
            rule["byday"] = weekday
        elif self.week_of_month is None:
            rule["bymonthday"] = self.first_date.day
        else:
            rule["byday"] = f"{self.week_of_month}{weekday}"
        if self.count:
            rule["count"] = self.count
        else:
            # RFC 5545: with a TZID start, UNTIL is given in UTC.
            assert self.until is not None  # a series ends on a date or by count
            end_of_day = datetime.combine(self.until, time(23, 59, 59), tzinfo=self.tz)
            rule["until"] = end_of_day.astimezone(UTC)
        return rule

    def rule_text(self) -> str:
        """The schedule in words, in the active language: "Every second week ..." """
        return self.rule.text()

    def bump(self) -> None:
        Series.objects.filter(pk=self.pk).update(sequence=F("sequence") + 1)
        self.refresh_from_db(fields=["sequence"])


def series_snapshot(series: Series) -> dict[str, Any]:
    """A series' schedule as plain data, for the mail that tells what changed."""
    return {
        "first_date": series.first_date.isoformat(),
        "frequency": series.frequency,
        "interval": series.interval,
        "week_of_month": series.week_of_month,
        "until": series.until.isoformat() if series.until else None,
        "count": series.count,
        "start_time": series.start_time.isoformat(),
        "end_time": series.end_time.isoformat(),
        "place": series.place,
        "link": series.link,
    }


def series_from_snapshot(snapshot: dict[str, Any], time_zone: str) -> Series:
    """An unsaved series to show a snapshot with, in words."""
    return Series(
        time_zone=time_zone,
        first_date=date.fromisoformat(snapshot["first_date"]),
        frequency=snapshot["frequency"],
        interval=snapshot["interval"],
        week_of_month=snapshot["week_of_month"],
        until=date.fromisoformat(snapshot["until"]) if snapshot["until"] else None,
        count=snapshot["count"],
        start_time=time.fromisoformat(snapshot["start_time"]),
        end_time=time.fromisoformat(snapshot["end_time"]),
        place=snapshot["place"],
        link=snapshot["link"],
    )
