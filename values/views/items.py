"""The items of a draft: added, edited, removed and moved. Editors only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from guidelines.models import Guideline, LeadIn
from organisations.access import OrgRequest, member_required
from organisations.models import Capability
from values import forms
from values.models import (
    Commitment,
    CoreValue,
    LegalBasis,
    Section,
    Version,
    VersionContent,
)

from .common import (
    edit_url,
    get_draft,
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


def _checking(request: OrgRequest) -> bool:
    """The editor asked how easy the text reads: show the form again, unsaved."""
    return request.POST.get("check") == "readability"


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
    return redirect(edit_url(draft, _anchor(kind, item)))


@require_http_methods(["GET", "POST"])
@member_required(Capability.EDIT_VALUES)
def item_add(request: OrgRequest, base: str, number: int, kind: str) -> HttpResponse:
    draft = get_draft(request, base, number)
    model = _kind(kind)[0]
    parent: CoreValue | None = None
    if kind == "commitment":
        # Commitments belong to a value of this draft, named in the query string.
        value_id = request.GET.get("value", "")
        if not (value_id.isascii() and value_id.isdigit()):
            raise Http404
        parent = get_object_or_404(draft.values.all(), pk=value_id)
    form = _make_form(kind, draft, request.POST or None)
    if request.method == "POST" and form.is_valid() and not _checking(request):
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
            return HttpResponseClientRedirect(edit_url(draft, _anchor(kind, item)))
        return redirect(edit_url(draft, _anchor(kind, item)))
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
    draft = get_draft(request, base, number)
    item = _get_item(draft, kind, item_id)
    if request.method == "GET" and request.GET.get("cancel") and request.htmx:
        return _item_response(request, draft, kind, item)
    form = _make_form(kind, draft, request.POST or None, instance=item)
    conflict = False
    if request.method == "POST" and form.is_valid() and not _checking(request):
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
            return redirect(edit_url(draft, _anchor(kind, item)))
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
    draft = get_draft(request, base, number)
    item = _get_item(draft, kind, item_id)
    item.delete()
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Removed from the draft."))
    return redirect(edit_url(draft))


@require_POST
@member_required(Capability.EDIT_VALUES)
def item_move(
    request: OrgRequest, base: str, number: int, kind: str, item_id: int
) -> HttpResponse:
    draft = get_draft(request, base, number)
    item = _get_item(draft, kind, item_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        messages.error(request, _("Choose to move the item up or down."))
        return redirect(edit_url(draft, _anchor(kind, item)))
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
        return HttpResponseClientRedirect(edit_url(draft, _anchor(kind, item)))
    return redirect(edit_url(draft, _anchor(kind, item)))
