from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import (
    Capability,
    Membership,
    Organisation,
    ReflectionGroup,
    TenantQuerySet,
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
    return group.facilitators.filter(pk=membership.pk).exists() or manages_group(
        membership, group
    )


def invitees(group: ReflectionGroup) -> list[Membership]:
    """Active members and facilitators of a group, each once."""
    people = (
        Membership.objects.active()
        .filter(organisation_id=group.organisation_id)
        .filter(Q(reflection_groups=group) | Q(facilitated_groups=group))
        .select_related("user", "organisation")
        .distinct()
    )
    return list(people)


class Series(models.Model):
    """A recurring discussion: one calendar event with a weekly rule.

    Times are wall-clock times in the organisation's time zone, so 13:00 stays
    13:00 across the change to and from daylight-saving time.
    """

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
    interval_weeks = models.PositiveSmallIntegerField(_("every how many weeks"))
    until = models.DateField(_("until"))
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
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1, interval_weeks__lte=8),
                name="meetings_series_interval_1_to_8_weeks",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def slots(self) -> list[tuple[datetime, datetime]]:
        """Start and end of every occurrence the rule gives, in local time."""
        return series_slots(
            first_date=self.first_date,
            start_time=self.start_time,
            end_time=self.end_time,
            interval_weeks=self.interval_weeks,
            until=self.until,
            tz=self.tz,
        )

    def until_utc(self) -> datetime:
        # RFC 5545: with a TZID start, UNTIL is given in UTC.
        end_of_day = datetime.combine(self.until, time(23, 59, 59), tzinfo=self.tz)
        return end_of_day.astimezone(UTC)

    def bump(self) -> None:
        Series.objects.filter(pk=self.pk).update(sequence=F("sequence") + 1)
        self.refresh_from_db(fields=["sequence"])


def series_slots(
    *,
    first_date: date,
    start_time: time,
    end_time: time,
    interval_weeks: int,
    until: date,
    tz: ZoneInfo,
) -> list[tuple[datetime, datetime]]:
    # Expanded on naive wall-clock times, then placed in the zone: the offset
    # changes with daylight-saving time, the local time does not.
    starts = rrule.rrule(
        rrule.WEEKLY,
        interval=interval_weeks,
        dtstart=datetime.combine(first_date, start_time),
        until=datetime.combine(until, time.max),
    )
    return [
        (
            start.replace(tzinfo=tz),
            datetime.combine(start.date(), end_time, tzinfo=tz),
        )
        for start in islice(starts, MAX_OCCURRENCES + 1)
    ]


class MeetingQuerySet(TenantQuerySet):
    def for_member(self, membership: Membership):
        """Meetings of the groups a member may see (their own, or managed)."""
        groups = ReflectionGroup.objects.for_member(membership)
        return self.filter(organisation=membership.organisation, group__in=groups)

    def for_invitee(self, membership: Membership):
        """Meetings of the groups a person belongs to or facilitates."""
        return (
            self.filter(organisation=membership.organisation)
            .filter(Q(group__members=membership) | Q(group__facilitators=membership))
            .distinct()
        )

    def in_units(self, unit_ids: set[int]):
        return self.filter(group__unit__in=unit_ids)

    def upcoming(self):
        return self.filter(end__gte=timezone.now()).exclude(
            status=Meeting.Status.CANCELLED
        )

    def past(self):
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
    ) -> None:
        """Change this meeting only (for an occurrence: detach it from its series)."""
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
        _notify(self, "update")

    @transaction.atomic
    def cancel(self) -> None:
        self.status = self.Status.CANCELLED
        self.save(update_fields=["status", "changed"])
        self.bump()
        _notify(self, "cancel")

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

    def answer(self, membership: Membership, answer: str) -> Response:
        response, _created = Response.objects.update_or_create(
            meeting=self, membership=membership, defaults={"answer": answer}
        )
        return response


def _notify(meeting: Meeting, kind: str) -> None:
    from .tasks import send_meeting_mail

    transaction.on_commit(lambda: send_meeting_mail.enqueue(meeting.pk, kind))


@transaction.atomic
def schedule(
    *,
    group: ReflectionGroup,
    created_by: Membership,
    title: str,
    place: str,
    link: str,
    agenda: str,
    first_date: date,
    start_time: time,
    end_time: time,
    interval_weeks: int | None = None,
    until: date | None = None,
    invite: bool = True,
) -> Meeting:
    """Schedule a meeting or a weekly series, invite the group; return the first."""
    tz = ZoneInfo(group.organisation.time_zone)
    fields = {
        "organisation": group.organisation,
        "group": group,
        "title": title,
        "place": place,
        "link": link,
        "agenda": agenda,
        "created_by": created_by,
    }
    if not interval_weeks or until is None:
        meeting = Meeting.objects.create(
            start=datetime.combine(first_date, start_time, tzinfo=tz),
            end=datetime.combine(first_date, end_time, tzinfo=tz),
            **fields,
        )
    else:
        series = Series.objects.create(
            time_zone=tz.key,
            first_date=first_date,
            start_time=start_time,
            end_time=end_time,
            interval_weeks=interval_weeks,
            until=until,
            **fields,
        )
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    series=series, recurrence_id=start, start=start, end=end, **fields
                )
                for start, end in series.slots()
            ]
        )
        meeting = meetings[0]
    if invite:
        _notify(meeting, "invitation")
    return meeting


@transaction.atomic
def change_series(
    series: Series,
    *,
    title: str,
    place: str,
    link: str,
    agenda: str,
    start_time: time,
    end_time: time,
    until: date,
) -> None:
    """Change a whole series: every upcoming occurrence not changed on its own.

    Past and separately changed occurrences keep their times; the calendar file
    shows them as exceptions to the rule.
    """
    series = Series.objects.select_for_update().get(pk=series.pk)
    series.title, series.place, series.link, series.agenda = (
        title,
        place,
        link,
        agenda,
    )
    series.start_time, series.end_time, series.until = start_time, end_time, until
    series.save()
    now = timezone.now()
    slots = {start.date(): (start, end) for start, end in series.slots()}
    existing = {
        m.recurrence_id.astimezone(series.tz).date(): m for m in series.meetings.all()
    }
    for day, meeting in existing.items():
        if day not in slots:
            if meeting.start > now and meeting.attended_count is None:
                meeting.delete()
            continue
        start, end = slots[day]
        meeting.recurrence_id = start
        fields = ["recurrence_id"]
        if meeting.start > now and not meeting.detached and not meeting.is_cancelled:
            meeting.start, meeting.end = start, end
            meeting.title, meeting.place, meeting.link, meeting.agenda = (
                title,
                place,
                link,
                agenda,
            )
            fields += ["start", "end", "title", "place", "link", "agenda"]
        meeting.save(update_fields=[*fields, "changed"])
    Meeting.objects.bulk_create(
        [
            Meeting(
                organisation=series.organisation,
                group=series.group,
                series=series,
                recurrence_id=start,
                start=start,
                end=end,
                title=title,
                place=place,
                link=link,
                agenda=agenda,
                created_by=series.created_by,
            )
            for day, (start, end) in slots.items()
            if day not in existing
        ]
    )
    series.bump()
    first = series.meetings.order_by("start").first()
    if first is not None:
        _notify(first, "update")


@transaction.atomic
def cancel_series(series: Series) -> None:
    """Cancel every upcoming occurrence; those already held stay as history."""
    series.cancelled = timezone.now()
    series.save(update_fields=["cancelled"])
    series.meetings.filter(start__gt=series.cancelled).exclude(
        status=Meeting.Status.HELD
    ).update(status=Meeting.Status.CANCELLED)
    series.bump()
    first = series.meetings.order_by("start").first()
    if first is not None:
        _notify(first, "cancel_series")


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

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
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
    def issue(cls, membership: Membership) -> str:
        """A new secret for the person; any earlier one stops working."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            membership=membership, defaults={"token_hash": cls.hash_token(token)}
        )
        return token

    @classmethod
    def membership_for(cls, token: str) -> Membership | None:
        feed = (
            cls.objects.filter(
                token_hash=cls.hash_token(token),
                membership__is_active=True,
                membership__user__is_active=True,
            )
            .select_related("membership__organisation", "membership__user")
            .first()
        )
        return feed.membership if feed else None
