"""Memberships: a person in an organisation, their role and what it may do."""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import person_label

from .organisation import Organisation, TenantQuerySet
from .units import Unit, descendant_ids


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    FACILITATOR = "facilitator", _("Facilitator")
    MANAGER = "manager", _("Manager")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


class Capability(models.TextChoices):
    """What a role allows. Views ask for a capability, never for a role."""

    READ = "read", _("read the value base and take part")
    FACILITATE = "facilitate", _("run reflection sessions")
    MANAGE = "manage", _("schedule discussions and follow units")
    EDIT_VALUES = "edit_values", _("edit the value base")
    ADMINISTER = "administer", _("administer members and settings")


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.STAFF: frozenset({Capability.READ}),
    Role.FACILITATOR: frozenset({Capability.READ, Capability.FACILITATE}),
    Role.MANAGER: frozenset(
        {Capability.READ, Capability.FACILITATE, Capability.MANAGE}
    ),
    Role.EDITOR: frozenset({Capability.READ, Capability.EDIT_VALUES}),
    Role.ADMIN: frozenset(Capability.values),
}

# Roles whose members must use two-factor sign-in where the organisation asks for it.
MFA_ROLES = frozenset({Role.EDITOR, Role.ADMIN})


class MembershipQuerySet(TenantQuerySet["Membership"]):
    def active(self) -> Self:
        return self.filter(is_active=True, user__is_active=True)

    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        return self.active().filter(user=user).select_related("organisation", "unit")

    def with_role(self, *roles: str) -> Self:
        return self.filter(role__in=roles)


class Membership(models.Model):
    """A person in one organisation, with one role and a home unit."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.STAFF
    )
    audiences = models.ManyToManyField(
        "guidelines.Audience",
        blank=True,
        related_name="memberships",
        verbose_name=_("guideline audiences"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("added"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="organisations_one_membership_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    @property
    def audit_unit(self) -> Unit | None:
        return self.unit

    def audit_name(self) -> str:
        return person_label(self.user)

    def can(self, capability: str) -> bool:
        return capability in ROLE_CAPABILITIES[self.role]

    @property
    def needs_mfa(self) -> bool:
        return self.organisation.require_mfa and self.role in MFA_ROLES

    def is_last_admin(self) -> bool:
        others = (
            Membership.objects.for_organisation(self.organisation)
            .active()
            .with_role(Role.ADMIN)
            .exclude(pk=self.pk)
        )
        return self.role == Role.ADMIN and not others.exists()

    # What one request has worked out about this member (who may see which
    # groups, organisations.models.groups.member_group_ids); None outside a
    # request, where an object may outlive the rows it would be worked out from.
    request_memo: dict[object, object] | None = None

    def for_one_request(self) -> None:
        """Marks this object as the one request's: it may keep what it works out."""
        self.request_memo = {}

    def __getstate__(self) -> dict[str, Any]:
        # A copy kept in the cache serves later requests: it keeps no memo.
        state: dict[str, Any] = super().__getstate__()
        state.pop("request_memo", None)
        return state

    def managed_unit_ids(self) -> set[int]:
        """Units this member manages: their unit and all below it (admins: all)."""
        if self.role == Role.ADMIN:
            return {unit.pk for unit in self._organisation_units()}
        return self.headed_unit_ids()

    def headed_unit_ids(self) -> set[int]:
        """Units a manager heads: their own unit and every unit below it.

        Unlike `managed_unit_ids`, an administrator heads no unit by role alone:
        this is what gives a manager the right to read the cases of a unit.
        """
        if self.role != Role.MANAGER or self.unit_id is None:
            return set()
        return descendant_ids(self._organisation_units(), self.unit_id)

    def _organisation_units(self) -> list[Unit]:
        """The organisation's tree, read once per membership object.

        A page asks who manages what several times over (the lists, the
        dashboard's next steps, the panels); a view's membership is loaded
        fresh for each request, so this never outlives one.
        """
        key = (self.organisation_id, self.role, self.unit_id)
        cached = getattr(self, "_units_cache", None)
        if cached is None or cached[0] != key:
            units = Unit.objects.for_organisation(self.organisation_id).only(
                "pk", "parent"
            )
            cached = (key, list(units))
            self._units_cache = cached
        return cached[1]
