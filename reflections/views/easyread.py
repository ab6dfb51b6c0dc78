"""The easy-read answer the person can keep: written after sign-off, printed.

Written by whoever leads the group (its facilitators and the managers of its
unit), read and printed by them alone: the participants take part in the
reflection, the summary is for the person it is about (docs/reflections.md).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action as AuditAction
from audit.models import record_request
from dilemmas.models import GuardOverride
from meetings.models import leads_group
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability
from reflections.forms import EasyReadForm
from reflections.models import EasyRead, Reflection, prose

from .lookups import get_reflection

# The audit detail of every reading, change and printing of the summary.
EASY_READ_AUDIT_DETAIL = gettext_lazy("Easy-read summary for the person")


def _led(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    reflection = get_reflection(request, reflection_uuid)
    if reflection.is_practice:
        # A practice case is fictional: there is no person to write to.
        raise Http404
    if not leads_group(request.membership, reflection.group):
        raise PermissionDenied
    return reflection


def _summary(reflection: Reflection) -> EasyRead | None:
    try:
        return reflection.easy_read
    except ObjectDoesNotExist:
        return None


def _writable(reflection: Reflection) -> bool:
    return reflection.is_signed_off and not reflection.erased


def _checking(request: OrgRequest) -> bool:
    """The facilitator asked how easy the text reads: show it again, unsaved."""
    return request.POST.get("check") == "readability"


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def easy_read_edit(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = _led(request, reflection_uuid)
    summary = _summary(reflection)
    writable = _writable(reflection)
    if request.method == "POST" and not writable:
        messages.error(request, _not_yet(reflection))
        return redirect(
            "reflections:easy_read",
            org=reflection.organisation.slug,
            reflection_uuid=reflection.uuid,
        )
    form = EasyReadForm(
        request.POST if request.method == "POST" else None, instance=summary
    )
    if request.method == "POST" and _checking(request):
        # Nothing is saved or checked for identifiers yet: the text comes back
        # as typed, with its readability.
        form = EasyReadForm(initial=request.POST.dict(), instance=summary)
    elif request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.reflection = reflection
            saved.written_by = request.membership
            saved.save()
            GuardOverride.record_from(
                form, membership=request.membership, obj=reflection
            )
            record_request(
                request, AuditAction.CHANGE, reflection, detail=EASY_READ_AUDIT_DETAIL
            )
        messages.success(request, _("The easy-read summary was saved."))
        return redirect(
            "reflections:easy_read",
            org=reflection.organisation.slug,
            reflection_uuid=reflection.uuid,
        )
    else:
        record_request(
            request, AuditAction.READ, reflection, detail=EASY_READ_AUDIT_DETAIL
        )
    return render(
        request,
        "reflections/easy_read.html",
        {
            "reflection": reflection,
            "summary": summary,
            "form": form if writable else None,
            "not_yet": "" if writable else _not_yet(reflection),
            "prose": _prose_of(form),
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


def _prose_of(form: EasyReadForm) -> str:
    def value(name: str) -> str:
        found: Any = form[name].value()
        return found if isinstance(found, str) else ""

    return prose(value("talked_about"), value("will_do"))


def _not_yet(reflection: Reflection) -> str:
    if reflection.erased:
        return _(
            "The texts of this case were erased under the retention rule, the "
            "easy-read summary with them."
        )
    return _(
        "The easy-read summary is written after sign-off, once the group has "
        "agreed what to do. Sign off the reflection first."
    )


@require_GET
@member_required(Capability.FACILITATE)
@audited("reflection", "reflection_uuid")
def easy_read_print(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """One page for the person; every opening of it is recorded as printed."""
    reflection = _led(request, reflection_uuid)
    summary = _summary(reflection)
    ready = summary is not None and not summary.is_empty and not reflection.erased
    if ready:
        record_request(
            request, AuditAction.PRINT, reflection, detail=EASY_READ_AUDIT_DETAIL
        )
    else:
        record_request(
            request, AuditAction.READ, reflection, detail=EASY_READ_AUDIT_DETAIL
        )
    return render(
        request,
        "reflections/easy_read_print.html",
        {
            "reflection": reflection,
            "summary": summary if ready else None,
            "organisation": reflection.organisation,
            "can_write": _writable(reflection),
        },
    )
