"""The page of one step of a session: what it shows and the forms on it."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.forms import BaseForm, ModelForm
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from meetings.models import invitee_count, leads_group
from organisations.access import OrgRequest
from organisations.models import Membership
from reflections.forms import (
    ActionForm,
    CitationForm,
    NotesForm,
    OptionForm,
    PerspectiveForm,
    PositionForm,
)
from reflections.models import (
    Citation,
    Reflection,
    ReflectionStep,
    StepKind,
)
from reflections.plan import next_kept, plan_of

# The forms of a step, each with its prefix: on the facilitator's page they
# are one form, so that whatever button is pressed, everything typed is saved.
ITEM_FORMS: dict[str, type[ModelForm[Any]]] = {
    StepKind.OPTIONS: OptionForm,
    StepKind.PERSPECTIVES: PerspectiveForm,
    StepKind.AGREEMENTS: ActionForm,
}
# Steps where values and guidelines typically come up, so they can be cited there.
CITING_KINDS = {StepKind.PERSPECTIVES, StepKind.POSITIONS}


def step_items(reflection: Reflection, step: ReflectionStep) -> QuerySet[Any] | None:
    if step.kind == StepKind.OPTIONS:
        return step.options.all()
    if step.kind == StepKind.PERSPECTIVES:
        return step.perspectives.prefetch_related("values")
    if step.kind == StepKind.AGREEMENTS:
        return reflection.actions.select_related("owner__user", "follow_up")
    return None


def make_item_form(
    reflection: Reflection,
    step: ReflectionStep,
    data: QueryDict | None = None,
    instance: Model | None = None,
) -> ModelForm[Any] | None:
    form_class = ITEM_FORMS.get(step.kind)
    if form_class is None:
        return None
    kwargs: dict[str, Any] = {"prefix": "item", "instance": instance}
    if form_class is not OptionForm:
        kwargs["reflection"] = reflection
    return form_class(data, **kwargs)


def typed_into(form: BaseForm) -> bool:
    """Did the person type or choose anything in this (bound) form?"""
    for name in form.fields:
        if name in {"save_anyway_reason", "confirm_past_due"}:
            continue
        key = form.add_prefix(name)
        values = form.data.getlist(key) if hasattr(form.data, "getlist") else []
        if any(str(value).strip() for value in values):
            return True
    return False


def cites_here(reflection: Reflection, step: ReflectionStep) -> bool:
    return reflection.version_id is not None and (
        step.kind in CITING_KINDS or step.concludes
    )


def citation_form(
    reflection: Reflection,
    data: QueryDict | None = None,
    cited: list[Citation] | None = None,
) -> CitationForm:
    """The form of the cited values and guidelines; `cited` when already read."""
    if cited is None:
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


def position_count(reflection: Reflection, step: ReflectionStep) -> tuple[int, int]:
    """How many have written, of how many take part."""
    return step.positions.count(), invitee_count(reflection.group)


def written_count(step: ReflectionStep) -> int:
    """How many have written a position: only a positions step takes them."""
    return step.positions.count() if step.kind == StepKind.POSITIONS else 0


def pulse_state(
    reflection: Reflection,
    step: ReflectionStep,
    steps: list[ReflectionStep],
    written: int,
) -> str:
    """A short token that changes whenever a participant's page should.

    `steps` are all the session's steps and `written` is `written_count(step)`,
    both as the page read them: the token costs no query of its own.
    """
    parts = [
        reflection.current_step,
        reflection.status,
        step.pk,
        step.notes_revision,
        step.revealed,
        step.timer_started,
        written,
        reflection.anonymous_positions,
        # A changed plan or a pause shows on every page that follows.
        reflection.paused,
        [(s.minutes, s.skipped) for s in steps],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def step_context(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    *,
    following: bool = False,
    confirm_reveal: bool = False,
    partial: str | None = None,
    state: str | None = None,
    written: int | None = None,
    **forms: Any,
) -> dict[str, Any]:
    """What the step page shows; for the polled `pulse` region alone, only
    what that region needs. `state` and `written` when the view already has
    them (session_pulse)."""
    membership = request.membership
    can_lead = leads_group(membership, reflection.group)
    editable = can_lead and not reflection.is_signed_off and not reflection.erased
    steps = list(reflection.steps.all())
    if written is None:
        written = written_count(step)
    context: dict[str, Any] = {
        "reflection": reflection,
        "step": step,
        "editable": editable,
        "following": following,
        "state": state or pulse_state(reflection, step, steps, written),
        "poll_seconds": settings.REFLECTION_POLL_SECONDS,
        "now": timezone.now(),
    }
    if step.kind == StepKind.POSITIONS:
        # How many have written, of how many take part.
        context["written"] = written
        context["taking_part"] = invitee_count(reflection.group)
    if partial == "pulse":
        return context
    context.update(
        _page_context(
            membership,
            reflection,
            step,
            steps,
            can_lead=can_lead,
            editable=editable,
            confirm_reveal=confirm_reveal,
            forms=forms,
        )
    )
    return context


def _page_context(
    membership: Membership,
    reflection: Reflection,
    step: ReflectionStep,
    steps: list[ReflectionStep],
    *,
    can_lead: bool,
    editable: bool,
    confirm_reveal: bool,
    forms: dict[str, Any],
) -> dict[str, Any]:
    """What the whole step page shows besides the pulse region."""
    # Read once for the labels and the facilitator's citation form.
    citations = (
        list(reflection.citations.select_related("value", "guideline"))
        if step.kind in CITING_KINDS or (editable and cites_here(reflection, step))
        else []
    )
    context: dict[str, Any] = {
        "dilemma": reflection.dilemma,
        "practice": reflection.practice_text(),
        "author": reflection.author_shown_to(membership),
        "steps": steps,
        "total": len(steps),
        # Moving on passes the steps the plan skips.
        "previous": next_kept(steps, step.position, -1),
        "next": next_kept(steps, step.position, 1),
        "plan": plan_of(reflection, steps, timezone.now()),
        "can_lead": can_lead,
        "saved": forms.get("saved", False),
        "conflict": forms.get("conflict", False),
        "items": step_items(reflection, step),
        # Labels, not citations: a citation holds a value or a guideline,
        # and the page must not reach through the one that is empty.
        "cited": ([str(c) for c in citations] if step.kind in CITING_KINDS else []),
    }
    if editable:
        context.update(_editor_forms(reflection, step, forms, citations))
    if step.kind == StepKind.POSITIONS:
        context.update(
            _positions_context(
                step,
                membership,
                # The facilitator asked to reveal before half had written.
                confirm_reveal=editable and confirm_reveal,
                position_form=forms.get("position_form"),
            )
        )
    return context


def _editor_forms(
    reflection: Reflection,
    step: ReflectionStep,
    forms: dict[str, Any],
    citations: list[Citation],
) -> dict[str, Any]:
    """The facilitator's forms of the step: as posted, or fresh."""
    context: dict[str, Any] = {
        "notes_form": forms.get("notes_form")
        or NotesForm(
            instance=step, prefix="notes", initial={"revision": step.notes_revision}
        ),
        "item_form": forms.get("item_form") or make_item_form(reflection, step),
    }
    if cites_here(reflection, step):
        context["cite_form"] = forms.get("cite_form") or citation_form(
            reflection, cited=citations
        )
    return context


def _positions_context(
    step: ReflectionStep,
    membership: Membership,
    *,
    confirm_reveal: bool,
    position_form: PositionForm | None,
) -> dict[str, Any]:
    """What a positions step shows the reader: their own, the reveal."""
    # Before the reveal the reader sees their own alone; after it, their own
    # is among everyone's. Either way one query.
    positions = step.positions_visible_to(membership)
    own = next((p for p in positions if p.membership_id == membership.pk), None)
    return {
        "positions": positions,
        "own_position": own,
        "confirm_reveal": confirm_reveal and step.revealed is None,
        "position_form": position_form or PositionForm(instance=own, prefix="position"),
    }


def render_step(
    request: OrgRequest,
    reflection: Reflection,
    step: ReflectionStep,
    partial: str | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    """The step page, or only the region a form swapped when htmx asks."""
    template = "reflections/step.html"
    if request.htmx and partial:
        template += f"#{partial}"
        forms["partial"] = partial
    response = render(
        request,
        template,
        step_context(request, reflection, step, **forms),
        status=status,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
