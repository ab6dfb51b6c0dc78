"""Reflection groups, and which of them a member belongs to or may see."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Collection
from typing import Any, NamedTuple, Self

from django.db import models
from django.db.models import Q, QuerySet, Value
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .memberships import Membership, Role
from .organisation import Organisation, TenantQuerySet
from .units import Unit


class ReflectionGroupQuerySet(TenantQuerySet["ReflectionGroup"]):
    def joined_by(self, membership: Membership) -> Self:
        """Groups the member belongs to or facilitates."""
        return self.for_organisation(membership.organisation).filter(
            pk__in=member_group_ids(membership).own
        )

    def for_member(self, membership: Membership) -> Self:
        """Groups a member may see: their own, and those in units they manage."""
        groups = self.for_organisation(membership.organisation)
        if membership.role == Role.ADMIN:
            return groups
        # Below an administrator, the units one manages are the units one heads.
        return groups.filter(pk__in=member_group_ids(membership).headed)

    def case_readable_by(self, membership: Membership) -> Self:
        """Groups whose dilemmas and reflections the member may read.

        The group's members and facilitators, and the managers of its unit and
        of the units above it. An administrator or editor reads no case by
        virtue of that role alone (see docs/privacy.md).
        """
        return self.for_organisation(membership.organisation).filter(
            pk__in=member_group_ids(membership).headed
        )


class GroupIds(NamedTuple):
    """The ids of a member's groups: their own, and those with the units they head."""

    own: list[int]
    headed: list[int]


# Raised on every change to who is in a group and to a group's unit, in this
# process: a request that changes a group and reads it again works it out anew.
_changes = itertools.count(1)
_generation = 0


def _groups_changed(**kwargs: object) -> None:
    global _generation
    _generation = next(_changes)


def member_group_ids(membership: Membership) -> GroupIds:
    """The member's groups as lists of ids, read in one query.

    Pages ask this three or four times (the group or meeting itself, the
    dilemmas, actions and sessions it shows); embedded as a subquery each time,
    it was built and compiled each time. The membership of a request
    (`Membership.for_one_request`, set by `member_required`) keeps the answer
    for the rest of the request; any other membership object asks each time,
    since it may outlive changes to the groups.
    """
    units = membership.headed_unit_ids()
    key = (membership.pk, membership.role, membership.unit_id, _generation)
    memo = membership.request_memo
    if memo is not None and (found := memo.get(key)) is not None:
        assert isinstance(found, GroupIds)
        return found
    own: set[int] = set()
    headed: set[int] = set()
    for group_id, is_own in group_ids_of(membership, units, marked=True):
        headed.add(group_id)
        if is_own:
            own.add(group_id)
    ids = GroupIds(own=sorted(own), headed=sorted(headed))
    if memo is not None:
        memo[key] = ids
    return ids


def group_ids_of(
    membership: Membership,
    units: Collection[int] = frozenset(),
    *,
    marked: bool = False,
) -> QuerySet[Any, Any]:
    """The ids of the member's own groups, and of the groups in `units`.

    A UNION of the two through tables, each read through its index on
    membership_id, rather than an OR across two joins: that needs DISTINCT
    and leads PostgreSQL to read every membership row of the country. With
    `marked`, each id comes with whether the group is the member's own.
    """
    through = (ReflectionGroup.members.through, ReflectionGroup.facilitators.through)
    fields = ("reflectiongroup_id", "own") if marked else ("reflectiongroup_id",)
    parts: list[QuerySet[Any, Any]] = [
        model.objects.filter(membership_id=membership.pk)
        .annotate(own=Value(True))
        .values_list(*fields)
        .order_by()
        for model in through
    ]
    if units:
        parts.append(
            ReflectionGroup.objects.filter(
                organisation_id=membership.organisation_id, unit__in=units
            )
            .annotate(own=Value(False))
            .values_list(*(("pk", "own") if marked else ("pk",)))
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


m2m_changed.connect(_groups_changed, sender=ReflectionGroup.members.through)
m2m_changed.connect(_groups_changed, sender=ReflectionGroup.facilitators.through)
post_save.connect(_groups_changed, sender=ReflectionGroup)
post_delete.connect(_groups_changed, sender=ReflectionGroup)
