"""Practice sessions: a practice case run in a group's meeting, and a
signed-off reflection rewritten into a practice case (docs/practice.md).

A practice case is about nobody real, so its sessions are neither audited nor
erased. Turning a reflection into one reads the reflection's case text, which
is audited like any reading, and saves nothing that points back to it.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action as AuditAction
from dilemmas.guard import describe, find_identifiers
from dilemmas.models import GuardOverride
from meetings.models import leads_group
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability
from practice.forms import GUARDED
from practice.views import get_practice_case
from reflections.forms import PracticeFromReflectionForm, PracticeSessionForm
from reflections.models import Reflection, open_practice_reflection

from .lookups import get_reflection, record_case, step_redirect


@require_POST
@member_required(Capability.FACILITATE)
def practice_open(request: OrgRequest, case_uuid: UUID) -> HttpResponse:
    """Start (or find) a session on the practice case in a meeting one leads."""
    case = get_practice_case(request, case_uuid)
    form = PracticeSessionForm(request.POST, membership=request.membership, case=case)
    if not form.is_valid():
        messages.error(
            request, _("Choose a meeting of a group you lead, and a method.")
        )
        return redirect(
            "practice:detail", org=request.organisation.slug, case_uuid=case.uuid
        )
    meeting = form.cleaned_data["meeting"]
    if not leads_group(request.membership, meeting.group):
        raise PermissionDenied
    reflection = open_practice_reflection(
        meeting=meeting,
        case=case,
        method=form.cleaned_data["method"],
        facilitator=request.membership,
    )
    return step_redirect(reflection, reflection.current_step)


def _source(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    """A signed-off reflection on a dilemma that the member leads."""
    reflection = get_reflection(request, reflection_uuid)
    if not leads_group(request.membership, reflection.group):
        raise PermissionDenied
    if not reflection.is_signed_off or reflection.erased or reflection.is_practice:
        raise PermissionDenied
    return reflection


def _initial(reflection: Reflection) -> dict[str, str]:
    dilemma = reflection.dilemma
    assert dilemma is not None  # _source takes sessions on dilemmas only.
    return {
        "title": dilemma.title,
        "situation": dilemma.description,
        "question": dilemma.question,
        "tensions": "\n".join(t.title for t in dilemma.tensions.all()),
        "note": reflection.conclusion,
    }


def _findings(form: PracticeFromReflectionForm, texts: dict[str, str]) -> list[str]:
    """What the identifier guard finds in the case as it stands, field by field."""
    found = []
    for name in GUARDED:
        text = texts.get(name) or ""
        if matches := find_identifiers(text):
            label = form.fields[name].label
            found += [f"{label}: {message}" for message in describe(text, matches)]
    return found


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def practice_from_reflection(
    request: OrgRequest, reflection_uuid: UUID
) -> HttpResponse:
    """Review a signed-off reflection's case and save it, rewritten, as a
    practice case of the organisation."""
    reflection = _source(request, reflection_uuid)
    form = PracticeFromReflectionForm(
        request.POST or None, initial=_initial(reflection)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.organisation = request.organisation
            form.instance.created_by = request.membership
            case = form.save()
            GuardOverride.record_from(form, membership=request.membership, obj=case)
        messages.success(
            request,
            _(
                "The practice case was added to the library. It does not refer "
                "back to the reflection."
            ),
        )
        return redirect(
            "practice:detail", org=request.organisation.slug, case_uuid=case.uuid
        )
    # The form shows the case text: a reading, whether first or after an error.
    record_case(request, AuditAction.READ, reflection)
    texts = form.data if form.is_bound else form.initial
    return render(
        request,
        "reflections/practice_from.html",
        {
            "reflection": reflection,
            "form": form,
            "findings": _findings(form, {k: str(texts.get(k, "")) for k in GUARDED}),
        },
    )
