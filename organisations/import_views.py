"""Importing from files: members from an HR system's list (upload, preview,
confirm), and a new organisation's units."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.tasks import TaskResultStatus
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_tasks_db.models import DBTaskResult

from audit.models import Action, AuditEvent, prepare_request
from core.uploads import refuse_large_uploads, upload_limit
from lib.pagination import paginate

from .access import OrgRequest, member_required
from .forms import MemberImportConfirmForm, MemberImportForm, UnitImportForm
from .memberimport import HEADERS, FileError, Outcome, plan, read_members
from .memberimport_apply import ErrorsNotAccepted, confirm_import
from .models import Capability, ImportState, MemberImport
from .unitimport import import_units

# A list of 10,000 people with a dozen columns each fits in this.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
PREVIEW_ROWS = 100
# The import's page asks again this often while the worker has it (htmx).
POLL_SECONDS = 3


def _get_import(request: OrgRequest, import_uuid: UUID) -> MemberImport:
    """An import this administrator uploaded and has not confirmed."""
    member_import: MemberImport = get_object_or_404(
        MemberImport.objects.for_organisation(request.organisation)
        .waiting()
        .filter(created_by=request.membership),
        uuid=import_uuid,
    )
    return member_import


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
@upload_limit(MAX_IMPORT_BYTES)
def member_import(request: OrgRequest) -> HttpResponse:
    form = MemberImportForm(request.POST or None, request.FILES or None)
    refuse_large_uploads(request, form)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            reading = read_members(upload.read())
        except FileError as error:
            form.add_error("file", str(error))
        else:
            MemberImport.objects.for_organisation(request.organisation).stale().delete()
            member_import = MemberImport.objects.create(
                organisation=request.organisation,
                created_by=request.membership,
                filename=(upload.name or "")[:200],
                rows=reading.rows,
                columns=reading.columns,
                ignored=reading.ignored,
            )
            return redirect(
                "organisations:member_import_preview",
                org=request.organisation.slug,
                import_uuid=member_import.uuid,
            )
    return render(
        request,
        "organisations/member_import.html",
        {"form": form, "headers": _header_examples()},
    )


def _header_examples() -> list[tuple[str, str]]:
    labels = {
        "email": _("E-mail address (needed)"),
        "name": _("Name, or first and last name"),
        "unit": _("Unit, by its name"),
        "unit_code": _("Unit, by its code"),
        "role": _("Role"),
        "audiences": _("Guideline audiences, separated by semicolons"),
    }
    examples = {
        "email": "E-post, E-mail, E-mailadresse",
        "name": "Namn, Navn, Name; Förnamn + Efternamn, Fornavn + Efternavn",
        "unit": "Enhet, Avdelning, Enhed, Afdeling, Unit, Department",
        "unit_code": "Enhetskod, Kostnadsställe, Enhedskode, Unit code",
        "role": "Roll, Rolle, Role",
        "audiences": "Målgrupper, Retningslinjer, Audiences",
    }
    assert set(examples) <= set(HEADERS)
    return [(labels[key], examples[key]) for key in labels]


@require_http_methods(["GET"])
@member_required(Capability.ADMINISTER)
def member_import_preview(request: OrgRequest, import_uuid: UUID) -> HttpResponse:
    """The import's page: its preview until it is confirmed, then its state.

    The preview shows names and addresses, so only the administrator who
    uploaded the list sees it; once confirmed, any administrator of the
    organisation may follow the import (its counts, not its rows).
    """
    member_import: MemberImport = get_object_or_404(
        MemberImport.objects.for_organisation(request.organisation).select_related(
            "confirmed_by__user"
        ),
        uuid=import_uuid,
    )
    if member_import.state != ImportState.UPLOADED:
        return _state_page(request, member_import)
    member_import = _get_import(request, import_uuid)
    plans = plan(request.organisation, member_import.rows, importer=request.membership)
    counts = dict.fromkeys(Outcome.ORDER, 0)
    for row in plans:
        counts[row.outcome] += 1
    show = request.GET.get("show", "")
    if show not in counts:
        show = ""
    # Errors first: they are what the administrator has to act on.
    shown = [row for row in plans if not show or row.outcome == show]
    shown.sort(key=lambda row: (Outcome.ORDER.index(row.outcome), row.line))
    filters = [
        (outcome, str(Outcome.LABELS[outcome]), counts[outcome])
        for outcome in Outcome.ORDER
    ]
    return render(
        request,
        "organisations/member_import_preview.html",
        {
            "member_import": member_import,
            "counts": counts,
            "total": len(plans),
            "filters": filters,
            "show": show,
            "rows": paginate(request, shown, size=PREVIEW_ROWS),
            "form": MemberImportConfirmForm(),
        },
    )


def _given_up(task_id: str) -> bool:
    """Whether the database queue's task of this id failed for good."""
    try:
        key = UUID(task_id)
    except ValueError:
        return False  # not queued in the database (Django's immediate backend)
    return DBTaskResult.objects.filter(pk=key, status=TaskResultStatus.FAILED).exists()


def _state_page(request: OrgRequest, member_import: MemberImport) -> HttpResponse:
    """Waiting, being applied, done, failed (and tried again) or stopped."""
    working = member_import.state in (
        ImportState.CONFIRMED,
        ImportState.APPLYING,
        ImportState.FAILED,
    )
    # The worker gave up on it (core/worker.py): the operators have been told.
    given_up = member_import.state == ImportState.FAILED and _given_up(
        member_import.task_id
    )
    context = {
        "member_import": member_import,
        "counts": member_import.counts,
        "working": working and not given_up,
        "given_up": given_up,
        "poll_seconds": POLL_SECONDS,
    }
    if request.htmx:
        response = render(
            request, "organisations/member_import_state.html#state", context
        )
    else:
        response = render(request, "organisations/member_import_state.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@member_required(Capability.ADMINISTER)
def member_import_confirm(request: OrgRequest, import_uuid: UUID) -> HttpResponse:
    # The uploader's import in any state: a second submit of the form (or the
    # form in another tab) is sent on to the import's page, not refused.
    member_import: MemberImport = get_object_or_404(
        MemberImport.objects.for_organisation(request.organisation).filter(
            created_by=request.membership
        ),
        uuid=import_uuid,
    )
    page = redirect(
        "organisations:member_import_preview",
        org=request.organisation.slug,
        import_uuid=member_import.uuid,
    )
    if member_import.state == ImportState.UPLOADED and not (
        MemberImport.objects.waiting().filter(pk=member_import.pk).exists()
    ):
        raise Http404
    form = MemberImportConfirmForm(request.POST)
    skip_errors = form.is_valid() and form.cleaned_data["skip_errors"]
    try:
        confirmed = confirm_import(
            member_import, importer=request.membership, skip_errors=skip_errors
        )
    except ErrorsNotAccepted as refused:
        messages.error(
            request,
            ngettext(
                "%(count)d row has an error. Correct the file and upload it again, "
                "or tick the box to import the other rows without it.",
                "%(count)d rows have errors. Correct the file and upload it again, "
                "or tick the box to import the other rows without them.",
                len(refused.plans),
            )
            % {"count": len(refused.plans)},
        )
        return page
    if not confirmed:
        messages.info(request, _("This import was already confirmed."))
    return page


@require_POST
@member_required(Capability.ADMINISTER)
def member_import_discard(request: OrgRequest, import_uuid: UUID) -> HttpResponse:
    _get_import(request, import_uuid).delete()
    messages.success(request, _("The upload was discarded; nothing was changed."))
    return redirect("organisations:member_import", org=request.organisation.slug)


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
@upload_limit(MAX_IMPORT_BYTES)
def unit_import(request: OrgRequest) -> HttpResponse:
    """Units from a CSV file: all of them, or none and the lines to correct."""
    form = UnitImportForm(request.POST or None, request.FILES or None)
    refuse_large_uploads(request, form)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            result = import_units(
                request.organisation, form.cleaned_data["file"].read()
            )
            AuditEvent.append_all(
                [
                    prepare_request(request, Action.CREATE, unit)
                    for unit in result.created
                ]
            )
        errors = result.errors
        if not errors:
            messages.success(
                request,
                _("Units added: %(created)d; already there: %(existing)d.")
                % {"created": len(result.created), "existing": result.existing},
            )
            return redirect("organisations:unit_list", org=request.organisation.slug)
    return render(
        request, "organisations/unit_import.html", {"form": form, "errors": errors}
    )
