"""The record of a reflection: its page, citations, sign-off and amendments."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action as AuditAction
from dilemmas.models import GuardOverride
from meetings.models import leads_group
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability
from reflections.forms import AmendmentForm, CitationForm, SignOffForm
from reflections.models import Amendment, Reflection, sign_off
from reflections.signals import signed_off

from .lookups import get_led_reflection, get_reflection, record_case


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def reflection_detail(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = get_reflection(request, reflection_uuid)
    record_case(request, AuditAction.READ, reflection)
    can_lead = leads_group(request.membership, reflection.group)
    editable = can_lead and not reflection.is_signed_off and not reflection.erased
    cited = reflection.citations.select_related("value", "guideline")
    return render(
        request,
        "reflections/reflection_detail.html",
        {
            "reflection": reflection,
            "dilemma": reflection.dilemma,
            "practice": reflection.practice_text(),
            "author": reflection.author_shown_to(request.membership),
            "steps": reflection.steps.all(),
            # A case the group has concluded can become material for others.
            "may_make_practice": can_lead
            and request.membership.can(Capability.FACILITATE)
            and reflection.is_signed_off
            and not reflection.erased
            and not reflection.is_practice,
            "citations": cited,
            "citation_form": (
                CitationForm(
                    reflection=reflection,
                    initial={
                        "values": [c.value_id for c in cited if c.value_id],
                        "guidelines": [c.guideline_id for c in cited if c.guideline_id],
                    },
                )
                if editable and reflection.version_id
                else None
            ),
            "actions": reflection.actions.select_related("owner__user", "follow_up"),
            "amendments": reflection.amendments.select_related("author__user"),
            "amendment_form": (
                AmendmentForm() if can_lead and reflection.is_signed_off else None
            ),
            "can_lead": can_lead,
            "editable": editable,
        },
    )


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def citations_save(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = get_led_reflection(request, reflection_uuid)
    form = CitationForm(request.POST, reflection=reflection)
    if form.is_valid():
        reflection.cite(
            values=list(form.cleaned_data["values"]),
            guidelines=list(form.cleaned_data["guidelines"]),
        )
        record_case(request, AuditAction.CHANGE, reflection)
        messages.success(request, _("The cited values and guidelines were saved."))
    return redirect(
        "reflections:detail",
        org=reflection.organisation.slug,
        reflection_uuid=reflection.uuid,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def reflection_sign_off(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = get_led_reflection(request, reflection_uuid)
    concluding = reflection.conclusion_step()
    form = SignOffForm(
        request.POST or None,
        practice=reflection.is_practice,
        initial={
            "conclusion": reflection.conclusion
            or (concluding.notes if concluding else "")
        },
    )
    too_early = not reflection.has_started
    if request.method == "POST" and too_early:
        form.is_valid()
        form.add_error(
            None,
            _(
                "The meeting has not started yet: a reflection is signed off "
                "once it has been held. It starts %(start)s."
            )
            % {
                "start": formats.date_format(
                    timezone.localtime(reflection.meeting.start), "DATETIME_FORMAT"
                )
            },
        )
    if request.method == "POST" and not too_early and form.is_valid():
        with transaction.atomic():
            # The override is recorded before the record is fixed.
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            sign_off(
                reflection=reflection,
                by=request.membership,
                conclusion=form.cleaned_data["conclusion"],
                person_present=form.cleaned_data.get("person_present") or "",
            )
            record_case(request, AuditAction.SIGN_OFF, reflection)
            signed_off.send(sender=Reflection, reflection=reflection)
        messages.success(request, _("The reflection was signed off."))
        return redirect(
            "reflections:detail",
            org=reflection.organisation.slug,
            reflection_uuid=reflection.uuid,
        )
    record_case(request, AuditAction.READ, reflection)
    return render(
        request,
        "reflections/sign_off.html",
        {
            "reflection": reflection,
            "form": form,
            "too_early": too_early,
            "concluding": concluding,
            "actions": reflection.actions.select_related("owner__user"),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def amendment_add(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = get_reflection(request, reflection_uuid)
    if not leads_group(request.membership, reflection.group):
        raise PermissionDenied
    detail = reverse(
        "reflections:detail",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
        },
    )
    if not reflection.is_signed_off:
        messages.info(request, _("Until sign-off, change the reflection itself."))
        return redirect(detail)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            Amendment.objects.create(
                reflection=reflection,
                author=request.membership,
                body=form.cleaned_data["body"],
            )
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_case(request, AuditAction.CHANGE, reflection)
        messages.success(request, _("The amendment was added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(detail + "#amendments")
