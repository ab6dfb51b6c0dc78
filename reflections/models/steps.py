"""A step of the method as used in one reflection, with its notes."""

from __future__ import annotations

import datetime
import hashlib
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership

from .base import PartQuerySet, ReflectionPart, StepKind
from .sessions import Reflection

if TYPE_CHECKING:
    from .parts import Position


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
    # Shows the case's voices first (MethodStep.person_view).
    person_view = models.BooleanField(
        _("starts from the person's own view"), default=False
    )
    # Left out by the plan: the session passes it by, the record says so.
    skipped = models.BooleanField(_("skipped"), default=False)
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
        from .parts import Position

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
