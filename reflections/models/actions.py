"""Agreed actions and their follow-up; amendments added after sign-off."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Self

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from organisations.models import (
    Membership,
    Organisation,
    ReflectionGroup,
    Unit,
    member_group_ids,
)

from .base import LockedReflectionError, PartQuerySet, ReflectionPart
from .sessions import Reflection


class ActionQuerySet(PartQuerySet["Action"]):
    def for_member(self, membership: Membership) -> Self:
        """Actions of reflections the member may read (see Reflection's)."""
        return self.filter(
            organisation=membership.organisation,
            reflection__organisation=membership.organisation,
            # The ids the request has read once (member_group_ids): a nested
            # subquery of groups cost PostgreSQL more to plan than to run.
            reflection__dilemma__group_id__in=member_group_ids(membership).headed,
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
