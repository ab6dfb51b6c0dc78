from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action as AuditAction
from audit.models import record_request
from dilemmas.models import Dilemma, GuardOverride
from dilemmas.views import get_dilemma
from meetings.models import leads_group
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability

from .forms import (
    ActionForm,
    AgendaForm,
    AmendmentForm,
    CitationForm,
    CopyMethodForm,
    DoneForm,
    MethodForm,
    NotesForm,
    OptionForm,
    PerspectiveForm,
    PositionForm,
    SignOffForm,
    StepFormSet,
)
from .models import (
    Action,
    AgendaItem,
    Amendment,
    Method,
    Position,
    Reflection,
    ReflectionStep,
    StepKind,
    open_reflection,
    sign_off,
)
from .signals import signed_off

# --- Methods -----------------------------------------------------------------


def _get_method(request: OrgRequest, method_uuid: UUID) -> Method:
    return get_object_or_404(
        Method.objects.seeded_for(request.organisation), uuid=method_uuid
    )


@require_GET
@member_required()
def method_list(request: OrgRequest) -> HttpResponse:
    methods = Method.objects.seeded_for(request.organisation).prefetch_related("steps")
    return render(request, "reflections/method_list.html", {"methods": methods})


@require_GET
@member_required()
def method_detail(request: OrgRequest, method_uuid: UUID) -> HttpResponse:
    method = _get_method(request, method_uuid)
    return render(
        request,
        "reflections/method_detail.html",
        {
            "method": method,
            "steps": method.steps.all(),
            "copy_form": CopyMethodForm(initial={"name": method.name}),
        },
    )


@require_POST
@member_required(Capability.FACILITATE)
def method_copy(request: OrgRequest, method_uuid: UUID) -> HttpResponse:
    method = _get_method(request, method_uuid)
    form = CopyMethodForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else method.name
    copy = method.copy(name=name)
    messages.success(request, _("A copy of the method was made; adapt it here."))
    return redirect(
        "reflections:method_change",
        org=request.organisation.slug,
        method_uuid=copy.uuid,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
def method_change(request: OrgRequest, method_uuid: UUID) -> HttpResponse:
    method = _get_method(request, method_uuid)
    form = MethodForm(request.POST or None, instance=method)
    steps = StepFormSet(request.POST or None, instance=method, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        # Reflections keep their own copies of the steps, so this changes no record.
        with transaction.atomic():
            form.save()
            steps.save()
        messages.success(request, _("The method was saved."))
        return redirect(
            "reflections:method_detail",
            org=request.organisation.slug,
            method_uuid=method.uuid,
        )
    return render(
        request,
        "reflections/method_form.html",
        {"method": method, "form": form, "steps": steps},
    )


# --- Agenda ------------------------------------------------------------------


@require_POST
@member_required(Capability.FACILITATE)
@audited("dilemma", "dilemma_uuid")
def agenda_add(request: OrgRequest, dilemma_uuid: UUID) -> HttpResponse:
    dilemma = get_dilemma(request, dilemma_uuid)
    if not leads_group(request.membership, dilemma.group):
        raise PermissionDenied
    form = AgendaForm(request.POST, dilemma=dilemma)
    if form.is_valid():
        with transaction.atomic():
            AgendaItem.objects.create(
                organisation=request.organisation,
                meeting=form.cleaned_data["meeting"],
                dilemma=dilemma,
                method=form.cleaned_data["method"],
                added_by=request.membership,
            )
            if dilemma.status == Dilemma.Status.RAISED:
                dilemma.set_status(Dilemma.Status.ON_AGENDA)
            record_request(request, AuditAction.CHANGE, dilemma)
        messages.success(request, _("The dilemma was put on the meeting's agenda."))
    else:
        messages.error(request, _("Choose a meeting and a method."))
    return redirect(
        "dilemmas:detail", org=request.organisation.slug, dilemma_uuid=dilemma.uuid
    )


@require_POST
@member_required(Capability.FACILITATE)
@audited("agendaitem", "item_uuid")
def reflection_open(request: OrgRequest, item_uuid: UUID) -> HttpResponse:
    item = get_object_or_404(
        AgendaItem.objects.filter(
            dilemma__in=Dilemma.objects.for_member(request.membership)
        ).select_related("meeting__organisation", "dilemma__group", "method"),
        uuid=item_uuid,
    )
    if not leads_group(request.membership, item.dilemma.group):
        raise PermissionDenied
    existing = Reflection.objects.filter(
        meeting=item.meeting, dilemma=item.dilemma
    ).exists()
    reflection = open_reflection(item=item, facilitator=request.membership)
    if not existing:
        record_request(request, AuditAction.CREATE, reflection)
    return _step_redirect(reflection, reflection.current_step)


# --- Reflections ---------------------------------------------------------------


def _get_reflection(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    return get_object_or_404(
        Reflection.objects.for_member(request.membership).select_related(
            "dilemma__group__unit",
            "dilemma__author__user",
            "meeting",
            "version__value_base",
            "organisation",
        ),
        uuid=reflection_uuid,
    )


def _get_led_reflection(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    """A reflection the member leads and that is still open for changes."""
    reflection = _get_reflection(request, reflection_uuid)
    if not leads_group(request.membership, reflection.dilemma.group):
        raise PermissionDenied
    if reflection.is_signed_off or reflection.erased:
        raise PermissionDenied
    return reflection


def _get_step(
    reflection: Reflection, position: int, kind: str | None = None
) -> ReflectionStep:
    step = get_object_or_404(reflection.steps, position=position)
    if kind is not None and step.kind != kind:
        raise Http404
    return step


def _step_redirect(reflection: Reflection, position: int) -> HttpResponse:
    return redirect(
        "reflections:step",
        org=reflection.organisation.slug,
        reflection_uuid=reflection.uuid,
        position=position,
    )


def _step_context(
    request: OrgRequest, reflection: Reflection, step: ReflectionStep, **forms
) -> dict:
    membership = request.membership
    can_lead = leads_group(membership, reflection.dilemma.group)
    editable = can_lead and not reflection.is_signed_off and not reflection.erased
    own = step.positions.filter(membership=membership).first()
    context = {
        "reflection": reflection,
        "dilemma": reflection.dilemma,
        "author": reflection.dilemma.author_shown_to(membership),
        "step": step,
        "steps": reflection.steps.all(),
        "can_lead": can_lead,
        "editable": editable,
        "notes_form": forms.get("notes_form") or NotesForm(instance=step),
        "saved": forms.get("saved", False),
    }
    if step.kind == StepKind.OPTIONS:
        context["options"] = step.options.all()
        context["option_form"] = forms.get("option_form") or OptionForm()
    elif step.kind == StepKind.PERSPECTIVES:
        context["perspectives"] = step.perspectives.prefetch_related("values")
        context["perspective_form"] = forms.get("perspective_form") or PerspectiveForm(
            reflection=reflection
        )
    elif step.kind == StepKind.POSITIONS:
        context["positions"] = step.positions_visible_to(membership)
        context["position_count"] = step.positions.count()
        context["own_position"] = own
        context["position_form"] = forms.get("position_form") or PositionForm(
            instance=own
        )
    elif step.kind == StepKind.AGREEMENTS:
        context["actions"] = reflection.actions.select_related(
            "owner__user", "follow_up"
        )
        context["action_form"] = forms.get("action_form") or ActionForm(
            reflection=reflection
        )
    return context


def _render_step(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    partial: str,
    status: int = 200,
    **forms,
) -> HttpResponse:
    """The step page, or only the region a form swapped when htmx asks."""
    template = "reflections/step.html"
    if request.htmx:
        template += f"#{partial}"
    response = render(
        request,
        template,
        _step_context(request, reflection, step, **forms),
        status=status,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def reflection_detail(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = _get_reflection(request, reflection_uuid)
    record_request(request, AuditAction.READ, reflection)
    can_lead = leads_group(request.membership, reflection.dilemma.group)
    editable = can_lead and not reflection.is_signed_off and not reflection.erased
    cited = reflection.citations.select_related("value", "guideline")
    return render(
        request,
        "reflections/reflection_detail.html",
        {
            "reflection": reflection,
            "dilemma": reflection.dilemma,
            "author": reflection.dilemma.author_shown_to(request.membership),
            "steps": reflection.steps.all(),
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


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def step_detail(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    reflection = _get_reflection(request, reflection_uuid)
    step = _get_step(reflection, position)
    record_request(request, AuditAction.READ, reflection)
    return render(
        request,
        "reflections/step.html",
        _step_context(request, reflection, step),
    )


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def step_move(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    """The facilitator takes the group to a step; participants' pages follow."""
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position)
    reflection.move_to(step.position)
    record_request(request, AuditAction.CHANGE, reflection)
    return _step_redirect(reflection, step.position)


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def step_notes(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position)
    form = NotesForm(request.POST, instance=step)
    if form.is_valid():
        with transaction.atomic():
            form.save()
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_request(request, AuditAction.CHANGE, reflection)
        if not request.htmx:
            return _step_redirect(reflection, position)
        return _render_step(request, reflection, step, "notes", saved=True)
    return _render_step(request, reflection, step, "notes", 422, notes_form=form)


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def option_add(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position, StepKind.OPTIONS)
    form = OptionForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            form.instance.step = step
            form.save()
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_request(request, AuditAction.CHANGE, reflection)
        if not request.htmx:
            return _step_redirect(reflection, position)
        return _render_step(request, reflection, step, "options")
    return _render_step(request, reflection, step, "options", 422, option_form=form)


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def perspective_add(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position, StepKind.PERSPECTIVES)
    form = PerspectiveForm(request.POST, reflection=reflection)
    if form.is_valid():
        with transaction.atomic():
            form.instance.step = step
            form.save()
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_request(request, AuditAction.CHANGE, reflection)
        if not request.htmx:
            return _step_redirect(reflection, position)
        return _render_step(request, reflection, step, "perspectives")
    return _render_step(
        request, reflection, step, "perspectives", 422, perspective_form=form
    )


@require_POST
@member_required()
@audited("reflection", "reflection_uuid")
def position_save(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    """Anyone taking part writes their own position from their own device."""
    reflection = _get_reflection(request, reflection_uuid)
    step = _get_step(reflection, position, StepKind.POSITIONS)
    # After the reveal a position would be written knowing the others'.
    if reflection.is_signed_off or step.revealed is not None:
        raise PermissionDenied
    own = step.positions.filter(membership=request.membership).first()
    form = PositionForm(request.POST, instance=own)
    if form.is_valid():
        with transaction.atomic():
            form.instance.step = step
            form.instance.membership = request.membership
            form.save()
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_request(request, AuditAction.CHANGE, reflection)
        if not request.htmx:
            messages.success(request, _("Your position was saved."))
            return _step_redirect(reflection, position)
        return _render_step(request, reflection, step, "positions", saved=True)
    return _render_step(request, reflection, step, "positions", 422, position_form=form)


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def positions_reveal(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position, StepKind.POSITIONS)
    if step.revealed is None:
        step.reveal()
        record_request(request, AuditAction.CHANGE, reflection)
    if request.htmx:
        return _render_step(request, reflection, step, "positions")
    return _step_redirect(reflection, position)


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def action_add(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position, StepKind.AGREEMENTS)
    form = ActionForm(request.POST, reflection=reflection)
    if form.is_valid():
        with transaction.atomic():
            form.instance.organisation = reflection.organisation
            form.instance.reflection = reflection
            action = form.save()
            GuardOverride.record_from(form, membership=request.membership, obj=action)
            record_request(request, AuditAction.CHANGE, reflection)
        if not request.htmx:
            return _step_redirect(reflection, position)
        return _render_step(request, reflection, step, "actions")
    return _render_step(request, reflection, step, "actions", 422, action_form=form)


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def citations_save(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = _get_led_reflection(request, reflection_uuid)
    form = CitationForm(request.POST, reflection=reflection)
    if form.is_valid():
        reflection.cite(
            values=list(form.cleaned_data["values"]),
            guidelines=list(form.cleaned_data["guidelines"]),
        )
        record_request(request, AuditAction.CHANGE, reflection)
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
    reflection = _get_led_reflection(request, reflection_uuid)
    form = SignOffForm(
        request.POST or None, initial={"conclusion": reflection.conclusion}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # The override is recorded before the record is fixed.
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_request(request, AuditAction.CHANGE, reflection)
            sign_off(
                reflection=reflection,
                by=request.membership,
                conclusion=form.cleaned_data["conclusion"],
            )
            record_request(request, AuditAction.SIGN_OFF, reflection)
            signed_off.send(sender=Reflection, reflection=reflection)
        messages.success(request, _("The reflection was signed off."))
        return redirect(
            "reflections:detail",
            org=reflection.organisation.slug,
            reflection_uuid=reflection.uuid,
        )
    record_request(request, AuditAction.READ, reflection)
    return render(
        request,
        "reflections/sign_off.html",
        {
            "reflection": reflection,
            "form": form,
            "actions": reflection.actions.select_related("owner__user"),
        },
    )


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def amendment_add(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = _get_reflection(request, reflection_uuid)
    if not leads_group(request.membership, reflection.dilemma.group):
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
            record_request(request, AuditAction.CHANGE, reflection)
        messages.success(request, _("The amendment was added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(detail + "#amendments")


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def reflection_log(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """Everything in one printable page, including the cited version."""
    reflection = _get_reflection(request, reflection_uuid)
    record_request(request, AuditAction.PRINT, reflection)
    # Positions never revealed stay private, in print as on screen.
    steps = reflection.steps.prefetch_related(
        "options",
        "perspectives__values",
        Prefetch(
            "positions",
            queryset=Position.objects.filter(
                step__revealed__isnull=False
            ).select_related("membership__user"),
        ),
    )
    return render(
        request,
        "reflections/log.html",
        {
            "reflection": reflection,
            "dilemma": reflection.dilemma,
            "author": reflection.dilemma.author_shown_to(request.membership),
            "steps": steps,
            "citations": reflection.citations.select_related(
                "value", "guideline__audience"
            ),
            "actions": reflection.actions.select_related(
                "owner__user", "follow_up", "done_by__user"
            ),
            "amendments": reflection.amendments.select_related("author__user"),
        },
    )


# --- Follow-up -----------------------------------------------------------------


@require_GET
@member_required()
def action_list(request: OrgRequest) -> HttpResponse:
    membership = request.membership
    actions = Action.objects.for_member(membership).select_related(
        "owner__user", "reflection__dilemma__group", "follow_up"
    )
    managed = membership.managed_unit_ids()
    return render(
        request,
        "reflections/action_list.html",
        {
            "mine": actions.open().filter(owner=membership),
            "overdue": actions.overdue().in_units(managed) if managed else None,
        },
    )


@require_POST
@member_required()
@audited("action", "action_uuid")
def action_done(request: OrgRequest, action_uuid: UUID) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.for_member(request.membership).select_related(
            "reflection__dilemma__group"
        ),
        uuid=action_uuid,
    )
    group = action.reflection.dilemma.group
    if action.owner_id != request.membership.pk and not leads_group(
        request.membership, group
    ):
        raise PermissionDenied
    form = DoneForm(request.POST)
    if action.done is None and form.is_valid():
        with transaction.atomic():
            action.mark_done(by=request.membership, note=form.cleaned_data["note"])
            GuardOverride.record_from(form, membership=request.membership, obj=action)
            record_request(request, AuditAction.CHANGE, action)
        messages.success(request, _("The action was marked done."))
    elif action.done is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse(
            "reflections:action_list", kwargs={"org": request.organisation.slug}
        )
    return redirect(target)
