"""The practice library: the list, one case, and an organisation's own cases.

Practice cases are fictional (or rewritten until nobody can be recognised), so
reading one is not an audited reading of case text. Adding and changing an
organisation's own cases takes the capability that changes its reflection
methods: both are the material facilitators run sessions with.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dilemmas.models import GuardOverride
from lib.pagination import paginate
from organisations.access import OrgRequest, member_required
from organisations.models import Capability

from .forms import AreaFilterForm, PracticeCaseForm
from .models import Area, PracticeCase


def get_practice_case(request: OrgRequest, case_uuid: UUID) -> PracticeCase:
    """A case of the library the member's organisation reads; else 404."""
    case: PracticeCase = get_object_or_404(
        PracticeCase.objects.library_for(request.organisation), uuid=case_uuid
    )
    return case


def _redirect_to(request: OrgRequest, case: PracticeCase) -> HttpResponse:
    return redirect(
        "practice:detail", org=request.organisation.slug, case_uuid=case.uuid
    )


@require_GET
@member_required()
def case_list(request: OrgRequest) -> HttpResponse:
    form = AreaFilterForm(request.GET or None)
    cases = PracticeCase.objects.library_for(request.organisation)
    if form.is_valid():
        if area := form.cleaned_data["area"]:
            cases = cases.filter(area=area)
        if form.cleaned_data["own"]:
            cases = cases.own(request.organisation)
    areas = dict(Area.choices)
    page = paginate(request, cases)
    rows = [
        {
            "case": case,
            "title": case.text().title,
            "area": areas.get(case.area, case.area),
            "own": not case.is_builtin,
        }
        for case in page
    ]
    return render(
        request,
        "practice/list.html",
        {
            "form": form,
            "cases": page,
            "rows": rows,
            "may_add": request.membership.can(Capability.FACILITATE),
        },
    )


@require_GET
@member_required()
def case_detail(request: OrgRequest, case_uuid: UUID) -> HttpResponse:
    case = get_practice_case(request, case_uuid)
    may_facilitate = request.membership.can(Capability.FACILITATE)
    return render(
        request,
        "practice/detail.html",
        {
            "case": case,
            "text": case.text(),
            # The note tells how to steer the conversation; participants meet
            # the case without it.
            "show_note": may_facilitate,
            "may_change": may_facilitate and not case.is_builtin,
            "may_run": may_facilitate,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
def case_create(request: OrgRequest) -> HttpResponse:
    form = PracticeCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.organisation = request.organisation
            form.instance.created_by = request.membership
            case = form.save()
            GuardOverride.record_from(form, membership=request.membership, obj=case)
        messages.success(request, _("The practice case was added to the library."))
        return _redirect_to(request, case)
    return render(request, "practice/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
def case_change(request: OrgRequest, case_uuid: UUID) -> HttpResponse:
    case = get_practice_case(request, case_uuid)
    if case.is_builtin:
        # Shipped with the product: read by every organisation, changed by none.
        raise PermissionDenied
    form = PracticeCaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            GuardOverride.record_from(form, membership=request.membership, obj=case)
        messages.success(request, _("The practice case was saved."))
        return _redirect_to(request, case)
    return render(request, "practice/form.html", {"form": form, "case": case})
