"""Putting a dilemma on a meeting's agenda, and opening its reflection there."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Action as AuditAction
from audit.models import record_request
from dilemmas.models import Dilemma
from dilemmas.views import get_dilemma
from meetings.models import leads_group
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability
from reflections.forms import AgendaForm
from reflections.models import AgendaItem, Reflection, open_reflection

from .lookups import record_case, step_redirect


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
        record_case(request, AuditAction.CREATE, reflection)
    return step_redirect(reflection, reflection.current_step)
