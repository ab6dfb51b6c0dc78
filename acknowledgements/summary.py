"""Who has confirmed, per unit of a manager's part of the organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from organisations.models import Membership, Role, Unit, unit_tree
from values.models import Version

from .models import Acknowledgement, Notice


@dataclass(frozen=True)
class UnitRow:
    unit: Unit | None
    depth: int
    members: int
    confirmed: int

    @property
    def waiting(self) -> int:
        return self.members - self.confirmed

    @property
    def indent(self) -> str:
        """Spaces that show the unit's place in the tree."""
        return "\u00a0" * 3 * self.depth


def followed(membership: Membership) -> QuerySet[Membership]:
    """The active members of the units this member manages (administrators:
    everyone, those without a unit included)."""
    people: QuerySet[Membership] = Membership.objects.active().filter(
        organisation_id=membership.organisation_id
    )
    units = Q(unit__in=membership.managed_unit_ids())
    if membership.role == Role.ADMIN:
        units |= Q(unit__isnull=True)
    return people.filter(units)


def confirmed_ids(version: Version) -> dict[int, datetime.datetime]:
    return dict(
        Acknowledgement.objects.filter(version=version).values_list(
            "membership_id", "acknowledged"
        )
    )


def unit_rows(membership: Membership, version: Version) -> list[UnitRow]:
    """One row per managed unit in tree order, and one for members without a unit."""
    done = confirmed_ids(version)
    counts: dict[int | None, list[int]] = {}
    for person_id, unit_id in followed(membership).values_list("pk", "unit_id"):
        row = counts.setdefault(unit_id, [0, 0])
        row[0] += 1
        row[1] += person_id in done
    units = Unit.objects.filter(pk__in=membership.managed_unit_ids()).only(
        "pk", "parent", "name", "archived"
    )
    rows = [
        UnitRow(unit, depth, *counts.get(unit.pk, [0, 0]))
        for unit, depth in unit_tree(units)
        # An archived unit with nobody in it has nothing to follow.
        if unit.archived is None or unit.pk in counts
    ]
    if None in counts:
        rows.append(UnitRow(None, 0, *counts[None]))
    return rows


def not_confirmed(
    membership: Membership, version: Version, unit_id: int | None = None
) -> QuerySet[Membership]:
    """The people this member follows who have not confirmed (in one unit)."""
    people = followed(membership).exclude(
        pk__in=Acknowledgement.objects.filter(version=version).values("membership_id")
    )
    if unit_id is not None:
        people = people.filter(unit_id=unit_id)
    return people


def to_remind(
    membership: Membership,
    version: Version,
    day: datetime.date,
    unit_id: int | None = None,
) -> list[int]:
    """Those not confirmed and not reminded yet on `day`."""
    reminded = Notice.objects.filter(
        version=version, kind=Notice.Kind.REMINDER, day=day
    ).values("membership_id")
    return list(
        not_confirmed(membership, version, unit_id)
        .exclude(pk__in=reminded)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
