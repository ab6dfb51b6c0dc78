"""Panels the meetings pages show: dilemmas on the agenda and open actions."""

from __future__ import annotations

from django import template

from dilemmas.models import Dilemma
from meetings.models import leads_group
from reflections.models import Action, AgendaItem, Reflection

register = template.Library()


@register.inclusion_tag("reflections/includes/meeting_panel.html", takes_context=True)
def meeting_reflections(context, meeting) -> dict:
    membership = context["request"].membership
    items = AgendaItem.objects.filter(meeting=meeting).select_related(
        "dilemma", "method"
    )
    reflections = {r.dilemma_id: r for r in Reflection.objects.filter(meeting=meeting)}
    return {
        **context.flatten(),
        "meeting": meeting,
        "agenda": [(item, reflections.get(item.dilemma_id)) for item in items],
        "can_lead": leads_group(membership, meeting.group),
        # The next meeting is where open actions are followed up.
        "open_actions": (
            []
            if meeting.is_past
            else Action.objects.for_group(meeting.group)
            .open()
            .select_related("owner__user", "reflection__dilemma")
        ),
    }


@register.inclusion_tag("reflections/includes/group_panel.html", takes_context=True)
def group_reflections(context, group) -> dict:
    membership = context["request"].membership
    return {
        **context.flatten(),
        "group": group,
        "dilemmas": Dilemma.objects.filter(group=group).open(),
        "open_actions": Action.objects.for_group(group)
        .open()
        .select_related("owner__user", "reflection__dilemma"),
        "can_lead": leads_group(membership, group),
    }
