"""SCIM Users: a provisioned member, read from and written to the database.

The directory's record is validated by scim2-models; PATCH is applied by the
library to the member as a SCIM resource, and the result written back, so
every form of PATCH the RFC allows (and the ones Entra ID sends: op names in
any case, a replace with or without a path, booleans as text) means the same.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from scim2_models import (
    AnyExtension,
    ComplexAttribute,
    Email,
    EnterpriseUser,
    Extension,
    GroupMembership,
    InvalidValueException,
    Meta,
    Mutability,
    Required,
    Resource,
    Uniqueness,
    UniquenessException,
    User,
)

from accounts.models import User as Account
from audit.models import Action, AuditEvent, Via
from organisations.models import Membership, Role
from provisioning.models import ScimGroup, ScimIdentity
from provisioning.placement import replace_from_directory

from .protocol import ScimRequest


class MemberEmail(ComplexAttribute):
    value: Annotated[str | None, Required.true] = None
    type: Email.Type | None = None
    primary: bool | None = None


class MemberName(ComplexAttribute):
    formatted: str | None = None
    family_name: str | None = None
    given_name: str | None = None


class Department(Extension):
    """Of the enterprise extension, the one attribute the mapping reads."""

    __schema__ = EnterpriseUser.__schema__

    department: str | None = None


class Member(Resource[AnyExtension]):
    """The core User as this service keeps it: the attributes it stores.

    Its schema (GET /Schemas) names only these, so a directory knows what is
    kept; the e-mail address is required, as a member signs in with it.
    """

    __schema__ = User.__schema__

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: MemberName | None = None
    display_name: str | None = None
    active: bool | None = None
    emails: Annotated[list[MemberEmail] | None, Required.true] = None
    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None


ScimUser = Member[Department]


def actor(request: ScimRequest) -> str:
    return f"{request.scim_token.name} (SCIM)"


def view_name(request: ScimRequest) -> str:
    match = request.resolver_match
    return match.view_name if match is not None else "scim"


def location(request: ScimRequest, kind: str, uuid: object) -> str:
    return request.build_absolute_uri(
        reverse(f"scim:{kind.lower()}", kwargs={"resource_id": uuid})
    )


def as_resource(request: ScimRequest, identity: ScimIdentity) -> ScimUser:
    membership = identity.membership
    account = membership.user
    groups = ScimGroup.objects.for_organisation(request.organisation).filter(
        members=membership
    )
    parts = (identity.formatted_name, identity.given_name, identity.family_name)
    name = None
    if any(parts):
        name = MemberName(
            formatted=parts[0] or None,
            given_name=parts[1] or None,
            family_name=parts[2] or None,
        )
    active = identity.active
    if not (membership.is_active and account.is_active):
        active = False
    resource = ScimUser(
        id=str(membership.uuid),
        external_id=identity.external_id or None,
        user_name=identity.user_name,
        name=name,
        display_name=identity.display_name or None,
        emails=[
            MemberEmail(
                value=account.email,
                type=Email.Type(identity.email_type) if identity.email_type else None,
                primary=identity.email_primary,
            )
        ],
        active=active,
        groups=[
            GroupMembership(
                value=str(group.uuid),
                display=group.display_name,
                type="direct",
                ref=location(request, "Group", group.uuid),  # type: ignore[arg-type]
            )
            for group in groups
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=identity.created,
            last_modified=identity.modified,
            location=location(request, "User", membership.uuid),
            version=f'W/"{int(identity.modified.timestamp() * 1000)}"',
        ),
    )
    if identity.department:
        resource[Department] = Department(department=identity.department)
    return resource


def _email(resource: ScimUser) -> str:
    chosen = _chosen_email(resource)
    address = chosen.value if chosen is not None and chosen.value else ""
    if not address and "@" in (resource.user_name or ""):
        address = resource.user_name or ""
    if "@" not in address:
        raise InvalidValueException(
            detail="A user needs an e-mail address, in emails or as userName."
        )
    return address.strip().lower()


def _chosen_email(resource: ScimUser) -> MemberEmail | None:
    emails = resource.emails or []
    return next((e for e in emails if e.primary), emails[0] if emails else None)


def _name(resource: ScimUser) -> str:
    if resource.display_name:
        return resource.display_name.strip()[:150]
    name = resource.name
    if name is None:
        return ""
    if name.formatted:
        return name.formatted.strip()[:150]
    return " ".join(p for p in (name.given_name, name.family_name) if p)[:150]


def _department(resource: ScimUser) -> str:
    extension = resource[Department]
    return (extension.department or "").strip()[:200] if extension else ""


def _user_name_taken(request: ScimRequest, user_name: str, but: int | None) -> bool:
    found = ScimIdentity.objects.for_organisation(request.organisation).filter(
        user_name__iexact=user_name
    )
    if but is not None:
        found = found.exclude(pk=but)
    return found.exists()


def create(request: ScimRequest, resource: ScimUser) -> ScimIdentity:
    user_name = (resource.user_name or "").strip()
    if not user_name:
        raise InvalidValueException(detail="userName is required.")
    if _user_name_taken(request, user_name, None):
        raise UniquenessException(detail="A user with this userName exists.")
    email = _email(resource)
    account = Account.objects.filter(email__iexact=email).first()
    if account is None:
        # The identity provider vouches for the address; the person signs in
        # through it and is sent no invitation.
        account = Account.objects.create_user(
            email, verified=True, name=_name(resource)
        )
    membership = Membership.objects.filter(
        user=account, organisation=request.organisation
    ).first()
    if membership is not None and hasattr(membership, "scim_identity"):
        raise UniquenessException(detail="A user with this e-mail address exists.")
    if membership is None:
        membership = Membership.objects.create(
            user=account, organisation=request.organisation, role=Role.STAFF
        )
        _record(request, Action.CREATE, membership, _("Provisioned by the directory"))
    else:
        _record(request, Action.CHANGE, membership, _("Now kept by the directory"))
    identity = ScimIdentity(
        organisation=request.organisation, membership=membership, user_name=user_name
    )
    update(request, identity, resource)
    return identity


def update(request: ScimRequest, identity: ScimIdentity, resource: ScimUser) -> None:
    """Writes a whole resource: for a create, a PUT and after a PATCH."""
    user_name = (resource.user_name or "").strip()
    if not user_name:
        raise InvalidValueException(detail="userName is required.")
    if _user_name_taken(request, user_name, identity.pk):
        raise UniquenessException(detail="A user with this userName exists.")
    identity.user_name = user_name
    identity.external_id = (resource.external_id or "").strip()
    identity.given_name = ((resource.name and resource.name.given_name) or "")[:150]
    identity.family_name = ((resource.name and resource.name.family_name) or "")[:150]
    identity.department = _department(resource)
    chosen = _chosen_email(resource)
    identity.email_type = str(chosen.type or "")[:20] if chosen else ""
    identity.email_primary = chosen.primary if chosen else None
    identity.display_name = (resource.display_name or "").strip()[:150]
    identity.formatted_name = ((resource.name and resource.name.formatted) or "")[:150]
    identity.active = resource.active
    identity.save()
    membership = identity.membership
    _update_account(request, membership, _email(resource), _name(resource))
    set_active(request, membership, resource.active is not False)
    replace_from_directory(membership, person=actor(request), view=view_name(request))


def _update_account(
    request: ScimRequest, membership: Membership, email: str, name: str
) -> None:
    account: Account = membership.user
    # A person who is also a member elsewhere keeps their account as it is:
    # one organisation's directory does not rename them in another's.
    if account.memberships.exclude(organisation=request.organisation).exists():
        return
    changes = []
    if email != account.email:
        if Account.objects.filter(email__iexact=email).exclude(pk=account.pk).exists():
            raise UniquenessException(detail="Another user has this e-mail address.")
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=account).delete()
        EmailAddress.objects.create(
            user=account, email=email, primary=True, verified=True
        )
        account.email = email
        changes.append("e-mail address")
    if name != account.name:
        account.name = name
        changes.append("name")
    if changes:
        account.save(update_fields=["email", "name"])
        _record(request, Action.CHANGE, membership, ", ".join(changes))


def set_active(request: ScimRequest, membership: Membership, active: bool) -> None:
    if membership.is_active == active:
        return
    membership.is_active = active
    with transaction.atomic():
        # A deactivated member's calendar feed ends with it (meetings.receivers).
        membership.save(update_fields=["is_active"])
        _record(request, Action.REACTIVATE if active else Action.DEACTIVATE, membership)


def remove(request: ScimRequest, identity: ScimIdentity) -> None:
    """DELETE: the member is deactivated and no longer kept by the directory.

    What they wrote stays, under their name, as for any member who leaves.
    """
    membership = identity.membership
    set_active(request, membership, False)
    for group in ScimGroup.objects.for_organisation(request.organisation).filter(
        members=membership
    ):
        group.members.remove(membership)
    identity.delete()
    _record(request, Action.DELETE, membership, _("Removed by the directory"))


def _record(
    request: ScimRequest, action: str, membership: Membership, detail: Any = ""
) -> None:
    AuditEvent.record(
        action=action,
        obj=membership,
        organisation=request.organisation,
        via=Via.SYSTEM,
        view=view_name(request),
        person=actor(request),
        detail=detail,
    )
