"""Reflection methods as data, sessions run with them, outcomes and follow-up.

A Reflection is one dilemma discussed in one meeting with one method. It keeps
the method as it was used (the steps are copied into it) and is pinned to the
value-base version in force on the meeting date. Once signed off it is fixed,
like an adopted value-base version: model saves and deletes, QuerySet updates,
deletes and bulk inserts, the admin, the views and (on PostgreSQL) database
triggers all refuse (see migration 0002). Later notes are appended as
Amendments; the one change allowed afterwards is marking an action done.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any, Self
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from dilemmas.models import Dilemma
from guidelines.models import Guideline
from lib.locking import LockedRowsQuerySet
from meetings.models import Meeting
from organisations.models import (
    Membership,
    Organisation,
    ReflectionGroup,
    TenantQuerySet,
    Unit,
)
from values.models import CoreValue, Version

from . import builtin


class LockedReflectionError(Exception):
    """Raised on any attempt to change a signed-off reflection."""


class StepKind(models.TextChoices):
    TEXT = builtin.TEXT, _("Free text")
    PERSPECTIVES = builtin.PERSPECTIVES, _("Perspectives: parties, values, norms")
    OPTIONS = builtin.OPTIONS, _("List of options")
    POSITIONS = builtin.POSITIONS, _("Individual positions, revealed together")
    AGREEMENTS = builtin.AGREEMENTS, _("Agreements and actions")


# --- Methods ---------------------------------------------------------------


class MethodQuerySet(TenantQuerySet["Method"]):
    def seeded_for(self, organisation: Organisation) -> Self:
        """The organisation's methods, seeded with the built-in ones on first use."""
        if not self.model.objects.filter(organisation=organisation).exists():
            with transaction.atomic(), translation.override(organisation.language):
                for spec in builtin.METHODS:
                    method, created = Method.objects.get_or_create(
                        organisation=organisation,
                        key=spec["key"],
                        defaults={
                            "name": str(spec["name"]),
                            "description": str(spec["description"]),
                        },
                    )
                    if created:
                        MethodStep.objects.bulk_create(
                            MethodStep(
                                method=method,
                                position=position,
                                title=str(title),
                                guidance=str(guidance),
                                kind=kind,
                                minutes=minutes,
                                concludes=position == spec.get("concludes"),
                            )
                            for position, (title, guidance, kind, minutes) in enumerate(
                                spec["steps"], start=1
                            )
                        )
        return self.for_organisation(organisation)


class Method(models.Model):
    """A reflection method of one organisation: ordered steps with guidance."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reflection_methods"
    )
    # Built-in methods carry their key so seeding stays idempotent.
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("adapted from"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MethodQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("reflection method")
        verbose_name_plural = _("reflection methods")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="reflections_method_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @transaction.atomic
    def copy(self, *, name: str) -> Method:
        """A new method of the same organisation to adapt, with the same steps."""
        method = Method.objects.create(
            organisation=self.organisation,
            key=f"copy-{uuid.uuid4().hex[:12]}",
            name=name,
            description=self.description,
            copied_from=self,
        )
        MethodStep.objects.bulk_create(
            MethodStep(
                method=method,
                position=step.position,
                title=step.title,
                guidance=step.guidance,
                kind=step.kind,
                minutes=step.minutes,
                concludes=step.concludes,
            )
            for step in self.steps.all()
        )
        return method


class MethodStep(models.Model):
    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("step"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    kind = models.CharField(
        _("kind of record"), max_length=20, choices=StepKind.choices
    )
    minutes = models.PositiveSmallIntegerField(
        _("time box in minutes"), null=True, blank=True
    )
    concludes = models.BooleanField(
        _("its notes are the conclusion"),
        default=False,
        help_text=_(
            "The notes of this step are offered as the conclusion at sign-off."
        ),
    )

    class Meta:
        ordering = ["method", "position", "pk"]
        verbose_name = _("method step")
        verbose_name_plural = _("method steps")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


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
        # Joins along the foreign keys (one row each) to one subquery of
        # groups, rather than subqueries nested three deep, which PostgreSQL
        # misjudges and loops over.
        return self.filter(
            organisation=membership.organisation,
            dilemma__organisation=membership.organisation,
            dilemma__group__in=ReflectionGroup.objects.case_readable_by(membership),
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
    # Revealed positions show no names; the product still knows each author.
    anonymous_positions = models.BooleanField(
        _("reveal positions without names"), default=False
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
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
        with transaction.atomic():
            self.citations.all().delete()
            Citation.objects.bulk_create(
                [Citation(reflection=self, value=v) for v in values]
                + [Citation(reflection=self, guideline=g) for g in guidelines]
            )


@transaction.atomic
def open_reflection(
    *, item: AgendaItem, facilitator: Membership, method: Method | None = None
) -> Reflection:
    """The reflection of an agenda item: found if it exists, else started now."""
    existing = Reflection.objects.filter(
        meeting=item.meeting, dilemma=item.dilemma
    ).first()
    if existing is not None:
        return existing
    method = method or item.method
    organisation = item.meeting.organisation
    day = timezone.localtime(
        item.meeting.start, ZoneInfo(organisation.time_zone)
    ).date()
    reflection = Reflection.objects.create(
        organisation=organisation,
        dilemma=item.dilemma,
        meeting=item.meeting,
        method=method,
        method_name=method.name,
        version=version_in_force(organisation, day),
        facilitator=facilitator,
        anonymous_positions=item.dilemma.group.anonymous_positions,
    )
    ReflectionStep.objects.bulk_create(
        ReflectionStep(
            reflection=reflection,
            position=number,
            title=step.title,
            guidance=step.guidance,
            kind=step.kind,
            minutes=step.minutes,
            concludes=step.concludes,
        )
        for number, step in enumerate(method.steps.all(), start=1)
    )
    item.dilemma.set_status(Dilemma.Status.ON_AGENDA)
    return reflection


@transaction.atomic
def sign_off(*, reflection: Reflection, by: Membership, conclusion: str) -> Reflection:
    """Record the conclusion and fix the reflection for good."""
    locked = Reflection.objects.select_for_update().get(pk=reflection.pk)
    locked.check_open()
    locked.conclusion = conclusion
    locked.status = Reflection.Status.SIGNED_OFF
    locked.signed_off = timezone.now()
    locked.signed_off_by = by
    locked.save(update_fields=["conclusion", "status", "signed_off", "signed_off_by"])
    locked.dilemma.set_status(Dilemma.Status.DISCUSSED)
    return locked


class PartQuerySet[P: ReflectionPart](LockedRowsQuerySet[P]):
    """Refuses bulk changes that would touch a signed-off reflection."""

    lock_error = LockedReflectionError
    lock_message = "This reflection is signed off."
    reflection_path = "reflection"

    def locked(self) -> Self:
        return self.filter(**{f"{self.reflection_path}__status": "signed_off"})

    def bulk_create(self, objs: Iterable[P], *args: Any, **kwargs: Any) -> list[P]:
        objs = list(objs)
        for obj in objs:
            obj.get_reflection().check_open()
        return super().bulk_create(objs, *args, **kwargs)


class ReflectionPart(models.Model):
    """Shared behaviour of everything recorded in a reflection: fixed at sign-off."""

    class Meta:
        abstract = True

    def get_reflection(self) -> Reflection:
        """The reflection this part belongs to (through its step, for some).

        Each concrete part says how it reaches its reflection; the abstract
        base has none to give.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must say how it reaches its reflection."
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.get_reflection().check_open()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.get_reflection().check_open()
        return super().delete(*args, **kwargs)


class StepPartQuerySet[P: StepPart](PartQuerySet[P]):
    reflection_path = "step__reflection"


class ReflectionStep(ReflectionPart):
    """A step of the method as used in this reflection, with its notes."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("step"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    kind = models.CharField(
        _("kind of record"), max_length=20, choices=StepKind.choices
    )
    minutes = models.PositiveSmallIntegerField(
        _("time box in minutes"), null=True, blank=True
    )
    concludes = models.BooleanField(_("its notes are the conclusion"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # Counts the saves of the notes: a save made from an older revision than
    # the stored one would overwrite someone else's words (see save_notes).
    notes_revision = models.PositiveIntegerField(default=0)
    # Positions stay private to their writers until the facilitator reveals them.
    revealed = models.DateTimeField(_("positions revealed"), null=True, blank=True)
    # The time box, once the facilitator starts it; everyone sees it run.
    timer_started = models.DateTimeField(_("timer started"), null=True, blank=True)

    objects = PartQuerySet.as_manager()

    class Meta:
        ordering = ["reflection", "position"]
        verbose_name = _("reflection step")
        verbose_name_plural = _("reflection steps")
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "position"], name="reflections_step_position"
            ),
        ]

    def get_reflection(self) -> Reflection:
        return self.reflection

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def positions_visible_to(self, membership: Membership) -> list[Position]:
        """Everyone's positions after the reveal; before it, only one's own.

        Revealed without names, they come in an order that says nothing about
        who wrote first: sorted by a digest of the text.
        """
        positions = self.positions.select_related("membership__user")
        if self.revealed is None:
            return list(positions.filter(membership=membership))
        if self.reflection.anonymous_positions:
            return sorted(
                positions,
                key=lambda p: hashlib.sha256(
                    f"{self.reflection.uuid}:{p.body}".encode()
                ).hexdigest(),
            )
        return list(positions)

    def reveal(self) -> None:
        self.revealed = timezone.now()
        self.save(update_fields=["revealed"])

    def write_position(self, membership: Membership, body: str) -> Position:
        """Store the member's own position on this step, or change it.

        A position is saved as it is typed and again with its button, so two
        saves of a person's first position can arrive together: whichever
        comes second changes what the first stored, instead of failing on
        `reflections_one_position_each`.
        """
        position, _created = Position.objects.update_or_create(
            step=self, membership=membership, defaults={"body": body}
        )
        return position

    @property
    def timer_ends(self) -> datetime.datetime | None:
        if self.timer_started is None or not self.minutes:
            return None
        return self.timer_started + datetime.timedelta(minutes=self.minutes)

    def start_timer(self) -> None:
        self.timer_started = timezone.now()
        self.save(update_fields=["timer_started"])

    def save_notes(self, text: str, *, revision: int | None, by: Membership) -> bool:
        """Store the notes; True when someone else saved in between.

        `revision` is the revision the writer's page started from. When another
        save came first, nothing is overwritten: both texts are kept, the
        stored one first, and the writer is told so.
        """
        with transaction.atomic():
            stored = ReflectionStep.objects.select_for_update().get(pk=self.pk)
            conflict = (
                revision is not None
                and revision != stored.notes_revision
                and text.strip() != stored.notes.strip()
                and stored.notes.strip()
                and text.strip() not in stored.notes
            )
            if conflict:
                with translation.override(self.reflection.organisation.language):
                    marker = _("Written at the same time by %(person)s:") % {
                        "person": by.user
                    }
                text = f"{stored.notes.rstrip()}\n\n{marker}\n{text.strip()}"
            elif revision is not None and revision != stored.notes_revision:
                # A save from an older page that adds nothing new keeps what is there.
                text = stored.notes if text.strip() in stored.notes else text
            self.notes = text
            self.notes_revision = stored.notes_revision + 1
            self.save(update_fields=["notes", "notes_revision"])
        return bool(conflict)


class StepPart(ReflectionPart):
    # Each kind of step part has its foreign key to the step.
    step: models.ForeignKey[ReflectionStep]

    class Meta:
        abstract = True

    def get_reflection(self) -> Reflection:
        return self.step.reflection


class Perspective(StepPart):
    """A row of the perspectives table: a party, their values and norms."""

    step = models.ForeignKey(
        ReflectionStep, on_delete=models.CASCADE, related_name="perspectives"
    )
    party = models.CharField(_("party"), max_length=200)
    values = models.ManyToManyField(
        CoreValue, blank=True, related_name="+", verbose_name=_("values at stake")
    )
    norms = models.TextField(_("norms (we should ...)"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = StepPartQuerySet.as_manager()

    class Meta:
        ordering = ["step", "created", "pk"]
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")

    def __str__(self) -> str:
        return self.party


@receiver(m2m_changed, sender=Perspective.values.through)
def _perspective_values_fixed(
    sender: type[models.Model], instance: models.Model, action: str, **kwargs: object
) -> None:
    if action.startswith("pre_") and isinstance(instance, Perspective):
        instance.get_reflection().check_open()


class Option(StepPart):
    step = models.ForeignKey(
        ReflectionStep, on_delete=models.CASCADE, related_name="options"
    )
    text = models.CharField(_("option"), max_length=500)
    created = models.DateTimeField(auto_now_add=True)

    objects = StepPartQuerySet.as_manager()

    class Meta:
        ordering = ["step", "created", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text[:60]


class Position(StepPart):
    """One participant's own written position, private until revealed."""

    step = models.ForeignKey(
        ReflectionStep, on_delete=models.CASCADE, related_name="positions"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("your position"))
    changed = models.DateTimeField(auto_now=True)

    objects = StepPartQuerySet.as_manager()

    class Meta:
        ordering = ["step", "changed", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "membership"], name="reflections_one_position_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.step}"


class Citation(ReflectionPart):
    """A value or guideline of the pinned version that the reflection leans on."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="citations"
    )
    value = models.ForeignKey(
        CoreValue, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guideline = models.ForeignKey(
        Guideline, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PartQuerySet.as_manager()

    class Meta:
        ordering = ["reflection", "pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False, guideline__isnull=True)
                | Q(value__isnull=True, guideline__isnull=False),
                name="reflections_citation_one_target",
            ),
        ]

    def get_reflection(self) -> Reflection:
        return self.reflection

    def __str__(self) -> str:
        return str(self.value or self.guideline)


class ActionQuerySet(PartQuerySet["Action"]):
    def for_member(self, membership: Membership) -> Self:
        """Actions of reflections the member may read (see Reflection's)."""
        return self.filter(
            organisation=membership.organisation,
            reflection__organisation=membership.organisation,
            reflection__dilemma__group__in=ReflectionGroup.objects.case_readable_by(
                membership
            ),
        )

    def open(self) -> Self:
        return self.filter(done__isnull=True)

    def overdue(self, today: datetime.date | None = None) -> Self:
        return self.open().filter(due__lt=today or timezone.localdate())

    def in_units(self, unit_ids: set[int]) -> Self:
        return self.filter(reflection__dilemma__group__unit__in=unit_ids)

    def for_group(self, group: ReflectionGroup) -> Self:
        return self.filter(reflection__dilemma__group=group)


# The one change a signed-off reflection allows: its actions are followed up.
FOLLOW_UP_FIELDS = frozenset({"done", "done_note", "done_by"})


class Action(ReflectionPart):
    """An agreed action: who does what by when, and when it is followed up."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="actions"
    )
    text = models.TextField(_("action"))
    owner = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="reflection_actions",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    follow_up = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_up_actions",
        verbose_name=_("follow-up meeting"),
    )
    done = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.TextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        # The primary key last: pages of a list need a unique order.
        ordering = ["due", "created", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            # Follow-up lists: open actions by due date.
            models.Index(fields=["done", "due"], name="reflections_action_open_due"),
        ]

    def get_reflection(self) -> Reflection:
        return self.reflection

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_unit(self) -> Unit:
        return self.reflection.dilemma.group.unit

    def audit_name(self) -> str:
        return _("Action agreed in %(group)s on %(day)s") % {
            "group": self.reflection.dilemma.group.name,
            "day": formats.date_format(
                timezone.localtime(self.reflection.meeting.start)
            ),
        }

    @property
    def is_overdue(self) -> bool:
        return (
            self.done is None
            and self.due is not None
            and (self.due < timezone.localdate())
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if (
            self.pk is not None
            and fields is not None
            and set(fields) <= FOLLOW_UP_FIELDS
        ):
            models.Model.save(self, *args, **kwargs)
            return
        super().save(*args, **kwargs)

    def mark_done(self, *, by: Membership, note: str) -> None:
        self.done = timezone.now()
        self.done_by = by
        self.done_note = note
        self.save(update_fields=["done", "done_by", "done_note"])


class AmendmentQuerySet(models.QuerySet["Amendment"]):
    def update(self, **kwargs: Any) -> int:
        raise LockedReflectionError("Amendments are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LockedReflectionError("Amendments are never deleted.")


class Amendment(models.Model):
    """A note added after sign-off: appended, with author and time, never changed."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.PROTECT, related_name="amendments"
    )
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("amendment"))
    created = models.DateTimeField(_("added"), auto_now_add=True)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["reflection", "created", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.author} {self.created:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise LockedReflectionError("Amendments are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LockedReflectionError("Amendments are never deleted.")
