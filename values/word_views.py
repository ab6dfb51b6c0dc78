"""Import from Word: upload a .docx, see how each part was read and what the
draft will replace, then create the draft."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction
from django.forms import BaseFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.models import Action as AuditAction
from audit.models import record_request
from core.uploads import refuse_large_uploads, upload_limit
from guidelines.models import Audience, Guideline
from organisations.access import OrgRequest, member_required
from organisations.models import Capability

from . import forms
from .models import ValueBase, Version
from .textformat import FormatError, save_draft
from .views.common import edit_url, get_base
from .wordimport import Part, WordError, build_document, read_docx
from .wordimport.limits import MAX_DOCX_BYTES


@dataclass
class Replaced:
    """What the draft will replace, and what it will hold instead."""

    version: Version | None  # the latest adopted version, if there is one
    title: str  # the title kept unless the editor chooses the document's
    values: int
    guidelines: int
    new_title: str = ""
    new_values: int = 0
    new_guidelines: int = 0

    @classmethod
    def of(cls, value_base: ValueBase) -> Replaced:
        version = value_base.latest_adopted()
        if version is None:
            return cls(None, value_base.name, 0, 0)
        return cls(
            version,
            version.title,
            version.values.count(),
            Guideline.objects.filter(version=version).count(),
        )

    def after(self, parts: list[Part], title: str) -> None:
        self.new_title = title
        self.new_values = sum(1 for part in parts if part.kind == "value")
        self.new_guidelines = sum(1 for part in parts if part.kind == "guideline")


@dataclass
class _Page:
    upload: forms.WordUploadForm
    details: forms.WordDraftForm | None = None
    parts: BaseFormSet[forms.PartForm] | None = None
    read: list[Part] = field(default_factory=list)


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
@upload_limit(MAX_DOCX_BYTES)
def import_word(request: OrgRequest, base: str) -> HttpResponse:
    """Upload a Word document, see how each part was read, then create the draft.

    The preview carries the parts in its form, so nothing is stored until the
    editor creates the draft; "Update the preview" shows changed kinds first.
    """
    value_base = get_base(request, base)
    audiences = list(Audience.objects.for_organisation(request.organisation))
    replaced = Replaced.of(value_base)
    if request.method == "POST" and request.POST.get("step") == "preview":
        page = _preview(request, value_base, audiences, replaced)
        if isinstance(page, HttpResponse):
            return page
    elif request.method == "POST":
        page = _upload(request, audiences, replaced)
    else:
        page = _Page(forms.WordUploadForm())
    rows: list[tuple[forms.PartForm, Part | None]] = []
    if page.parts is not None:
        read: list[Part | None] = [*page.read] or [None] * len(page.parts.forms)
        rows = list(zip(page.parts.forms, read, strict=True))
    return render(
        request,
        "values/import_word.html",
        {
            "value_base": value_base,
            "upload": page.upload,
            "details": page.details,
            "parts": page.parts,
            "rows": rows,
            "replaced": replaced,
            "has_errors": any(part.errors for part in page.read),
        },
    )


def _upload(
    request: OrgRequest, audiences: list[Audience], replaced: Replaced
) -> _Page:
    upload = forms.WordUploadForm(request.POST, request.FILES)
    refuse_large_uploads(request, upload)
    if not upload.is_valid():
        return _Page(upload)
    try:
        reading = read_docx(upload.content, audiences=audiences)
    except WordError as error:
        upload.add_error("file", str(error))
        return _Page(upload)
    replaced.after(reading.parts, replaced.title)
    details = forms.WordDraftForm(
        initial={"document_title": reading.title, "use_document_title": False}
    )
    parts = forms.PartFormSet(
        initial=[
            {
                "kind": part.kind,
                "title": part.title,
                "text": part.text,
                "origin": part.origin,
                "audience": part.audience,
            }
            for part in reading.parts
        ],
        form_kwargs={"audiences": audiences},
        prefix="parts",
    )
    return _Page(forms.WordUploadForm(), details, parts, reading.parts)


def _preview(
    request: OrgRequest,
    value_base: ValueBase,
    audiences: list[Audience],
    replaced: Replaced,
) -> _Page | HttpResponse:
    details = forms.WordDraftForm(request.POST)
    parts = forms.PartFormSet(
        request.POST, form_kwargs={"audiences": audiences}, prefix="parts"
    )
    page = _Page(forms.WordUploadForm(), details, parts)
    if not (details.is_valid() and parts.is_valid()):
        return page
    page.read = [Part(**form.cleaned_data) for form in parts]
    title = details.draft_title(replaced.title)
    replaced.after(page.read, title)
    document = build_document(title, page.read, audiences)
    if document is None or "create" not in request.POST:
        return page
    try:
        with transaction.atomic():
            draft = save_draft(
                value_base=value_base, document=document, author=request.membership.user
            )
            record_request(
                request,
                AuditAction.IMPORT,
                draft,
                detail=gettext_lazy("From a Word document"),
            )
    except FormatError as error:
        details.add_error(None, error.errors[0][1])
        return page
    messages.success(
        request,
        _("The document was imported as a draft of version %(number)s.")
        % {"number": draft.number},
    )
    return redirect(edit_url(draft))
