"""Guideline pages: the guidelines for me, one guideline, and its history."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisations.access import OrgRequest, member_required
from organisations.pagecache import cached_page
from values.compare import text_diff
from values.models import CoreValue, ValueBase, Version

from .models import Audience, Guideline, LeadIn, by_audience


def _get_base(request: OrgRequest, base: str) -> ValueBase:
    return get_object_or_404(
        ValueBase.objects.for_member(request.membership), slug=base
    )


def _get_version(request: OrgRequest, value_base: ValueBase, number: int) -> Version:
    """A version the member may read: drafts only for editors."""
    return get_object_or_404(
        value_base.versions.visible_to(request.membership), number=number
    )


def _audience_choice(
    request: OrgRequest,
) -> tuple[str, list[Audience] | None, list[Audience]]:
    """The reader's own audiences unless they ask for everyone or for one audience.

    Returns the choice, the audiences to show (None: all) and every audience of
    the organisation, for the menu.
    """
    audiences = list(Audience.objects.for_organisation(request.organisation))
    mine_ids = {a.pk for a in request.membership.audiences.all()}
    mine = [a for a in audiences if a.pk in mine_ids]
    choice = request.GET.get("audience", "mine" if mine else "all")
    if choice == "mine":
        return "mine", mine, audiences
    chosen = [a for a in audiences if a.key == choice]
    if choice == "all" or not chosen:
        return "all", None, audiences
    return choice, chosen, audiences


def _my_audiences(request: OrgRequest) -> tuple[int, ...]:
    """The guidelines for me differ between people with different audiences.

    The membership comes with its audiences (organisations.access).
    """
    return tuple(sorted(a.pk for a in request.membership.audiences.all()))


@require_GET
@member_required()
@cached_page(key_extra=_my_audiences)
def for_me(request: OrgRequest, base: str) -> HttpResponse:
    """The guidelines in force today for the reader's audiences, or for others."""
    value_base = _get_base(request, base)
    today = timezone.localdate()
    version = value_base.in_force_on(today)
    choice, shown, audiences = _audience_choice(request)
    groups: list[tuple[Audience, LeadIn | None, list[Guideline]]] = []
    if version is not None:
        guidelines = version.guidelines.select_related("audience").prefetch_related(
            Prefetch("related_values", queryset=CoreValue.objects.only("key", "title"))
        )
        lead_ins = version.lead_ins.select_related("audience")
        if shown is not None:
            guidelines = guidelines.for_audiences(shown)
            lead_ins = lead_ins.filter(audience__in=shown)
        groups = by_audience(guidelines, lead_ins)
    return render(
        request,
        "guidelines/for_me.html",
        {
            "value_base": value_base,
            "version": version,
            "groups": groups,
            "audience_choice": choice,
            "audiences": audiences,
            "coming": value_base.coming_on(today),
        },
    )


@require_GET
@member_required()
def detail(request: OrgRequest, base: str, number: int, key: str) -> HttpResponse:
    value_base = _get_base(request, base)
    version = _get_version(request, value_base, number)
    guideline = get_object_or_404(
        version.guidelines.select_related("audience").prefetch_related(
            "related_values"
        ),
        key=key,
    )
    return render(
        request,
        "guidelines/detail.html",
        {
            "value_base": value_base,
            "version": version,
            "guideline": guideline,
            "coming": value_base.coming_on(timezone.localdate()),
        },
    )


@require_GET
@member_required()
def history(request: OrgRequest, base: str, key: str) -> HttpResponse:
    """One guideline through every version the reader may see, newest first."""
    value_base = _get_base(request, base)
    versions = value_base.versions.visible_to(request.membership)
    guidelines = list(
        Guideline.objects.filter(version__in=versions, key=key)
        .select_related("version", "audience")
        .prefetch_related("related_values")
        .order_by("version__number")
    )
    if not guidelines:
        raise Http404
    present = {g.version_id for g in guidelines}
    timeline: list[dict[str, object]] = []
    previous = None
    for guideline in guidelines:
        timeline.append(
            {
                "guideline": guideline,
                "diff": text_diff(previous.text, guideline.text) if previous else None,
                "changed": previous is not None
                and (previous.text, previous.example, previous.title)
                != (guideline.text, guideline.example, guideline.title),
            }
        )
        previous = guideline
    missing = [v for v in versions.order_by("number") if v.pk not in present]
    return render(
        request,
        "guidelines/history.html",
        {
            "value_base": value_base,
            "key": key,
            "timeline": list(reversed(timeline)),
            "latest": guidelines[-1],
            "missing": missing,
            "coming": value_base.coming_on(timezone.localdate()),
        },
    )
