"""SCIM Groups: the directory's groups, which the mapping turns into units and roles.

A group's members are provisioned users of the same organisation; whenever a
group's name or members change, every member it touches is placed again by
the administrator's mapping (provisioning.placement).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpResponse
from scim2_models import (
    Context,
    Group,
    GroupMember,
    InvalidValueException,
    Meta,
    Mutability,
    NotFoundException,
    NotImplementedException,
    PatchOp,
    UniquenessException,
)

from audit.models import Action, AuditEvent, Via
from organisations.models import Membership
from provisioning.models import ScimGroup
from provisioning.placement import replace_from_directory

from .protocol import ScimRequest, body, endpoint, patch_body, validated
from .users import actor, location, view_name
from .views import list_of, one


class Member(GroupMember):
    # Not kept: the member's own resource names them.
    display: Annotated[str | None, Mutability.read_only] = None


class DirectoryGroup(Group):
    """The core Group; a member's `display` is read-only here."""

    members: list[Member] | None = None  # type: ignore[assignment]


GROUP_FIELDS = {
    "displayname": "display_name__iexact",
    "externalid": "external_id",
    "id": "uuid",
}


def _groups(request: ScimRequest) -> QuerySet[ScimGroup]:
    return ScimGroup.objects.for_organisation(request.organisation).order_by(
        "created", "pk"
    )


def _group(request: ScimRequest, resource_id: str) -> ScimGroup:
    try:
        key = uuid.UUID(resource_id)
    except ValueError:
        key = None
    found = _groups(request).filter(uuid=key).first() if key else None
    if found is None:
        raise NotFoundException(detail=f"No group {resource_id}.")
    return found


def as_resource(request: ScimRequest, group: ScimGroup) -> DirectoryGroup:
    members = group.members.filter(scim_identity__isnull=False).select_related(
        "user", "scim_identity"
    )
    return DirectoryGroup(
        id=str(group.uuid),
        external_id=group.external_id or None,
        display_name=group.display_name,
        members=[
            Member(
                value=str(m.uuid),
                type="User",
                ref=location(request, "User", m.uuid),  # type: ignore[arg-type]
            )
            for m in members
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=group.created,
            last_modified=group.modified,
            location=location(request, "Group", group.uuid),
            version=f'W/"{int(group.modified.timestamp() * 1000)}"',
        ),
    )


def _members(request: ScimRequest, resource: DirectoryGroup) -> list[Membership]:
    ids = []
    for member in resource.members or []:
        try:
            ids.append(uuid.UUID(str(member.value)))
        except ValueError:
            raise InvalidValueException(detail=f"No user {member.value}.") from None
    found = list(
        Membership.objects.for_organisation(request.organisation).filter(
            uuid__in=ids, scim_identity__isnull=False
        )
    )
    if len(found) != len(set(ids)):
        raise InvalidValueException(detail="A member is not a user of this service.")
    return found


def save(request: ScimRequest, group: ScimGroup, resource: DirectoryGroup) -> None:
    name = (resource.display_name or "").strip()[:254]
    if not name:
        raise InvalidValueException(detail="displayName is required.")
    taken = _groups(request).filter(display_name__iexact=name).exclude(pk=group.pk)
    if taken.exists():
        raise UniquenessException(detail="A group with this displayName exists.")
    created = group.pk is None
    renamed = not created and name != group.display_name
    group.display_name = name
    group.external_id = (resource.external_id or "").strip()[:254]
    group.organisation = request.organisation
    group.save()
    before = set() if created else set(group.members.all())
    after = set(_members(request, resource))
    group.members.set(after)
    detail = f"{len(after - before)} added, {len(before - after)} removed"
    AuditEvent.record(
        action=Action.CREATE if created else Action.CHANGE,
        obj=group,
        organisation=request.organisation,
        via=Via.SYSTEM,
        view=view_name(request),
        person=actor(request),
        detail=detail,
    )
    touched = (before | after) if renamed else (before ^ after)
    for membership in touched:
        replace_from_directory(
            membership, person=actor(request), view=view_name(request)
        )


def _reply(request: ScimRequest, group: ScimGroup, status: int = 200) -> HttpResponse:
    group.refresh_from_db()
    return one(request, as_resource(request, group), status)


@endpoint("GET", "POST")
def group_list(request: ScimRequest) -> HttpResponse:
    if request.method == "POST":
        resource = validated(
            DirectoryGroup, body(request), Context.RESOURCE_CREATION_REQUEST
        )
        group = ScimGroup(organisation=request.organisation)
        save(request, group, resource)
        return _reply(request, group, 201)
    if request.method not in ("GET", "HEAD"):
        raise NotImplementedException(detail="Not supported here.")
    return list_of(request, _groups(request), DirectoryGroup, GROUP_FIELDS, as_resource)


@endpoint("POST")
def group_search(request: ScimRequest) -> HttpResponse:
    return list_of(request, _groups(request), DirectoryGroup, GROUP_FIELDS, as_resource)


@endpoint("GET", "PUT", "PATCH", "DELETE")
def group(request: ScimRequest, resource_id: str) -> HttpResponse:
    found = _group(request, resource_id)
    if request.method in ("GET", "HEAD"):
        return _reply(request, found)
    if request.method == "PUT":
        resource = validated(
            DirectoryGroup, body(request), Context.RESOURCE_REPLACEMENT_REQUEST
        )
        save(request, found, resource)
        return _reply(request, found)
    if request.method == "PATCH":
        patch = validated(
            PatchOp[DirectoryGroup], patch_body(request), Context.RESOURCE_PATCH_REQUEST
        )
        resource = as_resource(request, found)
        if patch.patch(resource):
            save(request, found, resource)
        return _reply(request, found)
    if request.method == "DELETE":
        members = list(found.members.all())
        AuditEvent.record(
            action=Action.DELETE,
            obj=found,
            organisation=request.organisation,
            via=Via.SYSTEM,
            view=view_name(request),
            person=actor(request),
        )
        found.delete()
        for membership in members:
            replace_from_directory(
                membership, person=actor(request), view=view_name(request)
            )
        return HttpResponse(status=204)
    raise NotImplementedException(detail="Not supported here.")
