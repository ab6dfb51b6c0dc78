"""The facilitator fits the session to the clock, pauses it and goes on with it."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action as AuditAction
from audit.models import record_request
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability
from reflections.models import Reflection, pause, resume
from reflections.plan import apply_plan, plan_of
from reflections.plan_forms import PauseForm, PlanForm, next_meetings

from .lookups import get_led_reflection, step_redirect


def _to_plan(reflection: Reflection) -> HttpResponse:
    return redirect(
        "reflections:plan",
        org=reflection.organisation.slug,
        reflection_uuid=reflection.uuid,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def plan_change(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """Shorten, lengthen or skip steps, or pick a ready plan; before or during."""
    reflection = get_led_reflection(request, reflection_uuid)
    steps = list(reflection.steps.all())
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        reflection=reflection,
        steps=steps,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            apply_plan(steps, form.minutes, form.skipped)
            record_request(request, AuditAction.CHANGE, reflection)
        if form.picked:
            messages.success(
                request,
                _("The %(minutes)s-minute plan is in place.")
                % {"minutes": form.picked},
            )
            return _to_plan(reflection)
        messages.success(request, _("The plan was saved."))
        return step_redirect(reflection, reflection.current_step)
    record_request(request, AuditAction.READ, reflection)
    return render(
        request,
        "reflections/plan.html",
        {
            "reflection": reflection,
            "dilemma": reflection.dilemma,
            "rows": [(s, form.minutes_field(s), form.skip_field(s)) for s in steps],
            "form": form,
            "plan": plan_of(reflection, steps, timezone.now()),
            "plans": sorted(form.plans),
        },
        status=422 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def session_pause(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """Stop here and go on with the session in one of the group's next meetings."""
    reflection = get_led_reflection(request, reflection_uuid)
    form = PauseForm(
        request.POST if request.method == "POST" else None, reflection=reflection
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            paused = pause(reflection=reflection, until=form.cleaned_data["meeting"])
            record_request(request, AuditAction.CHANGE, reflection)
        messages.success(
            request,
            _(
                "The session is paused at step %(number)s. The group goes on "
                "from there at the meeting on %(day)s."
            )
            % {
                "number": paused.current_step,
                "day": formats.date_format(
                    timezone.localtime(paused.meeting.start), "DATETIME_FORMAT"
                ),
            },
        )
        return step_redirect(paused, paused.current_step)
    record_request(request, AuditAction.READ, reflection)
    return render(
        request,
        "reflections/pause.html",
        {
            "reflection": reflection,
            "dilemma": reflection.dilemma,
            "form": form,
            "has_meetings": next_meetings(reflection).exists(),
        },
        status=422 if form.is_bound else 200,
    )


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def session_resume(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """Go on with a paused session where the group left it."""
    reflection = get_led_reflection(request, reflection_uuid)
    if reflection.paused is not None:
        with transaction.atomic():
            resume(reflection)
            record_request(request, AuditAction.CHANGE, reflection)
        messages.success(request, _("The session goes on where the group left it."))
    return step_redirect(reflection, reflection.current_step)
