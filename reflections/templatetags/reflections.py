"""Panels other apps' pages show: the agenda, open actions, running sessions.

Each panel shows case text only to those who may read it
(`Reflection.objects.for_member` and the QuerySets built like it): an
administrator looking at a group's page sees no dilemma of a group they do
not belong to.
"""

from __future__ import annotations

from django import template
from django.template.base import Node
from django.template.context import Context

from dilemmas.models import Dilemma
from lib.pagination import paginate
from meetings.models import Meeting, leads_group
from organisations.access import OrgRequest
from organisations.models import ReflectionGroup
from practice.models import PracticeCase
from reflections.forms import AgendaForm, PracticeSessionForm
from reflections.models import Action, AgendaItem, Reflection, in_groups

register = template.Library()

# What a panel gives its template: the page's whole context (whose keys
# django-stubs types as names, numbers or nodes) and its own values.
type PanelContext = dict[int | str | Node, object]


@register.inclusion_tag("reflections/includes/meeting_panel.html", takes_context=True)
def meeting_reflections(context: Context, meeting: Meeting) -> PanelContext:
    request: OrgRequest = context["request"]
    membership = request.membership
    readable = Dilemma.objects.for_member(membership)
    items = AgendaItem.objects.filter(
        meeting=meeting, dilemma__in=readable
    ).select_related("dilemma", "method")
    reflections = {r.dilemma_id: r for r in Reflection.objects.filter(meeting=meeting)}
    return {
        **context.flatten(),
        "meeting": meeting,
        "agenda": [(item, reflections.get(item.dilemma_id)) for item in items],
        # Practice sessions: no case of anyone's, read like the group's sessions.
        "practice_sessions": Reflection.objects.for_member(membership)
        .practice()
        .filter(meeting=meeting)
        .select_related("practice_case"),
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
                .select_related(
                    "owner__user", "reflection__dilemma", "reflection__practice_case"
                ),
                param="actions_page",
            )
        ),
    }


@register.inclusion_tag("reflections/includes/group_panel.html", takes_context=True)
def group_reflections(context: Context, group: ReflectionGroup) -> PanelContext:
    request: OrgRequest = context["request"]
    membership = request.membership
    return {
        **context.flatten(),
        "group": group,
        "reads_cases": ReflectionGroup.objects.case_readable_by(membership)
        .filter(pk=group.pk)
        .exists(),
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
            .select_related(
                "owner__user", "reflection__dilemma", "reflection__practice_case"
            ),
            param="actions_page",
        ),
        "can_lead": leads_group(membership, group),
    }


@register.inclusion_tag("reflections/includes/running.html", takes_context=True)
def running_sessions(
    context: Context,
    group: ReflectionGroup | None = None,
    meeting: Meeting | None = None,
) -> PanelContext:
    """ "A session is running", with a link to follow it, for its readers."""
    request: OrgRequest = context["request"]
    membership = request.membership
    sessions = (
        Reflection.objects.for_member(membership)
        .running()
        .select_related("dilemma__group", "practice_case", "meeting__group")
        .order_by("meeting__start")
    )
    if group is not None:
        sessions = sessions.filter(in_groups(group, "exact"))
    if meeting is not None:
        sessions = sessions.filter(meeting=meeting)
    return {**context.flatten(), "running": list(sessions)}


@register.inclusion_tag(
    "reflections/includes/dilemma_agenda_form.html", takes_context=True
)
def dilemma_agenda_form(context: Context, dilemma: Dilemma) -> PanelContext:
    """The form that puts a dilemma on one of its group's meetings."""
    return {**context.flatten(), "agenda_form": AgendaForm(dilemma=dilemma)}


@register.inclusion_tag(
    "reflections/includes/dilemma_reflections.html", takes_context=True
)
def dilemma_reflections(context: Context, dilemma: Dilemma) -> PanelContext:
    """The reflections held on a dilemma, readable by whoever reads the dilemma."""
    return {
        **context.flatten(),
        "reflections": Reflection.objects.filter(dilemma=dilemma).select_related(
            "meeting"
        ),
    }


@register.inclusion_tag(
    "reflections/includes/practice_sessions.html", takes_context=True
)
def practice_sessions(context: Context, case: PracticeCase) -> PanelContext:
    """A practice case's sessions in the reader's groups, and the form to start one."""
    request: OrgRequest = context["request"]
    membership = request.membership
    return {
        **context.flatten(),
        "sessions": Reflection.objects.for_member(membership)
        .filter(practice_case=case)
        .select_related("meeting__group")
        .order_by("-meeting__start"),
        "session_form": PracticeSessionForm(membership=membership, case=case),
    }
