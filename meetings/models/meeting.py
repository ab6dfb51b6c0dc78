"""A meeting of a group, the answers to its invitation, who came, and the
reminders sent about it."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Self

from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import (
    Membership,
    Organisation,
    ReflectionGroup,
    TenantQuerySet,
    member_group_ids,
)

from .groups import invitees
from .series import Series, new_calendar_uid

# Facilitators are reminded to record the outcome only of recent meetings.
OUTCOME_REMINDER_WINDOW = timedelta(days=7)


class MeetingQuerySet[M: Meeting](TenantQuerySet[M]):
    def for_member(self, membership: Membership) -> Self:
        """Meetings of the groups a member may see (their own, or managed)."""
        groups = ReflectionGroup.objects.for_member(membership)
        return self.filter(organisation=membership.organisation, group__in=groups)

    def for_invitee(self, membership: Membership) -> Self:
        """Meetings of the groups a person belongs to or facilitates."""
        return self.filter(
            organisation=membership.organisation,
            group_id__in=member_group_ids(membership).own,
        )

    def in_units(self, unit_ids: Collection[int]) -> Self:
        return self.filter(group__unit__in=unit_ids)

    def upcoming(self) -> Self:
        return self.filter(end__gte=timezone.now()).exclude(
            status=Meeting.Status.CANCELLED
        )

    def past(self) -> Self:
        return self.filter(end__lt=timezone.now()).order_by("-start")


def next_meeting_start() -> Subquery:
    """An annotation: when a group's next meeting that is not cancelled starts."""
    return Subquery(
        Meeting.objects.filter(group=OuterRef("pk"), start__gt=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("start")
        .values("start")[:1]
    )


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
        return self.series.uid if self.series is not None else self.uid

    @property
    def calendar_sequence(self) -> int:
        return self.series.sequence if self.series is not None else self.sequence

    @property
    def slot(self) -> datetime:
        """The start the rule gave this occurrence (its RECURRENCE-ID).

        Only a series' meetings have one; the database keeps one per slot.
        """
        if self.recurrence_id is None:
            raise ValueError(f"Meeting {self.pk} is not an occurrence of a series.")
        return self.recurrence_id

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
        if self.series is not None:
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
