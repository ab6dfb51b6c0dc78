"""Membership decided at sign-in, by the identity provider's claims.

An organisation that turns this on (IdentitySettings.sign_in_decides) names
the OpenID Connect sign-in whose claims decide. At every sign-in through it,
the person's groups and department claims are read against the
administrator's rules (provisioning.placement): a match makes them a member of
the mapped unit with the mapped role (at their first sign-in, their account
too), a changed match moves them, and no match any more deactivates them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEvent, Outcome, Via
from organisations.models import Membership

from .models import IdentitySettings
from .placement import Placement, move, place

PERSON = "OpenID Connect"
VIEW = "sign-in"


def claims(sociallogin: Any) -> dict[str, Any]:
    """The ID token's claims, with what the userinfo endpoint said over them."""
    data = sociallogin.account.extra_data or {}
    if "id_token" not in data and "userinfo" not in data:
        return dict(data)
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def settings_for(sociallogin: Any) -> IdentitySettings | None:
    provider = getattr(sociallogin.account, "provider", "")
    if not provider:
        return None
    return (
        IdentitySettings.objects.filter(provider_id=provider, sign_in_decides=True)
        .select_related("organisation")
        .first()
    )


def placement(settings: IdentitySettings, found: dict[str, Any]) -> Placement | None:
    groups = found.get(settings.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    department = found.get(settings.department_claim) or ""
    if isinstance(department, list):
        department = department[0] if department else ""
    return place(
        settings.organisation,
        [str(g) for g in groups if g],
        str(department),
    )


def may_join(sociallogin: Any) -> bool:
    """Whether this sign-in may make a new account: its claims match a rule."""
    settings = settings_for(sociallogin)
    return settings is not None and placement(settings, claims(sociallogin)) is not None


def signed_in(user: Any, sociallogin: Any) -> None:
    """Makes, moves or deactivates the membership the claims decide."""
    settings = settings_for(sociallogin)
    if settings is None:
        return
    organisation = settings.organisation
    where = placement(settings, claims(sociallogin))
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    with transaction.atomic():
        if where is None:
            if membership is not None and membership.is_active:
                _deactivate(membership)
            return
        if membership is None:
            membership = Membership.objects.create(
                user=user, organisation=organisation, unit=where.unit, role=where.role
            )
            _record(Action.CREATE, membership, _("Joined at sign-in"))
            return
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
            _record(Action.REACTIVATE, membership)
        move(membership, where, person=PERSON, view=VIEW)


def _deactivate(membership: Membership) -> None:
    if membership.is_last_admin():
        AuditEvent.record(
            action=Action.DEACTIVATE,
            obj=membership,
            outcome=Outcome.DENIED,
            via=Via.SYSTEM,
            view=VIEW,
            person=PERSON,
            detail=_("The organisation needs at least one administrator."),
        )
        return
    membership.is_active = False
    # Its calendar feed ends with it (meetings.receivers).
    membership.save(update_fields=["is_active"])
    _record(Action.DEACTIVATE, membership, _("No rule matches the sign-in any more"))


def _record(action: str, membership: Membership, detail: Any = "") -> None:
    AuditEvent.record(
        action=action,
        obj=membership,
        via=Via.SYSTEM,
        view=VIEW,
        person=PERSON,
        detail=detail,
    )
