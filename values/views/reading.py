"""Reading the value base: the version in force, any version, a value, search
and comparison."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from organisations import pagecache
from organisations.access import OrgRequest, member_required
from organisations.models import Capability
from organisations.pagecache import cached_page
from values import forms
from values.models import (
    ValueBase,
    Version,
)
from values.search import search_version

from .common import (
    get_base,
    get_version,
    local_today,
    render_version,
)


@require_GET
@member_required()
def index(request: OrgRequest) -> HttpResponse:
    bases = list(ValueBase.objects.for_member(request.membership))
    if len(bases) == 1:
        return redirect(
            "values:in_force", org=request.organisation.slug, base=bases[0].slug
        )
    today = local_today(request)
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
    value_base = get_base(request, base)
    day = local_today(request)
    # Unbound, the parts show today; bound, what was typed, even if wrong.
    date_form = forms.InForceForm(request.GET or None, initial={"on": day})
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
                "coming": value_base.coming_on(local_today(request)),
            },
            status=200,
        )
    return render_version(
        request, version, extra={"date_form": date_form, "in_force_day": day}
    )


@require_GET
@member_required()
@cached_page()
def version_detail(request: OrgRequest, base: str, number: int) -> HttpResponse:
    value_base = get_base(request, base)
    version = get_version(request, value_base, number)
    return render_version(request, version)


@require_GET
@member_required()
def version_list(request: OrgRequest, base: str) -> HttpResponse:
    value_base = get_base(request, base)
    versions = value_base.versions.visible_to(request.membership).select_related(
        "author"
    )
    today = local_today(request)
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
    value_base = get_base(request, base)
    version = get_version(request, value_base, number)
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
            "coming": value_base.coming_on(local_today(request)),
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
    value_base = get_base(request, base)
    form = forms.SearchForm(request.GET or None)
    today = local_today(request)
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
    from values.compare import compare_versions

    value_base = get_base(request, base)
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
            "coming": value_base.coming_on(local_today(request)),
        },
    )
