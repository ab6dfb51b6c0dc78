from __future__ import annotations

import hashlib
import secrets
import uuid
from calendar import monthrange
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Self
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lib.queries import count_of
from organisations.models import (
    Capability,
    Membership,
    Organisation,
    ReflectionGroup,
    TenantQuerySet,
    group_ids_of,
)

# A series longer than this is a standing arrangement, not a schedule: start a new one.
MAX_OCCURRENCES = 60
# Facilitators are reminded to record the outcome only of recent meetings.
OUTCOME_REMINDER_WINDOW = timedelta(days=7)


def new_calendar_uid() -> str:
    # The UID calendar programs use to recognise updates and cancellations.
    return f"{uuid.uuid4()}@etikrum"


def manages_group(membership: Membership, group: ReflectionGroup) -> bool:
    """Managers of the group's unit or a unit above it, and administrators."""
    return (
        membership.organisation_id == group.organisation_id
        and membership.can(Capability.MANAGE)
        and group.unit_id in membership.managed_unit_ids()
    )


def leads_group(membership: Membership, group: ReflectionGroup) -> bool:
    """Facilitators of the group, and those who manage it."""
    # Asked by a page and by its panels: answered once per membership object,
    # which a view loads fresh for every request.
    cache = membership.__dict__.setdefault("_leads_groups", {})
    if group.pk not in cache:
        cache[group.pk] = group.facilitators.filter(
            pk=membership.pk
        ).exists() or manages_group(membership, group)
    return cache[group.pk]


def invitees(group: ReflectionGroup) -> list[Membership]:
    """Active members and facilitators of a group, each once."""
    # Two indexed subqueries on the through tables rather than an OR across
    # two joins, which needs DISTINCT and reads far more rows.
    members = ReflectionGroup.members.through.objects.filter(reflectiongroup=group)
    leaders = ReflectionGroup.facilitators.through.objects.filter(reflectiongroup=group)
    people = (
        Membership.objects.active()
        .filter(organisation_id=group.organisation_id)
        .filter(
            Q(pk__in=members.values("membership_id"))
            | Q(pk__in=leaders.values("membership_id"))
        )
        .select_related("user", "organisation")
    )
    return list(people)


def member_count() -> Coalesce:
    """An annotation: a group's number of members."""
    return count_of(ReflectionGroup.members.through.objects.all(), "reflectiongroup")


def next_meeting_start() -> Subquery:
    """An annotation: when a group's next meeting that is not cancelled starts."""
    return Subquery(
        Meeting.objects.filter(group=OuterRef("pk"), start__gt=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("start")
        .values("start")[:1]
    )


class Series(models.Model):
    """A recurring discussion: one calendar event with a weekly or monthly rule.

    Times are wall-clock times in the organisation's time zone, so 13:00 stays
    13:00 across the change to and from daylight-saving time.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

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

    def ical_rule(self) -> dict:
        """The RRULE as calendar programs read it."""
        rule: dict = {"freq": self.frequency, "interval": self.interval}
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
            end_of_day = datetime.combine(self.until, time(23, 59, 59), tzinfo=self.tz)
            rule["until"] = end_of_day.astimezone(UTC)
        return rule

    def rule_text(self) -> str:
        """The schedule in words, in the active language: "Every second week ..." """
        return self.rule.text()

    def bump(self) -> None:
        Series.objects.filter(pk=self.pk).update(sequence=F("sequence") + 1)
        self.refresh_from_db(fields=["sequence"])


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
        if self.frequency == Series.Frequency.WEEKLY:
            by = {"byweekday": weekday}
        elif self.week_of_month is None:
            by = {"bymonthday": self.first_date.day}
        else:
            by = {"byweekday": weekday(self.week_of_month)}
        end = (
            {"count": self.count}
            if self.count
            else {"until": datetime.combine(self.until, time.max)}
        )
        return rrule.rrule(
            rrule.WEEKLY
            if self.frequency == Series.Frequency.WEEKLY
            else rrule.MONTHLY,
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
        if self.frequency == Series.Frequency.WEEKLY:
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


class MeetingQuerySet(TenantQuerySet):
    def for_member(self, membership: Membership) -> Self:
        """Meetings of the groups a member may see (their own, or managed)."""
        groups = ReflectionGroup.objects.for_member(membership)
        return self.filter(organisation=membership.organisation, group__in=groups)

    def for_invitee(self, membership: Membership) -> Self:
        """Meetings of the groups a person belongs to or facilitates."""
        return self.filter(
            organisation=membership.organisation,
            group_id__in=group_ids_of(membership),
        )

    def in_units(self, unit_ids: Collection[int]) -> Self:
        return self.filter(group__unit__in=unit_ids)

    def upcoming(self) -> Self:
        return self.filter(end__gte=timezone.now()).exclude(
            status=Meeting.Status.CANCELLED
        )

    def past(self) -> Self:
        return self.filter(end__lt=timezone.now()).order_by("-start")


class Meeting(models.Model):
    """One ethics discussion of a group, on its own or as one occurrence of a series."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="meetings"
    )
    group = models.ForeignKey(
        ReflectionGroup,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("group"),
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    # The slot of the series this occurrence fills (RECURRENCE-ID in calendars),
    # kept when the occurrence itself is moved.
    recurrence_id = models.DateTimeField(null=True, blank=True)
    # Calendar identity of a single meeting; occurrences use their series'.
    uid = models.CharField(max_length=255, unique=True, default=new_calendar_uid)
    sequence = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    # Changed on its own: changes to the whole series leave it as it is.
    detached = models.BooleanField(default=False)
    attended_count = models.PositiveIntegerField(_("attended"), null=True, blank=True)
    expected_count = models.PositiveIntegerField(_("invited"), null=True, blank=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="meetings_meeting_ends_after_start",
            ),
            # One meeting per slot of a series, so expanding it twice is harmless.
            models.UniqueConstraint(
                fields=["series", "recurrence_id"],
                condition=Q(series__isnull=False),
                name="meetings_one_meeting_per_series_slot",
            ),
            models.CheckConstraint(
                condition=Q(attended_count__isnull=True)
                | Q(attended_count__lte=F("expected_count")),
                name="meetings_attended_at_most_invited",
            ),
        ]
        indexes = [
            # The reminder dispatcher and every calendar scan by time.
            models.Index(fields=["status", "start"], name="meetings_status_start"),
            # A group's next and last meetings (the group list, the dashboard,
            # quiet groups in the overview) and its pages of meetings.
            models.Index(fields=["group", "start"], name="meetings_group_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def calendar_uid(self) -> str:
        return self.series.uid if self.series_id else self.uid

    @property
    def calendar_sequence(self) -> int:
        return self.series.sequence if self.series_id else self.sequence

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def has_started(self) -> bool:
        return self.start <= timezone.now()

    @property
    def is_online(self) -> bool:
        return bool(self.link)

    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    def bump(self) -> None:
        """Raise the calendar SEQUENCE: calendar programs take the newest."""
        if self.series_id:
            self.series.bump()
        else:
            Meeting.objects.filter(pk=self.pk).update(sequence=F("sequence") + 1)
            self.refresh_from_db(fields=["sequence"])

    @transaction.atomic
    def change(
        self,
        *,
        title: str,
        place: str,
        link: str,
        agenda: str,
        start: datetime,
        end: datetime,
    ) -> dict[str, str]:
        """Change this meeting only (for an occurrence: detach it from its series).

        Returns what the invitees had been told before, for the mail that
        meetings.scheduling.change_meeting sends.
        """
        previous = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "place": self.place,
            "link": self.link,
        }
        self.title, self.place, self.link, self.agenda = title, place, link, agenda
        self.start, self.end = start, end
        self.detached = self.series_id is not None
        self.save(
            update_fields=[
                "title",
                "place",
                "link",
                "agenda",
                "start",
                "end",
                "detached",
                "changed",
            ]
        )
        self.bump()
        return previous

    @transaction.atomic
    def cancel(self) -> None:
        """Cancel this meeting only; meetings.scheduling.cancel_meeting tells the
        invitees."""
        self.status = self.Status.CANCELLED
        self.save(update_fields=["status", "changed"])
        self.bump()

    def record_attendance(self, present: list[Membership]) -> None:
        expected = invitees(self.group)
        present_ids = {m.pk for m in present} & {m.pk for m in expected}
        with transaction.atomic():
            self.attendances.exclude(membership__in=present_ids).delete()
            Attendance.objects.bulk_create(
                [Attendance(meeting=self, membership_id=pk) for pk in present_ids],
                ignore_conflicts=True,
            )
            self.attended_count = len(present_ids)
            self.expected_count = len(expected)
            if self.status == self.Status.PLANNED:
                self.status = self.Status.HELD
            self.save(
                update_fields=["attended_count", "expected_count", "status", "changed"]
            )

    def not_answered(self, people: list[Membership] | None = None) -> list[Membership]:
        """The people invited who have not answered yet (of `people`, if known)."""
        answered = set(self.responses.values_list("membership_id", flat=True))
        if people is None:
            people = invitees(self.group)
        return [p for p in people if p.pk not in answered]

    def answer(self, membership: Membership, answer: str) -> Response:
        response, _created = Response.objects.update_or_create(
            meeting=self, membership=membership, defaults={"answer": answer}
        )
        return response


def series_snapshot(series: Series) -> dict:
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


def series_from_snapshot(snapshot: dict, time_zone: str) -> Series:
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


class Response(models.Model):
    """A person's answer to an invitation (RSVP)."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="responses"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="meeting_responses"
    )
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    answered = models.DateTimeField(_("answered"), auto_now=True)

    # How calendar programs show an answer (ATTENDEE;PARTSTAT=..., RFC 5545).
    PARTSTAT = {
        Answer.YES: "ACCEPTED",
        Answer.NO: "DECLINED",
        Answer.MAYBE: "TENTATIVE",
    }

    class Meta:
        ordering = ["meeting", "membership"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                name="meetings_one_answer_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.get_answer_display()}"


class Attendance(models.Model):
    """A person who came to a meeting, as recorded by the facilitator."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta:
        ordering = ["meeting", "membership"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                name="meetings_attended_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} @ {self.meeting}"


class SentReminder(models.Model):
    """Proof that a reminder went out: written in the transaction that sends it."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the meeting")
        OUTCOME = "outcome", _("Record the outcome")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            # The exactly-once guarantee: a second dispatcher (or the same one
            # after a restart) cannot record, and so cannot send, it again.
            models.UniqueConstraint(
                fields=["meeting", "membership", "kind"],
                name="meetings_reminder_sent_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.meeting}"


class CalendarFeed(models.Model):
    """A person's calendar subscription. Only a hash of the secret is kept."""

    class Scope(models.TextChoices):
        MINE = "mine", _("The meetings of my groups")
        UNITS = "units", _("Every meeting of the units I manage")

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("meetings"), max_length=8, choices=Scope.choices, default=Scope.MINE
    )
    created = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return str(self.membership)

    @staticmethod
    def hash_token(token: str) -> str:
        # The token is 256 random bits: a plain hash is enough, no salt needed.
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, membership: Membership, scope: str = Scope.MINE) -> str:
        """A new secret for the person; any earlier one stops working."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            membership=membership,
            defaults={"token_hash": cls.hash_token(token), "scope": scope},
        )
        return token

    def meetings(self) -> MeetingQuerySet:
        """What the subscription shows; units are looked up on every fetch."""
        membership = self.membership
        if self.scope == self.Scope.UNITS and membership.can(Capability.MANAGE):
            # Their own groups and every group of the units they manage.
            return Meeting.objects.for_member(membership)
        return Meeting.objects.for_invitee(membership)

    @classmethod
    def for_token(cls, token: str) -> CalendarFeed | None:
        return (
            cls.objects.filter(
                token_hash=cls.hash_token(token),
                membership__is_active=True,
                membership__user__is_active=True,
            )
            .select_related("membership__organisation", "membership__user")
            .first()
        )

    @classmethod
    def membership_for(cls, token: str) -> Membership | None:
        feed = cls.for_token(token)
        return feed.membership if feed else None
