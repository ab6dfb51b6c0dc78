"""Units: the organisation's tree of administrations, areas and units."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisation import Organisation, TenantQuerySet


class UnitQuerySet(TenantQuerySet["Unit"]):
    def current(self) -> Self:
        """Units in use: not archived."""
        return self.filter(archived__isnull=True)


class Unit(models.Model):
    """A node in the organisation's tree: administration -> area -> unit."""

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration")
        AREA = "area", _("Area")
        UNIT = "unit", _("Unit")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=200)
    # The code the HR system or the directory knows the unit by (a cost
    # centre, a department number): member imports match on it first.
    code = models.CharField(_("code"), max_length=60, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIT
    )
    # Archived units keep their history (groups, reflections, the audit log)
    # but take no new members or groups and leave the pickers.
    archived = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"],
                name="organisations_unit_unique_name_in_parent",
            ),
            # A code names one unit of the organisation, or it names none.
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~Q(code=""),
                name="organisations_unit_unique_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self) -> Unit:
        return self

    def audit_name(self) -> str:
        return self.name

    def blockers(self) -> dict[str, int]:
        """What must move or be archived before this unit can be archived."""
        return {
            "units": self.children.filter(archived__isnull=True).count(),
            "members": self.memberships.filter(is_active=True).count(),
            "groups": self.groups.count(),
        }

    def clean(self) -> None:
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("A unit cannot be part of itself.")})
            if node.organisation_id != self.organisation_id:
                raise ValidationError(
                    {"parent": _("Choose a unit of the same organisation.")}
                )
            seen.add(node.pk)
            node = node.parent


def unit_tree(units: Iterable[Unit]) -> list[tuple[Unit, int]]:
    """Units in depth-first order with their depth, from one list (no extra queries).

    A unit whose parent is not in the list (a manager's own unit, say) is a root.
    """
    units = list(units)
    ids = {unit.pk for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.name):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def tree_choices(units: Iterable[Unit]) -> list[tuple[int, str]]:
    """(id, label) in tree order, each label indented by its depth."""
    indent = "\u00a0" * 3
    return [(unit.pk, indent * depth + unit.name) for unit, depth in unit_tree(units)]


def descendant_ids(units: Iterable[Unit], root_id: int) -> set[int]:
    """The ids of a unit and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.pk)
    found, stack = set(), [root_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found
