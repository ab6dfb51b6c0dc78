"""Finding a group or a meeting for the member who asks, and going back to it."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect

from meetings.models import Meeting, manages_group, schedules_group
from organisations.access import OrgRequest
from organisations.models import ReflectionGroup


def get_group(request: OrgRequest, group_uuid: UUID) -> ReflectionGroup:
    group: ReflectionGroup = get_object_or_404(
        ReflectionGroup.objects.for_member(request.membership).select_related(
            "unit", "organisation"
        ),
        uuid=group_uuid,
    )
    return group


def get_managed_group(request: OrgRequest, group_uuid: UUID) -> ReflectionGroup:
    group = get_group(request, group_uuid)
    if not manages_group(request.membership, group):
        raise PermissionDenied
    return group


def get_scheduled_group(request: OrgRequest, group_uuid: UUID) -> ReflectionGroup:
    """A group whose meetings the member schedules: 404 if unseen, 403 if not."""
    group = get_group(request, group_uuid)
    if not schedules_group(request.membership, group):
        raise PermissionDenied
    return group


def get_meeting(request: OrgRequest, meeting_uuid: UUID) -> Meeting:
    meeting: Meeting = get_object_or_404(
        Meeting.objects.for_member(request.membership).select_related(
            "group__unit", "series", "organisation"
        ),
        uuid=meeting_uuid,
    )
    return meeting


def get_scheduled_meeting(request: OrgRequest, meeting_uuid: UUID) -> Meeting:
    """A meeting the member may change or cancel (see `schedules_group`)."""
    meeting = get_meeting(request, meeting_uuid)
    if not schedules_group(request.membership, meeting.group):
        raise PermissionDenied
    return meeting


def redirect_to(meeting: Meeting) -> HttpResponse:
    return redirect(
        "meetings:meeting_detail",
        org=meeting.organisation.slug,
        meeting_uuid=meeting.uuid,
    )
