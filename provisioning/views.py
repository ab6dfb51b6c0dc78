"""The administrator's page for the directory: tokens, rules and sign-in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action, record_request
from organisations.access import OrgRequest, member_required
from organisations.models import Capability

from .forms import IdentitySettingsForm, MappingForm, TokenForm
from .models import IdentityMapping, IdentitySettings, ScimToken


def _settings(request: OrgRequest) -> IdentitySettings:
    found = IdentitySettings.objects.for_organisation(request.organisation).first()
    return found or IdentitySettings(organisation=request.organisation)


def _page(request: OrgRequest, status: int = 200, **forms: Any) -> HttpResponse:
    organisation = request.organisation
    context = {
        "tokens": ScimToken.objects.for_organisation(organisation),
        "mappings": IdentityMapping.objects.for_organisation(
            organisation
        ).select_related("unit"),
        "token_form": forms.get("token_form") or TokenForm(),
        "mapping_form": forms.get("mapping_form")
        or MappingForm(organisation=organisation),
        "sign_in_form": forms.get("sign_in_form")
        or IdentitySettingsForm(instance=_settings(request)),
        "secret": forms.get("secret", ""),
        "scim_url": request.build_absolute_uri(reverse("scim:users"))[: -len("Users")],
    }
    return render(request, "provisioning/index.html", context, status=status)


@require_http_methods(["GET"])
@member_required(Capability.ADMINISTER)
def index(request: OrgRequest) -> HttpResponse:
    return _page(request)


@require_POST
@member_required(Capability.ADMINISTER)
def token_add(request: OrgRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, 400, token_form=form)
    with transaction.atomic():
        token, secret = ScimToken.issue(
            request.organisation, form.cleaned_data["name"], request.user
        )
        record_request(request, Action.CREATE, token)
    # The secret is shown on this answer only; it is kept nowhere.
    return _page(request, secret=secret)


@require_POST
@member_required(Capability.ADMINISTER)
def token_revoke(request: OrgRequest, token_uuid: UUID) -> HttpResponse:
    token = (
        ScimToken.objects.for_organisation(request.organisation)
        .in_use()
        .filter(uuid=token_uuid)
        .first()
    )
    if token is None:
        raise Http404
    with transaction.atomic():
        token.revoke()
        record_request(request, Action.DEACTIVATE, token)
    messages.success(
        request,
        _("The token %(token)s was revoked. The directory can no longer use it.")
        % {"token": token.name},
    )
    return redirect("provisioning:index", org=request.organisation.slug)


@require_POST
@member_required(Capability.ADMINISTER)
def mapping_add(request: OrgRequest) -> HttpResponse:
    form = MappingForm(request.POST, organisation=request.organisation)
    if not form.is_valid():
        return _page(request, 400, mapping_form=form)
    with transaction.atomic():
        mapping = form.save()
        record_request(
            request,
            Action.CREATE,
            mapping,
            detail=f"{mapping.unit or '-'}, {mapping.get_role_display() or '-'}",
        )
    messages.success(request, _("The rule was added."))
    return redirect("provisioning:index", org=request.organisation.slug)


@require_POST
@member_required(Capability.ADMINISTER)
def mapping_delete(request: OrgRequest, mapping_id: int) -> HttpResponse:
    mapping = (
        IdentityMapping.objects.for_organisation(request.organisation)
        .filter(pk=mapping_id)
        .first()
    )
    if mapping is None:
        raise Http404
    with transaction.atomic():
        record_request(request, Action.DELETE, mapping)
        mapping.delete()
    messages.success(request, _("The rule was removed."))
    return redirect("provisioning:index", org=request.organisation.slug)


@require_POST
@member_required(Capability.ADMINISTER)
def sign_in_settings(request: OrgRequest) -> HttpResponse:
    form = IdentitySettingsForm(request.POST, instance=_settings(request))
    if not form.is_valid():
        return _page(request, 400, sign_in_form=form)
    with transaction.atomic():
        saved = form.save()
        record_request(
            request,
            Action.CHANGE,
            saved,
            detail=gettext_lazy("on") if saved.sign_in_decides else gettext_lazy("off"),
        )
    messages.success(request, _("The sign-in settings were saved."))
    return redirect("provisioning:index", org=request.organisation.slug)
