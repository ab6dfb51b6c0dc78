"""Panels other apps' pages show: the agenda, open actions, running sessions.

The group's and the meeting's panels only format what their views gathered
(reflections.panels, through core.panels): no query runs while they render.
"""

from __future__ import annotations

from django import template
from django.template.base import Node
from django.template.context import Context

from dilemmas.models import Dilemma
from meetings.models import Meeting
from organisations.models import ReflectionGroup
from reflections.forms import AgendaForm
from reflections.models import Reflection

register = template.Library()

# What a panel gives its template: the page's whole context (whose keys
# django-stubs types as names, numbers or nodes) and its own values.
type PanelContext = dict[int | str | Node, object]


@register.inclusion_tag("reflections/includes/meeting_panel.html", takes_context=True)
def meeting_reflections(
    context: Context, meeting: Meeting, panel: PanelContext
) -> PanelContext:
    """A meeting's agenda and actions, as its view gathered them."""
    return {**context.flatten(), "meeting": meeting, **panel}


@register.inclusion_tag("reflections/includes/group_panel.html", takes_context=True)
def group_reflections(
    context: Context, group: ReflectionGroup, panel: PanelContext
) -> PanelContext:
    """A group's dilemmas and open actions, as its view gathered them."""
    return {**context.flatten(), "group": group, **panel}


@register.inclusion_tag("reflections/includes/running.html", takes_context=True)
def running_sessions(context: Context, running: list[Reflection]) -> PanelContext:
    """ "A session is running", with a link to follow it, for its readers.

    The sessions come from the view (reflections.panels.running_sessions).
    """
    return {**context.flatten(), "running": running}


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
