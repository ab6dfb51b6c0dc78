"""Insights for managers: their units' sessions over a period, in figures.

Managers see the units they head (their own unit and every unit below it).
Administrators see the whole organisation: what is shown is aggregates only,
and no page here shows a case text or links to one, so seeing them gives an
administrator no reading of cases (docs/insights.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.models import Action as AuditAction
from audit.models import Via, record_request
from organisations.access import OrgRequest, member_required
from organisations.models import Capability, Membership, Role, Unit, descendant_ids

from .exports import csv_download
from .figures import Insights
from .forms import PeriodForm


def scope_units(membership: Membership) -> list[tuple[Unit, int]]:
    """The units whose figures the member sees, as a tree with depths."""
    units = list(Unit.objects.for_organisation(membership.organisation))
    if membership.role == Role.ADMIN:
        allowed = {unit.pk for unit in units}
    elif membership.role == Role.MANAGER and membership.unit_id is not None:
        # What `headed_unit_ids` gives, from the units just read.
        allowed = descendant_ids(units, membership.unit_id)
    else:
        allowed = set()
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        if unit.pk in allowed:
            parent = unit.parent_id if unit.parent_id in allowed else None
            children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda u: u.name):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def _everything(membership: Membership) -> str:
    if membership.role == Role.ADMIN:
        return _("The whole organisation")
    return _("All the units you head")


def _period(
    request: OrgRequest, tree: list[tuple[Unit, int]]
) -> tuple[PeriodForm, dict[str, Any] | None]:
    """The form, and what it chose: units, their name, start and end."""
    form = PeriodForm(
        request.GET or None, units=tree, everything=_everything(request.membership)
    )
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else PeriodForm.defaults()
    units = [unit for unit, _depth in tree]
    label = _everything(request.membership)
    if data["unit"] is not None:
        chosen = next(unit for unit in units if unit.pk == data["unit"])
        below = descendant_ids(units, chosen.pk)
        units = [unit for unit in units if unit.pk in below]
        label = chosen.name
    return form, {**data, "units": units, "label": label}


@require_GET
@member_required(Capability.MANAGE)
def overview(request: OrgRequest) -> HttpResponse:
    tree = scope_units(request.membership)
    form, period = _period(request, tree)
    context = {"form": form, "has_units": bool(tree), "period": period}
    if not tree:
        return render(request, "insights/overview.html", context)
    if period is None:
        # The choice is kept in the form, with what to change.
        return render(request, "insights/overview.html", context, status=400)
    insights = Insights(
        organisation=request.organisation,
        units=period["units"],
        start=period["start"],
        end=period["end"],
    )
    query = {"start": period["start"].isoformat(), "end": period["end"].isoformat()}
    if period["unit"] is not None:
        query["unit"] = period["unit"]
    return render(
        request,
        "insights/overview.html",
        {**context, "tables": insights.tables(), "query": urlencode(query)},
    )


@require_GET
@member_required(Capability.MANAGE)
def export(request: OrgRequest) -> HttpResponse:
    tree = scope_units(request.membership)
    if not tree:
        raise Http404
    organisation = request.organisation
    # Pages that say what is wrong speak the person's language; the file
    # itself is in the organisation's.
    form, period = _period(request, tree)
    if period is None:
        return render(
            request,
            "insights/overview.html",
            {"form": form, "has_units": True, "period": None},
            status=400,
        )
    if request.GET.get("table", "") not in Insights.KEYS:
        return render(request, "400.html", status=400)
    with translation.override(organisation.language):
        form, period = _period(request, tree)
        # The same choice as above, read again in the organisation's language.
        assert period is not None
        insights = Insights(
            organisation=organisation,
            units=period["units"],
            start=period["start"],
            end=period["end"],
        )
        try:
            table = insights.table(request.GET.get("table", ""))
        except KeyError:
            # Only a hand-made address names no table, or one that is not there.
            return render(request, "400.html", status=400)
        name = "_".join(
            [
                slugify(table.title),
                slugify(period["label"]),
                period["start"].isoformat(),
                period["end"].isoformat(),
            ]
        )
        # Written here: the labels and numbers in the organisation's language.
        response = csv_download(table, name)
        # What was exported, for the audit log, in the organisation's language.
        title = str(table.title)
        start, end = (formats.date_format(period[key]) for key in ("start", "end"))
        scope = f"{period['label']}, {start} – {end}"
    record_request(
        request,
        AuditAction.EXPORT,
        via=Via.EXPORT,
        object_kind="insights",
        object_name=title,
        detail=scope,
        organisation=organisation,
    )
    return response
