"""Reflection methods: the list, one method, and a group's own copy of one."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.access import OrgRequest, member_required
from organisations.models import Capability
from reflections.forms import CopyMethodForm, MethodForm, StepFormSet
from reflections.models import Method


def _get_method(request: OrgRequest, method_uuid: UUID) -> Method:
    method: Method = get_object_or_404(
        Method.objects.seeded_for(request.organisation), uuid=method_uuid
    )
    return method


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
