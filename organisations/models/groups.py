"""Reflection groups, and which of them a member belongs to or may see."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any, Self

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .memberships import Membership, Role
from .organisation import Organisation, TenantQuerySet
from .units import Unit


class ReflectionGroupQuerySet(TenantQuerySet["ReflectionGroup"]):
    def joined_by(self, membership: Membership) -> Self:
        """Groups the member belongs to or facilitates."""
        return self.for_organisation(membership.organisation).filter(
            pk__in=group_ids_of(membership)
        )

    def for_member(self, membership: Membership) -> Self:
        """Groups a member may see: their own, and those in units they manage."""
        groups = self.for_organisation(membership.organisation)
        if membership.role == Role.ADMIN:
            return groups
        return groups.filter(
            pk__in=group_ids_of(membership, units=membership.managed_unit_ids())
        )

    def case_readable_by(self, membership: Membership) -> Self:
        """Groups whose dilemmas and reflections the member may read.

        The group's members and facilitators, and the managers of its unit and
        of the units above it. An administrator or editor reads no case by
        virtue of that role alone (see docs/privacy.md).
        """
        return self.for_organisation(membership.organisation).filter(
            pk__in=group_ids_of(membership, units=membership.headed_unit_ids())
        )


def group_ids_of(
    membership: Membership, units: Collection[int] = frozenset()
) -> QuerySet[Any, Any]:
    """A subquery: ids of the member's own groups, and of the groups in `units`.

    A UNION of the two through tables, each read through its index on
    membership_id, rather than an OR across two joins: that needs DISTINCT
    and leads PostgreSQL to read every membership row of the country. It is
    also what callers that annotate counts over members need: no join here
    cuts their rows down.
    """
    through = (ReflectionGroup.members.through, ReflectionGroup.facilitators.through)
    parts: list[QuerySet[Any, Any]] = [
        model.objects.filter(membership_id=membership.pk)
        .values("reflectiongroup_id")
        .order_by()
        for model in through
    ]
    if units:
        parts.append(
            ReflectionGroup.objects.filter(
                organisation_id=membership.organisation_id, unit__in=units
            )
            .values("pk")
            .order_by()
        )
    return parts[0].union(*parts[1:])


class ReflectionGroup(models.Model):
    """A standing group that meets for ethics reflection, led by facilitators."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="groups"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="groups", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    facilitators = models.ManyToManyField(
        Membership,
        blank=True,
        related_name="facilitated_groups",
        verbose_name=_("facilitators"),
    )
    members = models.ManyToManyField(
        Membership,
        blank=True,
        related_name="reflection_groups",
        verbose_name=_("members"),
    )
    anonymous_positions = models.BooleanField(
        _("reveal positions without names"),
        default=False,
        help_text=_(
            "When the facilitator reveals the written positions, the group sees "
            "what was written but not by whom. The facilitator can choose "
            "otherwise for one session."
        ),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder, hours before a meeting"),
        default=24,
        help_text=_("Members get a reminder this long before each meeting."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReflectionGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("reflection group")
        verbose_name_plural = _("reflection groups")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="organisations_group_unique_name",
            ),
            # A reminder more than two weeks ahead is no reminder; zero turns it off.
            models.CheckConstraint(
                condition=Q(reminder_hours__lte=336),
                name="organisations_group_reminder_within_two_weeks",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self) -> Unit:
        return self.unit

    def audit_name(self) -> str:
        return self.name
