"""The session runner: the step pages, following the group live, and what
participants and the facilitator save on a step besides the step form."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import (
    HttpResponseLocation,
    HttpResponseStopPolling,
    reswap,
    retarget,
)

from audit.models import Action as AuditAction
from dilemmas.models import GuardOverride
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability
from reflections.forms import NotesForm, PositionForm
from reflections.models import StepKind

from .lookups import (
    get_led_reflection,
    get_reflection,
    get_step,
    get_steps,
    record_case,
    step_redirect,
)
from .step_page import (
    make_item_form,
    pulse_state,
    render_step,
    step_context,
    step_items,
    written_count,
)


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def step_detail(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    reflection = get_reflection(request, reflection_uuid)
    _steps, step = get_steps(reflection, position)
    record_case(request, AuditAction.READ, reflection)
    return render_step(
        request,
        reflection,
        step,
        confirm_reveal=request.GET.get("reveal") == "confirm",
    )


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def session_live(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """Where participants follow the facilitator: always the group's step."""
    reflection = get_reflection(request, reflection_uuid)
    _steps, step = get_steps(reflection, reflection.current_step)
    record_case(request, AuditAction.READ, reflection)
    response = render(
        request,
        "reflections/step.html",
        step_context(request, reflection, step, following=True),
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def session_pulse(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    """Polled by open step pages: 204 while nothing changed.

    A page that follows the facilitator is taken to the group's step whenever
    anything changes; a page on a chosen step gets the timer and the count of
    written positions afresh. The answer says nothing that the page itself
    would not show (no position before the reveal).
    """
    reflection = get_reflection(request, reflection_uuid)
    steps, step = get_steps(reflection, position)
    written = written_count(step)
    state = pulse_state(reflection, step, steps, written)
    if request.GET.get("state") == state:
        return HttpResponse(status=204)
    if request.GET.get("following"):
        # Also once the session is signed off: the live page then says so,
        # and polls no more.
        live = reverse(
            "reflections:live",
            kwargs={
                "org": reflection.organisation.slug,
                "reflection_uuid": reflection.uuid,
            },
        )
        return HttpResponseLocation(
            live, target="#main", select="#main", swap="outerHTML"
        )
    if reflection.is_signed_off:
        response: HttpResponse = HttpResponseStopPolling()
    else:
        response = render_step(
            request, reflection, step, "pulse", state=state, written=written
        )
    record_case(request, AuditAction.READ, reflection)
    return response


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def step_notes(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    """The notes alone, saved as they are typed (htmx) or by a plain post."""
    reflection = get_led_reflection(request, reflection_uuid)
    step = get_step(reflection, position)
    form = NotesForm(request.POST, instance=step, prefix="notes")
    if not form.is_valid():
        return render_step(
            request, reflection, step, "notes-status", 422, notes_form=form
        )
    with transaction.atomic():
        conflict = step.save_notes(
            form.cleaned_data["notes"],
            revision=form.cleaned_data.get("revision"),
            by=request.membership,
        )
        GuardOverride.record_from(form, membership=request.membership, obj=reflection)
        record_case(request, AuditAction.CHANGE, reflection)
    if not request.htmx:
        return step_redirect(reflection, position)
    if conflict:
        # The page gets the kept texts back in place of what it shows.
        response = render_step(request, reflection, step, "notes", conflict=True)
        return retarget(reswap(response, "outerHTML"), "#notes")
    return render_step(request, reflection, step, "notes-status", saved=True)


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def item_change(
    request: OrgRequest, reflection_uuid: UUID, position: int, item_id: int
) -> HttpResponse:
    """Change an option, a party or an action before sign-off."""
    reflection = get_led_reflection(request, reflection_uuid)
    step = get_step(reflection, position)
    items = step_items(reflection, step)
    if items is None:
        raise Http404
    item = get_object_or_404(items, pk=item_id)
    form = make_item_form(
        reflection, step, request.POST if request.method == "POST" else None, item
    )
    assert form is not None  # The kinds of step with items have a form for them.
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_case(request, AuditAction.CHANGE, reflection)
        messages.success(request, _("The changes were saved."))
        return step_redirect(reflection, position)
    record_case(request, AuditAction.READ, reflection)
    return render(
        request,
        "reflections/item_change.html",
        {"reflection": reflection, "step": step, "form": form, "item": item},
    )


@require_POST
@member_required()
@audited("reflection", "reflection_uuid")
def position_save(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    """Anyone taking part writes their own position from their own device."""
    reflection = get_reflection(request, reflection_uuid)
    step = get_step(reflection, position, StepKind.POSITIONS)
    # After the reveal a position would be written knowing the others'.
    if reflection.is_signed_off or step.revealed is not None:
        raise PermissionDenied
    own = step.positions.filter(membership=request.membership).first()
    form = PositionForm(request.POST, instance=own, prefix="position")
    following = bool(request.POST.get("following"))
    if form.is_valid():
        with transaction.atomic():
            step.write_position(request.membership, form.cleaned_data["body"])
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_case(request, AuditAction.CHANGE, reflection)
        if not request.htmx:
            messages.success(request, _("Your position was saved."))
            if following:
                return redirect(
                    "reflections:live",
                    org=reflection.organisation.slug,
                    reflection_uuid=reflection.uuid,
                )
            return step_redirect(reflection, position)
        return render_step(request, reflection, step, "position-status", saved=True)
    return render_step(
        request,
        reflection,
        step,
        "position-status" if request.htmx else None,
        422,
        position_form=form,
        following=following,
    )
