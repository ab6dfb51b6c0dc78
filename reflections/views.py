from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.forms import Form, ModelForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import (
    HttpResponseLocation,
    HttpResponseStopPolling,
    reswap,
    retarget,
)

from audit.models import Action as AuditAction
from audit.models import record_request
from dilemmas.models import Dilemma, GuardOverride
from dilemmas.views import get_dilemma
from lib.pagination import paginate
from meetings.models import invitees, leads_group
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
    Option,
    Perspective,
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
            "signed_off_by__user",
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


# The forms of a step, each with its prefix: on the facilitator's page they
# are one form, so that whatever button is pressed, everything typed is saved.
ITEM_FORMS = {
    StepKind.OPTIONS: OptionForm,
    StepKind.PERSPECTIVES: PerspectiveForm,
    StepKind.AGREEMENTS: ActionForm,
}
ITEM_MODELS = {
    StepKind.OPTIONS: Option,
    StepKind.PERSPECTIVES: Perspective,
    StepKind.AGREEMENTS: Action,
}
# Steps where values and guidelines typically come up, so they can be cited there.
CITING_KINDS = {StepKind.PERSPECTIVES, StepKind.POSITIONS}


def _items(reflection: Reflection, step: ReflectionStep):
    if step.kind == StepKind.OPTIONS:
        return step.options.all()
    if step.kind == StepKind.PERSPECTIVES:
        return step.perspectives.prefetch_related("values")
    if step.kind == StepKind.AGREEMENTS:
        return reflection.actions.select_related("owner__user", "follow_up")
    return None


def _item_form(reflection: Reflection, step: ReflectionStep, data=None, instance=None):
    form_class = ITEM_FORMS.get(step.kind)
    if form_class is None:
        return None
    kwargs: dict = {"prefix": "item", "instance": instance}
    if form_class is not OptionForm:
        kwargs["reflection"] = reflection
    return form_class(data, **kwargs)


def _typed_into(form) -> bool:
    """Did the person type or choose anything in this (bound) form?"""
    for name in form.fields:
        if name in {"save_anyway_reason", "confirm_past_due"}:
            continue
        key = form.add_prefix(name)
        values = form.data.getlist(key) if hasattr(form.data, "getlist") else []
        if any(str(value).strip() for value in values):
            return True
    return False


def _cites_here(reflection: Reflection, step: ReflectionStep) -> bool:
    return reflection.version_id is not None and (
        step.kind in CITING_KINDS or step.concludes
    )


def _citation_form(reflection: Reflection, data=None) -> CitationForm:
    cited = list(reflection.citations.all())
    return CitationForm(
        data,
        reflection=reflection,
        prefix="cite",
        initial={
            "values": [c.value_id for c in cited if c.value_id],
            "guidelines": [c.guideline_id for c in cited if c.guideline_id],
        },
    )


def _position_count(reflection: Reflection, step: ReflectionStep) -> tuple[int, int]:
    """How many have written, of how many take part."""
    return step.positions.count(), len(invitees(reflection.dilemma.group))


def _pulse_state(reflection: Reflection, step: ReflectionStep) -> str:
    """A short token that changes whenever a participant's page should."""
    written, _taking_part = _position_count(reflection, step)
    parts = [
        reflection.current_step,
        reflection.status,
        step.pk,
        step.notes_revision,
        step.revealed,
        step.timer_started,
        written,
        reflection.anonymous_positions,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _step_context(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    *,
    following: bool = False,
    **forms,
) -> dict:
    membership = request.membership
    can_lead = leads_group(membership, reflection.dilemma.group)
    editable = can_lead and not reflection.is_signed_off and not reflection.erased
    steps = list(reflection.steps.all())
    context = {
        "reflection": reflection,
        "dilemma": reflection.dilemma,
        "author": reflection.dilemma.author_shown_to(membership),
        "step": step,
        "steps": steps,
        "total": len(steps),
        "previous": next((s for s in steps if s.position == step.position - 1), None),
        "next": next((s for s in steps if s.position == step.position + 1), None),
        "can_lead": can_lead,
        "editable": editable,
        "following": following,
        "saved": forms.get("saved", False),
        "conflict": forms.get("conflict", False),
        "state": _pulse_state(reflection, step),
        "now": timezone.now(),
        "items": _items(reflection, step),
        # Labels, not citations: a citation holds a value or a guideline, and
        # the page must not reach through the one that is empty.
        "cited": (
            [str(c) for c in reflection.citations.select_related("value", "guideline")]
            if step.kind in CITING_KINDS
            else []
        ),
    }
    if editable:
        context["notes_form"] = forms.get("notes_form") or NotesForm(
            instance=step, prefix="notes", initial={"revision": step.notes_revision}
        )
        context["item_form"] = forms.get("item_form") or _item_form(reflection, step)
        if _cites_here(reflection, step):
            context["cite_form"] = forms.get("cite_form") or _citation_form(reflection)
    if step.kind == StepKind.POSITIONS:
        own = step.positions.filter(membership=membership).first()
        written, taking_part = _position_count(reflection, step)
        context.update(
            positions=step.positions_visible_to(membership),
            written=written,
            taking_part=taking_part,
            own_position=own,
            position_form=forms.get("position_form")
            or PositionForm(instance=own, prefix="position"),
        )
    return context


def _render_step(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    partial: str | None = None,
    status: int = 200,
    **forms,
) -> HttpResponse:
    """The step page, or only the region a form swapped when htmx asks."""
    template = "reflections/step.html"
    if request.htmx and partial:
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
    return _render_step(request, reflection, step)


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def session_live(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """Where participants follow the facilitator: always the group's step."""
    reflection = _get_reflection(request, reflection_uuid)
    step = _get_step(reflection, reflection.current_step)
    record_request(request, AuditAction.READ, reflection)
    response = render(
        request,
        "reflections/step.html",
        _step_context(request, reflection, step, following=True),
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
    reflection = _get_reflection(request, reflection_uuid)
    step = _get_step(reflection, position)
    if request.GET.get("state") == _pulse_state(reflection, step):
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
        response = HttpResponseStopPolling()
    else:
        response = _render_step(request, reflection, step, "pulse")
    record_request(request, AuditAction.READ, reflection)
    return response


def _go_to(then: str, step: ReflectionStep, steps: list[ReflectionStep]) -> int | None:
    """The step a navigation button asks for, or None for staying."""
    positions = {s.position for s in steps}
    if then == "next":
        target = step.position + 1
    elif then == "previous":
        target = step.position - 1
    elif then.startswith("go-") and then[3:].isascii() and then[3:].isdigit():
        target = int(then[3:])
    else:
        return None
    return target if target in positions else None


def _item_action(then: str) -> tuple[str, int] | None:
    """("edit" | "delete", id) from a button such as "delete-12"."""
    for verb in ("edit", "delete"):
        number = then.removeprefix(f"{verb}-")
        if number != then and number.isascii() and number.isdigit():
            return verb, int(number)
    return None


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def step_save(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    """Everything the facilitator's step form says, whichever button was pressed.

    Notes, the new option, party or action if anything was typed into it,
    the citations and the facilitator's own position are saved first; only
    then does the button do what it says (move the group, start the timer,
    reveal, change or delete an item, go to sign-off). With an error nothing
    moves and the page comes back with everything as typed.
    """
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position)
    then = request.POST.get("then", "save")
    forms = _StepForms.bind(request, reflection, step, then)
    if not forms.are_valid():
        return _render_step(
            request,
            reflection,
            step,
            status=422,
            notes_form=forms.notes,
            item_form=forms.item,
            cite_form=forms.cite,
            position_form=forms.position,
        )
    conflict = _save_step_forms(request, reflection, step, forms)
    if conflict:
        messages.warning(
            request,
            _(
                "Someone else saved notes on this step at the same time. Both "
                "texts are kept, one after the other: tidy them up when you can."
            ),
        )
    return _press_button(request, reflection, step, then, forms, conflict)


@dataclass
class _StepForms:
    """The parts of the step form, bound to what was posted.

    The item, citation and position parts count only when something was typed
    into them (or the button asks for the item); the notes always count.
    """

    notes: NotesForm
    item: ModelForm | None
    wants_item: bool
    cite: Form | None
    position: PositionForm | None

    @classmethod
    def bind(
        cls,
        request: OrgRequest,
        reflection: Reflection,
        step: ReflectionStep,
        then: str,
    ) -> _StepForms:
        item_form = _item_form(reflection, step, request.POST)
        cite_form = (
            _citation_form(reflection, request.POST)
            if "cite-present" in request.POST and _cites_here(reflection, step)
            else None
        )
        position_form = None
        if step.kind == StepKind.POSITIONS and step.revealed is None:
            own = step.positions.filter(membership=request.membership).first()
            position_form = PositionForm(request.POST, instance=own, prefix="position")
            if not _typed_into(position_form):
                position_form = None
        return cls(
            notes=NotesForm(request.POST, instance=step, prefix="notes"),
            item=item_form,
            wants_item=item_form is not None
            and (then == "add" or _typed_into(item_form)),
            cite=cite_form,
            position=position_form,
        )

    def are_valid(self) -> bool:
        parts = [self.notes, self.item if self.wants_item else None]
        parts += [self.cite, self.position]
        return all(form.is_valid() for form in parts if form is not None)


def _save_step_forms(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    forms: _StepForms,
) -> bool:
    """Save every part that counts, in one transaction; True on a notes conflict."""
    membership = request.membership
    with transaction.atomic():
        conflict = step.save_notes(
            forms.notes.cleaned_data["notes"],
            revision=forms.notes.cleaned_data.get("revision"),
            by=membership,
        )
        GuardOverride.record_from(forms.notes, membership=membership, obj=reflection)
        if forms.wants_item and forms.item is not None:
            item = forms.item.save(commit=False)
            if step.kind == StepKind.AGREEMENTS:
                item.organisation = reflection.organisation
                item.reflection = reflection
            else:
                item.step = step
            item.save()
            forms.item.save_m2m()
            GuardOverride.record_from(forms.item, membership=membership, obj=reflection)
        if forms.cite is not None:
            reflection.cite(
                values=list(forms.cite.cleaned_data["values"]),
                guidelines=list(forms.cite.cleaned_data["guidelines"]),
            )
        if forms.position is not None:
            step.write_position(membership, forms.position.cleaned_data["body"])
            GuardOverride.record_from(
                forms.position, membership=membership, obj=reflection
            )
        record_request(request, AuditAction.CHANGE, reflection)
    return conflict


def _press_button(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    then: str,
    forms: _StepForms,
    conflict: bool,
) -> HttpResponse:
    """What the pressed button does once everything typed is saved."""
    target = _go_to(then, step, list(reflection.steps.all()))
    if target is not None:
        reflection.move_to(target)
        return _step_redirect(reflection, target)
    if then == "timer" and step.minutes:
        step.start_timer()
    elif then == "reveal" and step.kind == StepKind.POSITIONS and not step.revealed:
        step.reveal()
    elif then in {"names", "no-names"} and step.kind == StepKind.POSITIONS:
        anonymous = then == "no-names"
        # Once revealed with names, hiding them later hides nothing.
        if step.revealed is None or anonymous:
            reflection.anonymous_positions = anonymous
            reflection.save(update_fields=["anonymous_positions"])
    elif then == "sign_off":
        return redirect(
            "reflections:sign_off",
            org=reflection.organisation.slug,
            reflection_uuid=reflection.uuid,
        )
    elif action := _item_action(then):
        return _item_button(request, reflection, step, *action)
    elif forms.wants_item:
        messages.success(request, _("It was added."))
    elif not conflict:
        messages.success(request, _("Saved."))
    return _step_redirect(reflection, step.position)


def _item_button(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    verb: str,
    item_id: int,
) -> HttpResponse:
    """Delete an item of the step, or open it for a change."""
    model = ITEM_MODELS.get(step.kind)
    items = _items(reflection, step)
    item = get_object_or_404(items, pk=item_id) if model else None
    if item is None:
        raise Http404
    if verb == "delete":
        item.delete()
        messages.success(request, _("It was deleted."))
        return _step_redirect(reflection, step.position)
    return redirect(
        "reflections:item_change",
        org=reflection.organisation.slug,
        reflection_uuid=reflection.uuid,
        position=step.position,
        item_id=item.pk,
    )


@require_POST
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def step_notes(
    request: OrgRequest, reflection_uuid: UUID, position: int
) -> HttpResponse:
    """The notes alone, saved as they are typed (htmx) or by a plain post."""
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position)
    form = NotesForm(request.POST, instance=step, prefix="notes")
    if not form.is_valid():
        return _render_step(
            request, reflection, step, "notes-status", 422, notes_form=form
        )
    with transaction.atomic():
        conflict = step.save_notes(
            form.cleaned_data["notes"],
            revision=form.cleaned_data.get("revision"),
            by=request.membership,
        )
        GuardOverride.record_from(form, membership=request.membership, obj=reflection)
        record_request(request, AuditAction.CHANGE, reflection)
    if not request.htmx:
        return _step_redirect(reflection, position)
    if conflict:
        # The page gets the kept texts back in place of what it shows.
        response = _render_step(request, reflection, step, "notes", conflict=True)
        return retarget(reswap(response, "outerHTML"), "#notes")
    return _render_step(request, reflection, step, "notes-status", saved=True)


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def item_change(
    request: OrgRequest, reflection_uuid: UUID, position: int, item_id: int
) -> HttpResponse:
    """Change an option, a party or an action before sign-off."""
    reflection = _get_led_reflection(request, reflection_uuid)
    step = _get_step(reflection, position)
    items = _items(reflection, step)
    if items is None:
        raise Http404
    item = get_object_or_404(items, pk=item_id)
    form = _item_form(
        reflection, step, request.POST if request.method == "POST" else None, item
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_request(request, AuditAction.CHANGE, reflection)
        messages.success(request, _("The changes were saved."))
        return _step_redirect(reflection, position)
    record_request(request, AuditAction.READ, reflection)
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
    reflection = _get_reflection(request, reflection_uuid)
    step = _get_step(reflection, position, StepKind.POSITIONS)
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
            record_request(request, AuditAction.CHANGE, reflection)
        if not request.htmx:
            messages.success(request, _("Your position was saved."))
            if following:
                return redirect(
                    "reflections:live",
                    org=reflection.organisation.slug,
                    reflection_uuid=reflection.uuid,
                )
            return _step_redirect(reflection, position)
        return _render_step(request, reflection, step, "position-status", saved=True)
    return _render_step(
        request,
        reflection,
        step,
        "position-status" if request.htmx else None,
        422,
        position_form=form,
        following=following,
    )


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
    concluding = reflection.conclusion_step()
    form = SignOffForm(
        request.POST or None,
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
            "mine": paginate(request, actions.open().filter(owner=membership)),
            "overdue": (
                paginate(
                    request, actions.overdue().in_units(managed), param="overdue_page"
                )
                if managed
                else None
            ),
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
