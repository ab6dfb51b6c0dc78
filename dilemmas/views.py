from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action, record_request
from lib.pagination import paginate
from meetings.models import leads_group
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability

from .forms import DilemmaForm, StatusForm
from .models import Dilemma, GuardOverride


def get_dilemma(request: OrgRequest, dilemma_uuid: UUID) -> Dilemma:
    return get_object_or_404(
        Dilemma.objects.for_member(request.membership).select_related(
            "group__unit", "author__user", "organisation"
        ),
        uuid=dilemma_uuid,
    )


def _redirect_to(dilemma: Dilemma) -> HttpResponse:
    return redirect(
        "dilemmas:detail", org=dilemma.organisation.slug, dilemma_uuid=dilemma.uuid
    )


@require_GET
@member_required()
def dilemma_list(request: OrgRequest) -> HttpResponse:
    dilemmas = (
        Dilemma.objects.for_member(request.membership)
        .select_related("group")
        .prefetch_related("tensions")
    )
    show_closed = request.GET.get("closed") == "1"
    if not show_closed:
        dilemmas = dilemmas.open()
    return render(
        request,
        "dilemmas/list.html",
        {"dilemmas": paginate(request, dilemmas), "show_closed": show_closed},
    )


@require_http_methods(["GET", "POST"])
@member_required()
def dilemma_create(request: OrgRequest) -> HttpResponse:
    form = DilemmaForm(
        request.POST or None,
        membership=request.membership,
        initial={"group": request.GET.get("group")},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.organisation = request.organisation
            form.instance.author = request.membership
            dilemma = form.save()
            GuardOverride.record_from(form, membership=request.membership, obj=dilemma)
            record_request(request, Action.CREATE, dilemma)
        messages.success(request, _("The dilemma was raised for the group."))
        return _redirect_to(dilemma)
    return render(request, "dilemmas/form.html", {"form": form})


@require_GET
@member_required()
@audited("dilemma", "dilemma_uuid")
def dilemma_detail(request: OrgRequest, dilemma_uuid: UUID) -> HttpResponse:
    dilemma = get_dilemma(request, dilemma_uuid)
    record_request(request, Action.READ, dilemma)
    can_lead = leads_group(request.membership, dilemma.group)
    return render(
        request,
        "dilemmas/detail.html",
        {
            "dilemma": dilemma,
            "author": dilemma.author_shown_to(request.membership),
            "is_author": dilemma.author_id == request.membership.pk,
            "can_lead": can_lead,
            # The agenda form and the reflections held are reflections' panels
            # (reflections.templatetags.reflections): that app stands above this one.
            "may_plan": can_lead and request.membership.can(Capability.FACILITATE),
            "status_form": StatusForm(initial={"status": dilemma.status}),
            "agenda_items": dilemma.agenda_items.select_related("meeting", "method"),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required()
@audited("dilemma", "dilemma_uuid")
def dilemma_change(request: OrgRequest, dilemma_uuid: UUID) -> HttpResponse:
    dilemma = get_dilemma(request, dilemma_uuid)
    # The author words the case; once it is on an agenda the group owns it.
    if dilemma.author_id != request.membership.pk:
        raise PermissionDenied
    if dilemma.status != Dilemma.Status.RAISED or dilemma.erased:
        raise PermissionDenied
    form = DilemmaForm(
        request.POST or None, instance=dilemma, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            GuardOverride.record_from(form, membership=request.membership, obj=dilemma)
            record_request(request, Action.CHANGE, dilemma)
        messages.success(request, _("The dilemma was saved."))
        return _redirect_to(dilemma)
    # The form shows the case text: a reading, whether first or after an error.
    record_request(request, Action.READ, dilemma)
    return render(request, "dilemmas/form.html", {"form": form, "dilemma": dilemma})


@require_POST
@member_required(Capability.FACILITATE)
@audited("dilemma", "dilemma_uuid")
def dilemma_status(request: OrgRequest, dilemma_uuid: UUID) -> HttpResponse:
    dilemma = get_dilemma(request, dilemma_uuid)
    if not leads_group(request.membership, dilemma.group):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if form.is_valid():
        dilemma.set_status(form.cleaned_data["status"])
        record_request(request, Action.CHANGE, dilemma)
        messages.success(request, _("The status of the dilemma was changed."))
    return _redirect_to(dilemma)
