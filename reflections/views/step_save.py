"""The facilitator's step form: everything typed is saved, then the button acts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.forms import BaseForm, ModelForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Action as AuditAction
from audit.models import record_request
from dilemmas.models import GuardOverride
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability
from reflections.forms import CitationForm, NotesForm, PositionForm
from reflections.models import Reflection, ReflectionStep, StepKind
from reflections.plan import next_kept

from .lookups import get_led_reflection, get_step, step_redirect
from .step_page import (
    citation_form,
    cites_here,
    make_item_form,
    position_count,
    render_step,
    step_items,
    typed_into,
)

# The facilitator's reveal button, and the one that confirms it.
REVEAL = {"reveal", "reveal-anyway"}


def _go_to(then: str, step: ReflectionStep, steps: list[ReflectionStep]) -> int | None:
    """The step a navigation button asks for, or None for staying."""
    positions = {s.position for s in steps}
    if then in {"next", "previous"}:
        # The steps the plan skips are passed by.
        found = next_kept(steps, step.position, 1 if then == "next" else -1)
        return found.position if found else None
    if then.startswith("go-") and then[3:].isascii() and then[3:].isdigit():
        target = int(then[3:])
        return target if target in positions else None
    return None


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
    reflection = get_led_reflection(request, reflection_uuid)
    step = get_step(reflection, position)
    then = request.POST.get("then", "save")
    forms = _StepForms.bind(request, reflection, step, then)
    if not forms.are_valid():
        return render_step(
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
    item: ModelForm[Any] | None
    wants_item: bool
    cite: CitationForm | None
    position: PositionForm | None

    @classmethod
    def bind(
        cls,
        request: OrgRequest,
        reflection: Reflection,
        step: ReflectionStep,
        then: str,
    ) -> _StepForms:
        item_form = make_item_form(reflection, step, request.POST)
        cite_form = (
            citation_form(reflection, request.POST)
            if "cite-present" in request.POST and cites_here(reflection, step)
            else None
        )
        position_form = None
        if step.kind == StepKind.POSITIONS and step.revealed is None:
            own = step.positions.filter(membership=request.membership).first()
            position_form = PositionForm(request.POST, instance=own, prefix="position")
            if not typed_into(position_form):
                position_form = None
        return cls(
            notes=NotesForm(request.POST, instance=step, prefix="notes"),
            item=item_form,
            wants_item=item_form is not None
            and (then == "add" or typed_into(item_form)),
            cite=cite_form,
            position=position_form,
        )

    def are_valid(self) -> bool:
        parts: list[BaseForm | None] = [self.notes]
        parts.append(self.item if self.wants_item else None)
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
        return step_redirect(reflection, target)
    if then == "timer" and step.minutes:
        step.start_timer()
    elif then in REVEAL and step.kind == StepKind.POSITIONS and not step.revealed:
        written, taking_part = position_count(reflection, step)
        if then == "reveal" and 2 * written < taking_part:
            # Fewer than half have written: the facilitator confirms first.
            return step_redirect(reflection, step.position, query="reveal=confirm")
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
    return step_redirect(reflection, step.position)


def _item_button(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    verb: str,
    item_id: int,
) -> HttpResponse:
    """Delete an item of the step, or open it for a change."""
    items = step_items(reflection, step)
    if items is None:
        raise Http404
    item = get_object_or_404(items, pk=item_id)
    if verb == "delete":
        item.delete()
        messages.success(request, _("It was deleted."))
        return step_redirect(reflection, step.position)
    return redirect(
        "reflections:item_change",
        org=reflection.organisation.slug,
        reflection_uuid=reflection.uuid,
        position=step.position,
        item_id=item.pk,
    )
