"""A draft: started, its details edited, adopted or discarded. Editors only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action as AuditAction
from audit.models import record_request
from organisations.access import OrgRequest, member_required
from organisations.models import Capability
from values import forms
from values.models import (
    CitedElsewhereError,
    ImmutableVersionError,
    Version,
)

from .common import (
    Document,
    edit_url,
    get_base,
    get_draft,
)
from .items import KINDS


@require_POST
@member_required(Capability.EDIT_VALUES)
def draft_start(request: OrgRequest, base: str) -> HttpResponse:
    value_base = get_base(request, base)
    existing = value_base.draft()
    if existing is not None:
        messages.info(request, _("There is already a draft; continue with it."))
        return redirect(edit_url(existing))
    latest = value_base.latest_adopted()
    try:
        with transaction.atomic():
            if latest is not None:
                draft = latest.start_next_draft(author=request.membership.user)
            else:
                draft = Version.objects.create(
                    value_base=value_base,
                    number=(value_base.versions.aggregate(m=Max("number"))["m"] or 0)
                    + 1,
                    title=value_base.name,
                    author=request.membership.user,
                )
    except IntegrityError:
        # Another editor started one at the same moment.
        messages.info(request, _("There is already a draft; continue with it."))
        return redirect("values:version_list", org=request.organisation.slug, base=base)
    messages.success(
        request,
        _("A draft of version %(number)s was started as a copy of the latest version.")
        % {"number": draft.number},
    )
    return redirect(edit_url(draft))


@require_GET
@member_required(Capability.EDIT_VALUES)
def draft_edit(request: OrgRequest, base: str, number: int) -> HttpResponse:
    draft = get_draft(request, base, number)
    return render(
        request,
        "values/draft_edit.html",
        {
            "value_base": draft.value_base,
            "version": draft,
            "document": Document(draft),
            "kinds": KINDS,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
def draft_details(request: OrgRequest, base: str, number: int) -> HttpResponse:
    draft = get_draft(request, base, number)
    form = forms.DraftDetailsForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The draft's details were saved."))
        return redirect(edit_url(draft))
    return render(
        request,
        "values/draft_details.html",
        {"value_base": draft.value_base, "version": draft, "form": form},
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
def adopt(request: OrgRequest, base: str, number: int) -> HttpResponse:
    draft = get_draft(request, base, number)
    value_base = draft.value_base
    current = value_base.versions.filter(status=Version.Status.ADOPTED).first()
    form = forms.AdoptForm(request.POST or None, current=current)
    cited: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            _adopt(request, draft, form.cleaned_data)
        except CitedElsewhereError as error:
            cited = error.reflections
            _say_cited_elsewhere(form)
        except (ValueError, ImmutableVersionError, IntegrityError):
            _say_adopted_meanwhile(form)
        else:
            return _adopted(request, draft)
    return render(
        request,
        "values/adopt.html",
        {
            "value_base": value_base,
            "version": draft,
            "current": current,
            "form": form,
            "cited": cited,
        },
    )


def _adopt(request: OrgRequest, draft: Version, data: dict[str, Any]) -> None:
    """Adopt the draft as the form says, recorded in the audit log."""
    with transaction.atomic():
        draft.adopt(
            adopted_on=data["adopted_on"],
            adopted_by=data["adopted_by"],
            effective_from=data["effective_from"],
            retroactive_reason=data["retroactive_reason"],
            asks_acknowledgement=data["asks_acknowledgement"],
        )
        record_request(request, AuditAction.ADOPT, draft, detail=draft.adoption_summary)


def _say_cited_elsewhere(form: forms.AdoptForm) -> None:
    """Signed-off reflections from the effective date on cite another version."""
    form.add_error(
        "effective_from",
        _(
            "From this date the version cannot be in force: signed-off "
            "reflections held since then cite the version that was in "
            "force on their day (listed below). Choose a date after the "
            "last of them."
        ),
    )


def _say_adopted_meanwhile(form: forms.AdoptForm) -> None:
    """Another editor adopted a version while this one filled in the form."""
    form.add_error(
        None,
        _(
            "The version could not be adopted: another version was adopted "
            "at the same time. Check the list of versions and try again."
        ),
    )


def _adopted(request: OrgRequest, draft: Version) -> HttpResponse:
    """Say so, and show the adopted version."""
    # Adopted, so it carries its dates (values_version_adoption_record).
    assert draft.effective_from is not None
    messages.success(
        request,
        _("Version %(number)s was adopted. It is in force from %(date)s.")
        % {
            "number": draft.number,
            "date": date_format(draft.effective_from, "DATE_FORMAT"),
        },
    )
    return redirect(
        "values:version_detail",
        org=request.organisation.slug,
        base=draft.value_base.slug,
        number=draft.number,
    )


@require_POST
@member_required(Capability.EDIT_VALUES)
def discard(request: OrgRequest, base: str, number: int) -> HttpResponse:
    draft = get_draft(request, base, number)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the draft should go."))
        return redirect(edit_url(draft))
    with transaction.atomic():
        record_request(request, AuditAction.DISCARD, draft)
        draft.delete()
    messages.success(request, _("The draft was discarded."))
    return redirect("values:version_list", org=request.organisation.slug, base=base)
