"""Where the directory places a person: the administrator's mapping applied.

The same rules serve the SCIM service (the groups the directory puts a member
in, the department on their record) and the sign-in (the groups and department
claims of the identity provider).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEvent, Outcome, Via
from organisations.models import Membership, Organisation, Role, Unit

from .models import IdentityMapping, ScimGroup, ScimIdentity, Source

# Highest first: a person in several mapped groups gets the strongest role.
ROLE_ORDER = [Role.ADMIN, Role.EDITOR, Role.MANAGER, Role.FACILITATOR, Role.STAFF]


@dataclass(frozen=True)
class Placement:
    unit: Unit | None
    role: str


def place(
    organisation: Organisation, groups: Iterable[str], department: str
) -> Placement | None:
    """The unit and role the rules give, or None when no rule matches.

    A department rule says more about where a person works than a group does,
    so its unit wins; the role is the strongest any matching rule gives, and
    staff where the matching rules give none.
    """
    names = {name.casefold() for name in groups if name}
    department = department.casefold()
    matched = [
        mapping
        for mapping in IdentityMapping.objects.for_organisation(organisation)
        .filter(unit__archived__isnull=True)
        .select_related("unit")
        if (mapping.source == Source.GROUP and mapping.value.casefold() in names)
        or (
            mapping.source == Source.DEPARTMENT
            and mapping.value.casefold() == department
        )
    ]
    if not matched:
        return None
    matched.sort(key=lambda m: (m.source != Source.DEPARTMENT, m.value.casefold()))
    unit = next((m.unit for m in matched if m.unit is not None), None)
    roles = {m.role for m in matched if m.role}
    role = next((r for r in ROLE_ORDER if r in roles), Role.STAFF)
    return Placement(unit, role)


def has_rules(organisation: Organisation) -> bool:
    return IdentityMapping.objects.for_organisation(organisation).exists()


def move(
    membership: Membership, placement: Placement, *, person: str, view: str
) -> bool:
    """Puts the member where the placement says; False when nothing changed.

    The last administrator keeps their role: an organisation nobody can
    administer would need the platform's operators to be opened again.
    """
    changes = []
    role = placement.role
    if role != membership.role and membership.is_last_admin():
        AuditEvent.record(
            action=Action.CHANGE,
            obj=membership,
            outcome=Outcome.DENIED,
            via=Via.SYSTEM,
            view=view,
            person=person,
            detail=_("The organisation needs at least one administrator."),
        )
        role = membership.role
    if placement.unit is not None and placement.unit.pk != membership.unit_id:
        changes.append(f"unit: {membership.unit} → {placement.unit}")
        membership.unit = placement.unit
    if role != membership.role:
        changes.append(f"role: {membership.role} → {role}")
        membership.role = role
    if not changes:
        return False
    with transaction.atomic():
        membership.save(update_fields=["unit", "role"])
        AuditEvent.record(
            action=Action.CHANGE,
            obj=membership,
            via=Via.SYSTEM,
            view=view,
            person=person,
            detail="; ".join(changes),
        )
    return True


def replace_from_directory(membership: Membership, *, person: str, view: str) -> None:
    """Places a provisioned member by their directory groups and department.

    Where the organisation has rules, the role follows them (staff when none
    matches) and the unit follows a matching rule; with no rules at all the
    administrator places people by hand.
    """
    organisation = membership.organisation
    if not has_rules(organisation):
        return
    identity = ScimIdentity.objects.filter(membership=membership).first()
    department = identity.department if identity is not None else ""
    groups = ScimGroup.objects.for_organisation(organisation).filter(members=membership)
    placement = place(
        organisation, [g.display_name for g in groups], department
    ) or Placement(None, Role.STAFF)
    move(membership, placement, person=person, view=view)
