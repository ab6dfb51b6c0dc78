"""The reflection groups: the list, creating and changing one, and its page."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.changes import FormChanges, Values
from audit.models import Action as AuditAction
from audit.models import record_request
from core import panels
from lib.pagination import paginate
from meetings.forms import GroupForm
from meetings.models import (
    Meeting,
    invitees,
    manages_group,
    member_count,
    next_meeting_start,
    schedules_group,
)
from meetings.rows import meeting_rows
from meetings.scheduling import group_people_changed
from organisations.access import OrgRequest, member_required
from organisations.models import Capability, ReflectionGroup

from .lookups import get_group, get_managed_group


@require_GET
@member_required()
def group_list(request: OrgRequest) -> HttpResponse:
    groups = (
        ReflectionGroup.objects.for_member(request.membership)
        .select_related("unit")
        .annotate(member_count=member_count(), next_meeting=next_meeting_start())
        .order_by("name", "pk")
    )
    return render(
        request,
        "meetings/group_list.html",
        {
            "groups": paginate(request, groups),
            "can_create": bool(request.membership.managed_unit_ids()),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def group_create(request: OrgRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = request.organisation
        with transaction.atomic():
            group = form.save()
            record_request(
                request,
                AuditAction.CREATE,
                group,
                detail=Values(form, ["unit", "facilitators", "members"]),
            )
        messages.success(request, _("The group was created."))
        return redirect(
            "meetings:group_detail",
            org=request.organisation.slug,
            group_uuid=group.uuid,
        )
    return render(request, "meetings/group_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def group_change(request: OrgRequest, group_uuid: UUID) -> HttpResponse:
    group = get_managed_group(request, group_uuid)
    before = {p.pk for p in invitees(group)}
    form = GroupForm(
        request.POST or None, instance=group, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            after = {p.pk for p in invitees(group)}
            group_people_changed(group, added=after - before, removed=before - after)
            # Who is in a group decides who reads its cases.
            if changes := FormChanges(form):
                record_request(request, AuditAction.CHANGE, group, detail=changes)
        messages.success(request, _("The changes to the group were saved."))
        return redirect(
            "meetings:group_detail",
            org=request.organisation.slug,
            group_uuid=group.uuid,
        )
    return render(request, "meetings/group_form.html", {"form": form, "group": group})


@require_GET
@member_required()
def group_detail(request: OrgRequest, group_uuid: UUID) -> HttpResponse:
    group = get_group(request, group_uuid)
    meetings = Meeting.objects.filter(group=group).select_related("series")
    upcoming = paginate(request, meetings.upcoming().order_by("start", "pk"), size=10)
    past = paginate(
        request, meetings.past().order_by("-start", "-pk"), param="past_page"
    )
    org = request.organisation.slug
    return render(
        request,
        "meetings/group_detail.html",
        {
            "group": group,
            "upcoming": upcoming,
            "past": past,
            # Each row's address and time, formatted once (meetings.rows).
            "upcoming_rows": meeting_rows(upcoming, org),
            "past_rows": meeting_rows(past, org),
            "facilitators": list(group.facilitators.select_related("user")),
            "members": list(group.members.select_related("user")),
            "can_manage": manages_group(request.membership, group),
            "can_schedule": schedules_group(request.membership, group),
            # What the higher apps show on the page (core.panels).
            **panels.gather("meetings:group_detail", request, group=group),
        },
    )
