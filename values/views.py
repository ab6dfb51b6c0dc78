from __future__ import annotations

import datetime
import hashlib
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from audit.models import Action as AuditAction
from audit.models import Via, record_request
from core.uploads import refuse_large_uploads, upload_limit
from guidelines.models import Audience, Guideline, LeadIn, by_audience
from organisations import pagecache
from organisations.access import OrgRequest, member_required
from organisations.models import Capability
from organisations.pagecache import cached_page

from . import forms
from .models import (
    CitedElsewhereError,
    Commitment,
    CoreValue,
    ImmutableVersionError,
    LegalBasis,
    Section,
    ValueBase,
    Version,
    VersionContent,
)
from .search import search_version
from .textformat import MAX_BYTES


def _get_base(request: OrgRequest, base: str) -> ValueBase:
    value_base: ValueBase = get_object_or_404(
        ValueBase.objects.for_member(request.membership), slug=base
    )
    return value_base


def _get_version(request: OrgRequest, value_base: ValueBase, number: int) -> Version:
    """A version the member may read: drafts only for editors."""
    version: Version = get_object_or_404(
        value_base.versions.visible_to(request.membership), number=number
    )
    return version


def _get_draft(request: OrgRequest, base: str, number: int) -> Version:
    value_base = _get_base(request, base)
    draft: Version = get_object_or_404(
        value_base.versions.select_related("value_base"),
        number=number,
        status=Version.Status.DRAFT,
    )
    return draft


def _today(request: OrgRequest) -> datetime.date:
    return timezone.localdate()


class Document:
    """A version's content, loaded lazily in a fixed number of queries.

    Lazy so that a cached page fragment costs no queries at all.
    """

    def __init__(self, version: Version):
        self.version = version

    @cached_property
    def sections(self) -> list[Section]:
        return list(self.version.sections.all())

    @cached_property
    def legal_bases(self) -> list[LegalBasis]:
        return list(self.version.legal_bases.all())

    @cached_property
    def values(self) -> list[CoreValue]:
        return list(self.version.values.prefetch_related("commitments"))

    @cached_property
    def guidelines(self) -> list[Guideline]:
        return list(
            self.version.guidelines.select_related("audience").prefetch_related(
                Prefetch(
                    "related_values", queryset=CoreValue.objects.only("key", "title")
                )
            )
        )

    @cached_property
    def lead_ins(self) -> list[LeadIn]:
        return list(self.version.lead_ins.select_related("audience"))

    @cached_property
    def guidelines_by_audience(
        self,
    ) -> list[tuple[Audience, LeadIn | None, list[Guideline]]]:
        """The guidelines under their audiences, in the order of the document."""
        return by_audience(self.guidelines, self.lead_ins)


def _render_version(
    request: OrgRequest,
    version: Version,
    *,
    template: str = "values/version.html",
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    if version.is_draft:
        pagecache.skip(request)
    can_edit = request.membership.can(Capability.EDIT_VALUES)
    # Editors get "edit as a new draft", or "continue the draft" once there is one.
    draft = version.value_base.draft() if can_edit and not version.is_draft else None
    today = _today(request)
    context = {
        "value_base": version.value_base,
        "version": version,
        "document": Document(version),
        "today": today,
        "coming": version.value_base.coming_on(today),
        "can_edit": can_edit,
        "draft": draft,
        **(extra or {}),
    }
    return render(request, template, context)


@require_GET
@member_required()
def index(request: OrgRequest) -> HttpResponse:
    bases = list(ValueBase.objects.for_member(request.membership))
    if len(bases) == 1:
        return redirect(
            "values:in_force", org=request.organisation.slug, base=bases[0].slug
        )
    today = _today(request)
    in_force = {
        v.value_base_id: v
        for v in Version.objects.in_force_on(today).filter(value_base__in=bases)
    }
    return render(
        request,
        "values/index.html",
        {
            "bases": [
                (base, in_force.get(base.pk), base.coming_on(today)) for base in bases
            ]
        },
    )


@require_GET
@member_required()
@cached_page()
def in_force(request: OrgRequest, base: str) -> HttpResponse:
    value_base = _get_base(request, base)
    date_form = forms.InForceForm(request.GET or None)
    day = _today(request)
    if date_form.is_valid() and date_form.cleaned_data["on"]:
        day = date_form.cleaned_data["on"]
    version = value_base.in_force_on(day)
    if version is None:
        versions = value_base.versions.visible_to(request.membership)
        return render(
            request,
            "values/not_in_force.html",
            {
                "value_base": value_base,
                "day": day,
                "date_form": date_form,
                "versions": versions,
                "coming": value_base.coming_on(_today(request)),
            },
            status=200,
        )
    return _render_version(
        request, version, extra={"date_form": date_form, "in_force_day": day}
    )


@require_GET
@member_required()
@cached_page()
def version_detail(request: OrgRequest, base: str, number: int) -> HttpResponse:
    value_base = _get_base(request, base)
    version = _get_version(request, value_base, number)
    return _render_version(request, version)


@require_GET
@member_required()
def version_list(request: OrgRequest, base: str) -> HttpResponse:
    value_base = _get_base(request, base)
    versions = value_base.versions.visible_to(request.membership).select_related(
        "author"
    )
    today = _today(request)
    return render(
        request,
        "values/versions.html",
        {
            "value_base": value_base,
            "versions": versions,
            "today": today,
            "coming": value_base.coming_on(today),
            "draft": value_base.draft(),
            "can_edit": request.membership.can(Capability.EDIT_VALUES),
        },
    )


@require_GET
@member_required()
def value_detail(request: OrgRequest, base: str, number: int, key: str) -> HttpResponse:
    value_base = _get_base(request, base)
    version = _get_version(request, value_base, number)
    value = get_object_or_404(
        version.values.prefetch_related("commitments", "guidelines__audience"), key=key
    )
    return render(
        request,
        "values/value.html",
        {
            "value_base": value_base,
            "version": version,
            "value": value,
            "coming": value_base.coming_on(_today(request)),
        },
    )


def _search(version: Version, query: str, language: str) -> list[Any]:
    """Hits in an adopted version, which never changes, are found once."""
    digest = hashlib.sha256(f"{query}|{language}|{get_language()}".encode())
    key = f"values:search:{version.pk}:{digest.hexdigest()}"
    hits: list[Any] | None = cache.get(key)
    if hits is None:
        hits = search_version(version, query, language)
        cache.set(key, hits, SEARCH_TIMEOUT)
    return hits


SEARCH_TIMEOUT = 24 * 3600


@require_GET
@member_required()
@cached_page()
def search(request: OrgRequest, base: str) -> HttpResponse:
    value_base = _get_base(request, base)
    form = forms.SearchForm(request.GET or None)
    today = _today(request)
    version = value_base.in_force_on(today)
    hits = []
    query = ""
    if form.is_valid() and version is not None:
        query = form.cleaned_data["q"]
        hits = _search(version, query, request.organisation.language)
    context = {
        "value_base": value_base,
        "version": version,
        "form": form,
        "query": query,
        "hits": hits,
        "coming": value_base.coming_on(today),
    }
    template = "values/search.html"
    if request.htmx:
        template += "#results"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
@member_required()
@cached_page()
def compare(request: OrgRequest, base: str) -> HttpResponse:
    from .compare import compare_versions

    value_base = _get_base(request, base)
    versions = list(
        value_base.versions.visible_to(request.membership).order_by("number")
    )
    if len(versions) < 2:
        messages.info(
            request, _("There is only one version, so nothing to compare yet.")
        )
        return redirect("values:version_list", org=request.organisation.slug, base=base)
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: Version) -> Version:
        try:
            picked: Version = by_number[int(request.GET.get(name, ""))]
            return picked
        except (KeyError, ValueError):
            return default

    old = pick("from", versions[-2])
    new = pick("to", versions[-1])
    # Adopted versions never change: their comparison is kept, rendered, by the
    # two versions and the language (compare.html); a draft's is made afresh.
    fixed = not (old.is_draft or new.is_draft)
    if not fixed:
        pagecache.skip(request)
    return render(
        request,
        "values/compare.html",
        {
            "value_base": value_base,
            "old": old,
            "new": new,
            "comparison": SimpleLazyObject(lambda: compare_versions(old, new)),
            "keep_comparison": fixed,
            "versions": versions,
            "coming": value_base.coming_on(_today(request)),
        },
    )


@require_GET
@member_required()
def export(request: OrgRequest, base: str, number: int) -> HttpResponse:
    from .textformat import export_version

    value_base = _get_base(request, base)
    version = _get_version(request, value_base, number)
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
    from .wordexport import export_docx

    value_base = _get_base(request, base)
    version = _get_version(request, value_base, number)
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


# Editing: editors only, drafts only.


@require_POST
@member_required(Capability.EDIT_VALUES)
def draft_start(request: OrgRequest, base: str) -> HttpResponse:
    value_base = _get_base(request, base)
    existing = value_base.draft()
    if existing is not None:
        messages.info(request, _("There is already a draft; continue with it."))
        return redirect(_edit_url(existing))
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
    return redirect(_edit_url(draft))


def _edit_url(version: Version, anchor: str = "") -> str:
    url = reverse(
        "values:draft_edit",
        kwargs={
            "org": version.value_base.organisation.slug,
            "base": version.value_base.slug,
            "number": version.number,
        },
    )
    return f"{url}#{anchor}" if anchor else url


@require_GET
@member_required(Capability.EDIT_VALUES)
def draft_edit(request: OrgRequest, base: str, number: int) -> HttpResponse:
    draft = _get_draft(request, base, number)
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
    draft = _get_draft(request, base, number)
    form = forms.DraftDetailsForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The draft's details were saved."))
        return redirect(_edit_url(draft))
    return render(
        request,
        "values/draft_details.html",
        {"value_base": draft.value_base, "version": draft, "form": form},
    )


# Each kind of item a draft holds: model, form, how to find it within a draft.
# The models share `key`, `position` and `revision` (VersionContent), but not the
# fields the lookups below name, so they are not typed as that common base.
KINDS: dict[str, tuple[type[Any], type[forms.ItemForm], str]] = {
    "section": (Section, forms.SectionForm, "version"),
    "legal": (LegalBasis, forms.LegalBasisForm, "version"),
    "value": (CoreValue, forms.CoreValueForm, "version"),
    "commitment": (Commitment, forms.CommitmentForm, "value__version"),
    "leadin": (LeadIn, forms.LeadInForm, "version"),
    "guideline": (Guideline, forms.GuidelineForm, "version"),
}


def _kind(kind: str) -> tuple[type[Any], type[forms.ItemForm], str]:
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def _make_form(kind: str, draft: Version, *args: Any, **kwargs: Any) -> forms.ItemForm:
    form_class = _kind(kind)[1]
    if kind in ("guideline", "leadin"):
        kwargs["version"] = draft
    return form_class(*args, **kwargs)


def _get_item(draft: Version, kind: str, item_id: int) -> Any:
    """The item, of the model its kind names (a commitment has its value)."""
    model, _form, path = _kind(kind)
    queryset = model._default_manager.filter(**{path: draft})
    if kind == "commitment":
        queryset = queryset.select_related("value")
    return get_object_or_404(queryset, pk=item_id)


def _siblings(item: Any, kind: str) -> QuerySet[Any]:
    model = KINDS[kind][0]
    siblings: QuerySet[Any]
    if kind == "commitment":
        siblings = model._default_manager.filter(value=item.value)
    else:
        siblings = model._default_manager.filter(version=item.version)
    return siblings


def _anchor(kind: str, item: VersionContent) -> str:
    return f"{kind}-{item.pk}"


def _item_response(
    request: OrgRequest, draft: Version, kind: str, item: VersionContent
) -> HttpResponse:
    """After a save: the item's region for htmx, the editing page otherwise."""
    if request.htmx:
        return render(
            request,
            "values/draft_edit.html#item",
            {
                "version": draft,
                "value_base": draft.value_base,
                "kind": kind,
                "item": item,
            },
        )
    return redirect(_edit_url(draft, _anchor(kind, item)))


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
def item_add(request: OrgRequest, base: str, number: int, kind: str) -> HttpResponse:
    draft = _get_draft(request, base, number)
    model = _kind(kind)[0]
    parent: CoreValue | None = None
    if kind == "commitment":
        # Commitments belong to a value of this draft, named in the query string.
        value_id = request.GET.get("value", "")
        if not (value_id.isascii() and value_id.isdigit()):
            raise Http404
        parent = get_object_or_404(draft.values.all(), pk=value_id)
    form = _make_form(kind, draft, request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        siblings: QuerySet[Any]
        if parent is not None:
            item.value = parent
            siblings = parent.commitments.all()
        else:
            item.version = draft
            siblings = model._default_manager.filter(version=draft)
        item.position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
        item.save()
        form.save_m2m()
        messages.success(request, _("Added."))
        if request.htmx:
            return HttpResponseClientRedirect(_edit_url(draft, _anchor(kind, item)))
        return redirect(_edit_url(draft, _anchor(kind, item)))
    context = {
        "value_base": draft.value_base,
        "version": draft,
        "kind": kind,
        "form": form,
        "parent": parent,
        "adding": True,
    }
    template = "values/item_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
def item_edit(
    request: OrgRequest, base: str, number: int, kind: str, item_id: int
) -> HttpResponse:
    draft = _get_draft(request, base, number)
    item = _get_item(draft, kind, item_id)
    if request.method == "GET" and request.GET.get("cancel") and request.htmx:
        return _item_response(request, draft, kind, item)
    form = _make_form(kind, draft, request.POST or None, instance=item)
    conflict = False
    if request.method == "POST" and form.is_valid():
        if form.has_conflict():
            conflict = True
            form.add_error(
                None,
                _(
                    "Someone else saved this item while you were editing it. "
                    "Your text is still in the form; the saved text is shown "
                    "below it. Save again to replace theirs with yours."
                ),
            )
            # The next save is made over the version the editor has now seen.
            data = request.POST.copy()
            data["revision"] = str(item.revision)
            form.data = data
        else:
            form.save()
            if request.htmx:
                return _item_response(request, draft, kind, item)
            messages.success(request, _("Saved."))
            return redirect(_edit_url(draft, _anchor(kind, item)))
    saved = _get_item(draft, kind, item_id) if conflict else None
    context = {
        "value_base": draft.value_base,
        "version": draft,
        "kind": kind,
        "item": item,
        "form": form,
        "saved": saved,
        "status": 409 if conflict else 200,
    }
    template = "values/item_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=409 if conflict else 200)


@require_POST
@member_required(Capability.EDIT_VALUES)
def item_delete(
    request: OrgRequest, base: str, number: int, kind: str, item_id: int
) -> HttpResponse:
    draft = _get_draft(request, base, number)
    item = _get_item(draft, kind, item_id)
    item.delete()
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Removed from the draft."))
    return redirect(_edit_url(draft))


@require_POST
@member_required(Capability.EDIT_VALUES)
def item_move(
    request: OrgRequest, base: str, number: int, kind: str, item_id: int
) -> HttpResponse:
    draft = _get_draft(request, base, number)
    item = _get_item(draft, kind, item_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        messages.error(request, _("Choose to move the item up or down."))
        return redirect(_edit_url(draft, _anchor(kind, item)))
    with transaction.atomic():
        siblings = list(_siblings(item, kind).select_for_update())
        index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
            for position, sibling in enumerate(siblings, start=1):
                if sibling.position != position:
                    sibling.position = position
                    sibling.save(update_fields=["position"])
    if request.htmx:
        return HttpResponseClientRedirect(_edit_url(draft, _anchor(kind, item)))
    return redirect(_edit_url(draft, _anchor(kind, item)))


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
def adopt(request: OrgRequest, base: str, number: int) -> HttpResponse:
    draft = _get_draft(request, base, number)
    value_base = draft.value_base
    current = value_base.versions.filter(status=Version.Status.ADOPTED).first()
    form = forms.AdoptForm(request.POST or None, current=current)
    cited: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                draft.adopt(
                    adopted_on=data["adopted_on"],
                    adopted_by=data["adopted_by"],
                    effective_from=data["effective_from"],
                    retroactive_reason=data["retroactive_reason"],
                    asks_acknowledgement=data["asks_acknowledgement"],
                )
                record_request(
                    request, AuditAction.ADOPT, draft, detail=draft.adoption_summary
                )
        except CitedElsewhereError as error:
            cited = error.reflections
            form.add_error(
                "effective_from",
                _(
                    "From this date the version cannot be in force: signed-off "
                    "reflections held since then cite the version that was in "
                    "force on their day (listed below). Choose a date after the "
                    "last of them."
                ),
            )
        except (ValueError, ImmutableVersionError, IntegrityError):
            form.add_error(
                None,
                _(
                    "The version could not be adopted: another version was adopted "
                    "at the same time. Check the list of versions and try again."
                ),
            )
        else:
            messages.success(
                request,
                _("Version %(number)s was adopted. It is in force from %(date)s.")
                % {"number": draft.number, "date": data["effective_from"].isoformat()},
            )
            return redirect(
                "values:version_detail",
                org=request.organisation.slug,
                base=value_base.slug,
                number=draft.number,
            )
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


@require_POST
@member_required(Capability.EDIT_VALUES)
def discard(request: OrgRequest, base: str, number: int) -> HttpResponse:
    draft = _get_draft(request, base, number)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the draft should go."))
        return redirect(_edit_url(draft))
    with transaction.atomic():
        record_request(request, AuditAction.DISCARD, draft)
        draft.delete()
    messages.success(request, _("The draft was discarded."))
    return redirect("values:version_list", org=request.organisation.slug, base=base)


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
@upload_limit(MAX_BYTES)
def import_draft(request: OrgRequest, base: str) -> HttpResponse:
    from .textformat import MAX_BYTES, FormatError, decode
    from .textformat import import_draft as import_text

    value_base = _get_base(request, base)
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
            return redirect(_edit_url(draft))
    return render(
        request,
        "values/import.html",
        {"value_base": value_base, "form": form, "errors": errors},
    )
