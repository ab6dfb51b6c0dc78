"""What the pages of lower apps show of the reflections, gathered by their views.

Registered in `ReflectionsConfig.ready` for the group's and the meeting's page
(core.panels); the dashboard, which lives above every app, calls
`running_sessions` itself. The templates only format what these return
(reflections.templatetags.reflections).

Each panel shows case text only to those who may read it
(`Reflection.objects.for_member` and the QuerySets built like it): an
administrator looking at a group's page sees no dilemma of a group they do
not belong to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from django.http import HttpRequest
from django.utils import timezone

from dilemmas.models import Dilemma
from lib.pagination import paginate
from meetings.models import Meeting, leads_group
from organisations.access import OrgRequest
from organisations.models import Membership, ReflectionGroup, member_group_ids
from reflections.models import Action, AgendaItem, Reflection


def running_sessions(
    membership: Membership,
    group: ReflectionGroup | None = None,
    meeting: Meeting | None = None,
) -> list[Reflection]:
    """The sessions running now that the member may follow."""
    if meeting is not None:
        now = timezone.now()
        # Only a meeting on now has a session running: most pages ask nothing.
        if not (
            meeting.start - Reflection.RUNNING_BEFORE
            <= now
            <= meeting.end + Reflection.RUNNING_AFTER
        ):
            return []
    sessions = (
        Reflection.objects.for_member(membership)
        .running()
        .select_related("dilemma__group", "meeting")
        .order_by("meeting__start")
    )
    if group is not None:
        sessions = sessions.filter(dilemma__group=group)
    if meeting is not None:
        sessions = sessions.filter(meeting=meeting)
    return list(sessions)


def group_page(request: HttpRequest, *, group: ReflectionGroup) -> Mapping[str, object]:
    """A group's dilemmas and open actions, and its sessions running now."""
    membership = _membership(request)
    # As ReflectionGroup.objects.case_readable_by, from the ids the request has.
    reads_cases = (
        group.organisation_id == membership.organisation_id
        and group.pk in member_group_ids(membership).headed
    )
    return {
        "running": running_sessions(membership, group=group),
        "reflections_panel": {
            "reads_cases": reads_cases,
            "dilemmas": paginate(
                request,
                Dilemma.objects.for_member(membership).filter(group=group).open(),
                param="dilemmas_page",
            ),
            "open_actions": paginate(
                request,
                Action.objects.for_member(membership)
                .for_group(group)
                .open()
                .select_related("owner__user", "reflection__dilemma"),
                param="actions_page",
            ),
            "can_lead": leads_group(membership, group),
        },
    }


def meeting_page(request: HttpRequest, *, meeting: Meeting) -> Mapping[str, object]:
    """A meeting's agenda with its sessions, and the open actions to follow up."""
    membership = _membership(request)
    readable = Dilemma.objects.for_member(membership)
    items = AgendaItem.objects.filter(
        meeting=meeting, dilemma__in=readable
    ).select_related("dilemma", "method")
    reflections = {r.dilemma_id: r for r in Reflection.objects.filter(meeting=meeting)}
    return {
        "running": running_sessions(membership, meeting=meeting),
        "reflections_panel": {
            "agenda": [(item, reflections.get(item.dilemma_id)) for item in items],
            "hidden_items": AgendaItem.objects.filter(meeting=meeting)
            .exclude(dilemma__in=readable)
            .count(),
            "can_lead": leads_group(membership, meeting.group),
            # The next meeting is where open actions are followed up.
            "open_actions": (
                []
                if meeting.is_past
                else paginate(
                    request,
                    Action.objects.for_member(membership)
                    .for_group(meeting.group)
                    .open()
                    .select_related("owner__user", "reflection__dilemma"),
                    param="actions_page",
                )
            ),
        },
    }


def _membership(request: HttpRequest) -> Membership:
    # The views that gather are behind member_required, which sets it.
    return cast(OrgRequest, request).membership
