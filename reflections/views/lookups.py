"""Finding a reflection and its steps for the member who asks."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from audit.models import record_request
from meetings.models import leads_group
from organisations.access import OrgRequest
from reflections.models import Reflection, ReflectionStep


def get_reflection(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    reflection: Reflection = get_object_or_404(
        Reflection.objects.for_member(request.membership).select_related(
            "dilemma__group__unit",
            "dilemma__author__user",
            "practice_case",
            "meeting__group__unit",
            "began_in",
            "version__value_base",
            "organisation",
            "signed_off_by__user",
            "facilitator__user",
        ),
        uuid=reflection_uuid,
    )
    return reflection


def record_case(
    request: OrgRequest,
    action: str,
    reflection: Reflection,
    obj: models.Model | None = None,
) -> None:
    """Audit a reading or change of a session (or of `obj` in it).

    A practice session is about nobody real and holds no case text: nothing to
    audit (docs/practice.md).
    """
    if reflection.is_practice:
        return
    record_request(request, action, obj or reflection)


def get_led_reflection(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    """A reflection the member leads and that is still open for changes."""
    reflection = get_reflection(request, reflection_uuid)
    if not leads_group(request.membership, reflection.group):
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


def get_steps(
    reflection: Reflection, position: int
) -> tuple[list[ReflectionStep], ReflectionStep]:
    """All the session's steps, read once and kept on `reflection` (its
    `steps.all()` reads no more), and the one at `position`.

    For the pages that read: a view that changes a step reads it alone
    (`get_step`), fresh.
    """
    prefetch_related_objects([reflection], "steps")
    steps = list(reflection.steps.all())
    step = next((s for s in steps if s.position == position), None)
    if step is None:
        raise Http404
    return steps, step


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
