"""The agenda and the reflection: one dilemma in one meeting with one method."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any, Self

from django.db import models, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dilemmas.models import Dilemma
from guidelines.models import Guideline
from lib.locking import LockedRowsQuerySet
from meetings.models import Meeting
from organisations.models import (
    Membership,
    Organisation,
    TenantQuerySet,
    Unit,
    member_group_ids,
)
from values.models import CoreValue, Version

from .base import LockedReflectionError, StepKind
from .methods import Method

if TYPE_CHECKING:
    from .steps import ReflectionStep


# --- Agenda ------------------------------------------------------------------


class AgendaItem(models.Model):
    """A dilemma on a meeting's agenda, with the method the meeting will use."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_dilemmas"
    )
    dilemma = models.ForeignKey(
        Dilemma, on_delete=models.CASCADE, related_name="agenda_items"
    )
    method = models.ForeignKey(
        Method,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("method"),
    )
    added_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created"]
        verbose_name = _("dilemma on an agenda")
        verbose_name_plural = _("dilemmas on agendas")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "dilemma"], name="reflections_agenda_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dilemma} @ {self.meeting}"

    @property
    def reflection(self) -> Reflection | None:
        return Reflection.objects.filter(
            meeting_id=self.meeting_id, dilemma_id=self.dilemma_id
        ).first()


# --- Reflections -------------------------------------------------------------


def version_in_force(organisation: Organisation, day: datetime.date) -> Version | None:
    """The adopted value-base version of the organisation in force on `day`."""
    return (
        Version.objects.filter(value_base__organisation=organisation)
        .in_force_on(day)
        .order_by("value_base__name", "value_base_id")
        .first()
    )


# django-stubs gives each QuerySet class an as_manager() returning a manager
# class of its own, so the two bases' as_manager() types can never agree.
class ReflectionQuerySet(  # type: ignore[override]
    LockedRowsQuerySet["Reflection"], TenantQuerySet["Reflection"]
):
    lock_error = LockedReflectionError
    lock_message = "Signed-off reflections cannot be changed or deleted."

    def for_member(self, membership: Membership) -> Self:
        """Reflections on dilemmas the member may read (group or managed unit)."""
        # Along the foreign keys (one row each) to the member's group ids, read
        # once per request (member_group_ids): subqueries nested three deep
        # PostgreSQL misjudges and loops over, and a subquery of groups cost
        # it more to plan than to run.
        return self.filter(
            organisation=membership.organisation,
            dilemma__organisation=membership.organisation,
            dilemma__group_id__in=member_group_ids(membership).headed,
        )

    def signed_off(self) -> Self:
        return self.filter(status=Reflection.Status.SIGNED_OFF)

    def locked(self) -> Self:
        return self.signed_off()

    def running(self) -> Self:
        """Open sessions whose meeting is on now (see Reflection.is_running)."""
        now = timezone.now()
        return self.filter(
            status=Reflection.Status.OPEN,
            erased__isnull=True,
            meeting__start__lte=now + Reflection.RUNNING_BEFORE,
            meeting__end__gte=now - Reflection.RUNNING_AFTER,
        )


class Reflection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SIGNED_OFF = "signed_off", _("Signed off")

    class Present(models.TextChoices):
        """Whether the person the case is about, or their representative, took
        part; blank when the facilitator did not say."""

        NEITHER = "neither", _("No, neither the person nor a representative")
        PERSON = "person", _("Yes, the person")
        REPRESENTATIVE = "representative", _("Yes, their representative")
        BOTH = "both", _("Yes, the person and their representative")

    # Answers under which the person or a representative took part.
    TOOK_PART = (Present.PERSON, Present.REPRESENTATIVE, Present.BOTH)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reflections"
    )
    dilemma = models.ForeignKey(
        Dilemma, on_delete=models.PROTECT, related_name="reflections"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="reflections"
    )
    method = models.ForeignKey(
        Method, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The method as used: its name here, its steps copied into ReflectionStep.
    method_name = models.CharField(_("method"), max_length=200)
    # Pinned to the version in force on the meeting date, whatever is adopted later.
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reflections",
        verbose_name=_("value base version"),
    )
    facilitator = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    current_step = models.PositiveSmallIntegerField(_("current step"), default=1)
    # A session paused to go on in the group's next meeting: `meeting` is then
    # the meeting it goes on in, `began_in` the one it began in.
    began_in = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("began in the meeting"),
    )
    paused = models.DateTimeField(_("paused"), null=True, blank=True)
    # Revealed positions show no names; the product still knows each author.
    anonymous_positions = models.BooleanField(
        _("reveal positions without names"), default=False
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    # Set at sign-off by the facilitator (docs/reflections.md).
    person_present = models.CharField(
        _("held with the person or their representative present"),
        max_length=16,
        choices=Present.choices,
        blank=True,
    )
    signed_off = models.DateTimeField(_("signed off"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("opened"), auto_now_add=True)
    # The one change a signed-off record ever takes: its texts erased under
    # the retention rule (reflections.retention).
    erased = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            # One session record per dilemma and meeting; reopening finds it.
            models.UniqueConstraint(
                fields=["meeting", "dilemma"], name="reflections_one_per_meeting"
            ),
            # A signed-off record names when and by whom; an open one names neither.
            models.CheckConstraint(
                condition=Q(
                    status="open", signed_off__isnull=True, signed_off_by__isnull=True
                )
                | Q(
                    status="signed_off",
                    signed_off__isnull=False,
                    signed_off_by__isnull=False,
                ),
                name="reflections_sign_off_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dilemma} · {self.meeting}"

    @property
    def is_signed_off(self) -> bool:
        return self.status == self.Status.SIGNED_OFF

    @property
    def audit_unit(self) -> Unit:
        return self.dilemma.group.unit

    def audit_name(self) -> str:
        """How the audit log names it: the group and the day, never case text."""
        return _("Reflection in %(group)s on %(day)s") % {
            "group": self.dilemma.group.name,
            "day": formats.date_format(timezone.localtime(self.meeting.start)),
        }

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return (
            Reflection.objects.filter(pk=self.pk)
            .values_list("status", flat=True)
            .first()
        )

    def check_open(self) -> None:
        if self._stored_status() == self.Status.SIGNED_OFF:
            raise LockedReflectionError("This reflection is signed off.")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.check_open()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.check_open()
        return super().delete(*args, **kwargs)

    def step(self, position: int) -> ReflectionStep:
        return self.steps.get(position=position)

    # A session counts as running from a little before the meeting to a while
    # after it: people gather early and sessions run over.
    RUNNING_BEFORE = datetime.timedelta(minutes=30)
    RUNNING_AFTER = datetime.timedelta(hours=1)

    @property
    def is_running(self) -> bool:
        if self.is_signed_off or self.erased:
            return False
        now = timezone.now()
        return (
            self.meeting.start - self.RUNNING_BEFORE
            <= now
            <= self.meeting.end + self.RUNNING_AFTER
        )

    @property
    def meeting_minutes(self) -> int | None:
        """How long the session's meeting is, in whole minutes."""
        meeting = self.meeting
        if meeting is None or meeting.end <= meeting.start:
            return None
        return int((meeting.end - meeting.start).total_seconds()) // 60

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.meeting.start

    def conclusion_step(self) -> ReflectionStep | None:
        """The step whose notes are the conclusion (or, for older records, the
        last free-text step after the positions)."""
        steps = list(self.steps.all())
        marked = [s for s in steps if s.concludes]
        if marked:
            return marked[-1]
        after = [s.position for s in steps if s.kind == StepKind.POSITIONS]
        start = after[-1] if after else 0
        texts = [s for s in steps if s.kind == StepKind.TEXT and s.position > start]
        return texts[0] if texts else None

    def move_to(self, position: int) -> None:
        self.current_step = position
        self.save(update_fields=["current_step"])

    def cite(self, *, values: list[CoreValue], guidelines: list[Guideline]) -> None:
        """Replace the cited values and guidelines; only those of the pinned version."""
        self.check_open()
        if any(v.version_id != self.version_id for v in values) or any(
            g.version_id != self.version_id for g in guidelines
        ):
            raise ValueError("Citations must come from the pinned version.")
        from .citations import Citation

        with transaction.atomic():
            self.citations.all().delete()
            Citation.objects.bulk_create(
                [Citation(reflection=self, value=v) for v in values]
                + [Citation(reflection=self, guideline=g) for g in guidelines]
            )
