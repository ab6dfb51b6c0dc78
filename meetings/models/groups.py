"""Who leads, manages and is invited to a reflection group's meetings."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from lib.queries import count_of
from organisations.models import Capability, Membership, ReflectionGroup


def manages_group(membership: Membership, group: ReflectionGroup) -> bool:
    """Managers of the group's unit or a unit above it, and administrators."""
    return (
        membership.organisation_id == group.organisation_id
        and membership.can(Capability.MANAGE)
        and group.unit_id in membership.managed_unit_ids()
    )


def leads_group(membership: Membership, group: ReflectionGroup) -> bool:
    """Facilitators of the group, and those who manage it."""
    # Asked by a page and by its panels: answered once per membership object,
    # which a view loads fresh for every request.
    cache: dict[int, bool] = membership.__dict__.setdefault("_leads_groups", {})
    if group.pk not in cache:
        cache[group.pk] = group.facilitators.filter(
            pk=membership.pk
        ).exists() or manages_group(membership, group)
    return cache[group.pk]


def schedules_group(membership: Membership, group: ReflectionGroup) -> bool:
    """Who schedules, changes and cancels the group's meetings.

    Its facilitators, for the groups they facilitate (an ad-hoc session must
    not wait for a manager), and those who manage it. A person chosen as a
    group's facilitator whose role does not run sessions does not.
    """
    return membership.can(Capability.FACILITATE) and leads_group(membership, group)


def invitees(group: ReflectionGroup) -> list[Membership]:
    """Active members and facilitators of a group, each once."""
    return list(_invitees(group).select_related("user", "organisation"))


def invitee_count(group: ReflectionGroup) -> int:
    """How many `invitees` the group has, counted in the database."""
    return _invitees(group).count()


def _invitees(group: ReflectionGroup) -> QuerySet[Membership]:
    # One UNION of the two through tables, each read through its index on the
    # group, and the memberships fetched by primary key. An OR of two IN
    # subqueries led PostgreSQL to test every membership of the organisation
    # (at national scale, thousands of rows to return ten).
    members = ReflectionGroup.members.through.objects.filter(reflectiongroup=group)
    leaders = ReflectionGroup.facilitators.through.objects.filter(reflectiongroup=group)
    ids = (
        members.values_list("membership_id")
        .order_by()
        .union(leaders.values_list("membership_id").order_by())
    )
    return Membership.objects.active().filter(
        organisation_id=group.organisation_id, pk__in=ids
    )


def member_count() -> Coalesce:
    """An annotation: a group's number of members."""
    members = ReflectionGroup.members.through.objects.all()
    annotation: Coalesce = count_of(members, "reflectiongroup")
    return annotation
