"""What a version changed for me, my confirmation, and who has confirmed."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from audit.models import Action as AuditAction
from audit.models import Via, record_request
from lib.csvfiles import csv_response, delimiter
from organisations.access import OrgRequest, member_required
from organisations.models import Capability
from values.models import ValueBase, Version

from . import summary
from .changes import for_member, previous_of
from .models import Acknowledgement
from .tasks import send_reminders


def _version(request: OrgRequest, base: str, number: int) -> Version:
    """An adopted version of one of the member's value bases; a draft is 404."""
    value_base = get_object_or_404(
        ValueBase.objects.for_member(request.membership), slug=base
    )
    version: Version = get_object_or_404(
        Version.objects.adopted()
        .filter(value_base=value_base)
        .select_related("value_base__organisation"),
        number=number,
    )
    return version


def _asking(request: OrgRequest, base: str, number: int) -> Version:
    """A version that asks its members to confirm (it has one before it)."""
    version = _version(request, base, number)
    if not version.asks_acknowledgement or previous_of(version) is None:
        raise Http404
    return version


@require_GET
@member_required()
def changes(request: OrgRequest, base: str, number: int) -> HttpResponse:
    version = _version(request, base, number)
    found = for_member(request.membership, version, timezone.localdate())
    if found is None:
        raise Http404
    return render(
        request,
        "acknowledgements/changes.html",
        {
            "value_base": version.value_base,
            "version": version,
            "changes": found,
            "follows": request.membership.can(Capability.MANAGE)
            and version.asks_acknowledgement,
        },
    )


@require_POST
@member_required()
def acknowledge(request: OrgRequest, base: str, number: int) -> HttpResponse:
    version = _asking(request, base, number)
    if not version.is_in_force_on(timezone.localdate()):
        raise Http404
    with transaction.atomic():
        found, created = Acknowledgement.objects.get_or_create(
            version=version, membership=request.membership
        )
        if created:
            record_request(request, AuditAction.ACKNOWLEDGE, found)
    day = formats.date_format(timezone.localtime(found.acknowledged), "DATE_FORMAT")
    if created:
        messages.success(
            request,
            _("Thank you. Your confirmation was recorded on %(day)s.") % {"day": day},
        )
    else:
        messages.info(
            request, _("You confirmed this already, on %(day)s.") % {"day": day}
        )
    if request.POST.get("from") == "dashboard":
        return redirect("organisations:dashboard", org=request.organisation.slug)
    return redirect(
        "acknowledgements:changes",
        org=request.organisation.slug,
        base=version.value_base.slug,
        number=version.number,
    )


@require_GET
@member_required(Capability.MANAGE)
def confirmations(request: OrgRequest, base: str, number: int) -> HttpResponse:
    version = _asking(request, base, number)
    rows = summary.unit_rows(request.membership, version)
    return render(
        request,
        "acknowledgements/confirmations.html",
        {
            "value_base": version.value_base,
            "version": version,
            "rows": rows,
            "members": sum(row.members for row in rows),
            "confirmed": sum(row.confirmed for row in rows),
            "in_force": version.is_in_force_on(timezone.localdate()),
        },
    )


def _unit_id(request: OrgRequest) -> int | None:
    """The unit a reminder is for: one the member manages, or None for all."""
    raw = request.POST.get("unit", "")
    if not raw:
        return None
    try:
        unit_id = int(raw)
    except ValueError:
        raise Http404 from None
    if unit_id not in request.membership.managed_unit_ids():
        raise Http404
    return unit_id


@require_POST
@member_required(Capability.MANAGE)
def remind(request: OrgRequest, base: str, number: int) -> HttpResponse:
    version = _asking(request, base, number)
    today = timezone.localdate()
    if not version.is_in_force_on(today):
        raise Http404
    ids = summary.to_remind(request.membership, version, today, _unit_id(request))
    if ids:
        count = len(ids)
        record_request(
            request,
            AuditAction.REMIND,
            version,
            detail=lambda: (
                ngettext("Sent to %(count)d person", "Sent to %(count)d people", count)
                % {"count": count}
            ),
        )
        transaction.on_commit(
            lambda: send_reminders.enqueue(version.pk, ids, today.isoformat())
        )
        messages.success(
            request,
            ngettext(
                "A reminder is on its way to %(count)d person who has not confirmed.",
                "A reminder is on its way to %(count)d people who have not confirmed.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(
            request,
            _("Everyone there has confirmed, or has had a reminder today already."),
        )
    return redirect(
        "acknowledgements:confirmations",
        org=request.organisation.slug,
        base=version.value_base.slug,
        number=version.number,
    )


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@require_GET
@member_required(Capability.MANAGE)
def confirmations_csv(request: OrgRequest, base: str, number: int) -> HttpResponse:
    version = _asking(request, base, number)
    done = summary.confirmed_ids(version)
    people = (
        summary.followed(request.membership)
        .select_related("user", "unit")
        .order_by("unit__name", "user__name", "pk")
    )
    record_request(
        request,
        AuditAction.EXPORT,
        version,
        via=Via.EXPORT,
        detail=gettext_lazy("Confirmations of reading, as a CSV file"),
    )
    return csv_response(
        f"{version.value_base.slug}-v{version.number}-confirmations.csv",
        [_("Unit"), _("Name"), _("Confirmed")],
        (
            [
                person.unit.name if person.unit else _("No unit"),
                person.user.name or person.user.email,
                _when(done.get(person.pk)),
            ]
            for person in people
        ),
        separator=delimiter(),
    )
