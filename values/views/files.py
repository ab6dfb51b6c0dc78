"""The value base as a file: exported as text or Word, imported from text."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action as AuditAction
from audit.models import Via, record_request
from core.uploads import refuse_large_uploads, upload_limit
from organisations.access import OrgRequest, member_required
from organisations.models import Capability
from values import forms
from values.textformat import MAX_BYTES

from .common import (
    edit_url,
    get_base,
    get_version,
)


@require_GET
@member_required()
def export(request: OrgRequest, base: str, number: int) -> HttpResponse:
    from values.textformat import export_version

    value_base = get_base(request, base)
    version = get_version(request, value_base, number)
    record_request(
        request,
        AuditAction.EXPORT,
        version,
        via=Via.EXPORT,
        detail=gettext_lazy("As a text file"),
    )
    response = HttpResponse(
        export_version(version), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{value_base.slug}-v{version.number}.md"'
    )
    return response


@require_GET
@member_required()
def export_word(request: OrgRequest, base: str, number: int) -> HttpResponse:
    from values.wordexport import export_docx

    value_base = get_base(request, base)
    version = get_version(request, value_base, number)
    record_request(
        request,
        AuditAction.EXPORT,
        version,
        via=Via.EXPORT,
        detail=gettext_lazy("As a Word document"),
    )
    response = HttpResponse(
        export_docx(version),
        content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{value_base.slug}-v{version.number}.docx"'
    )
    return response


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
@upload_limit(MAX_BYTES)
def import_draft(request: OrgRequest, base: str) -> HttpResponse:
    from values.textformat import MAX_BYTES, FormatError, decode
    from values.textformat import import_draft as import_text

    value_base = get_base(request, base)
    posted = request.method == "POST"
    form = forms.ImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    refuse_large_uploads(request, form)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Read one byte past the limit: enough to tell the file is too big.
            text = decode(upload.read(MAX_BYTES + 1))
            with transaction.atomic():
                draft = import_text(
                    value_base=value_base, text=text, author=request.membership.user
                )
                record_request(
                    request,
                    AuditAction.IMPORT,
                    draft,
                    detail=gettext_lazy("From a text file"),
                )
        except FormatError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _("The file was imported as a draft of version %(number)s.")
                % {"number": draft.number},
            )
            return redirect(edit_url(draft))
    return render(
        request,
        "values/import.html",
        {"value_base": value_base, "form": form, "errors": errors},
    )
