"""Finding a reflection and its steps for the member who asks."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from meetings.models import leads_group
from organisations.access import OrgRequest
from reflections.models import Reflection, ReflectionStep


def get_reflection(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    reflection: Reflection = get_object_or_404(
        Reflection.objects.for_member(request.membership).select_related(
            "dilemma__group__unit",
            "dilemma__author__user",
            "meeting",
            "began_in",
            "version__value_base",
            "organisation",
            "signed_off_by__user",
            "facilitator__user",
        ),
        uuid=reflection_uuid,
    )
    return reflection


def get_led_reflection(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    """A reflection the member leads and that is still open for changes."""
    reflection = get_reflection(request, reflection_uuid)
    if not leads_group(request.membership, reflection.dilemma.group):
        raise PermissionDenied
    if reflection.is_signed_off or reflection.erased:
        raise PermissionDenied
    return reflection


def get_step(
    reflection: Reflection, position: int, kind: str | None = None
) -> ReflectionStep:
    step = get_object_or_404(reflection.steps, position=position)
    if kind is not None and step.kind != kind:
        raise Http404
    return step


def step_redirect(
    reflection: Reflection, position: int, *, query: str = ""
) -> HttpResponse:
    """To the step page; `query` (without "?") asks the page for something more."""
    url = reverse(
        "reflections:step",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
            "position": position,
        },
    )
    return redirect(f"{url}?{query}" if query else url)
