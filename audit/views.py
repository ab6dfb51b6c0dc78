from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lib.csvfiles import Cell, streaming_csv_response
from lib.pagination import Page, paginate
from organisations.access import OrgRequest, member_required
from organisations.models import Capability, Role

from .changes import Values
from .forms import AuditFilterForm
from .models import (
    Action,
    AuditEvent,
    AuditEventQuerySet,
    Kind,
    Via,
    record_request,
)

PAGE_SIZE = 50


def _filtered(request: OrgRequest) -> tuple[AuditFilterForm, AuditEventQuerySet]:
    form = AuditFilterForm(request.GET or None)
    events = form.filter(
        AuditEvent.objects.for_organisation(request.organisation),
        ZoneInfo(request.organisation.time_zone),
    )
    return form, events


def _page(request: OrgRequest, events: AuditEventQuerySet) -> Page[AuditEvent]:
    # No count of the whole log: it grows by every reading of every case.
    return paginate(request, events, size=PAGE_SIZE)


@require_GET
@member_required(Capability.ADMINISTER)
def audit_log(request: OrgRequest) -> HttpResponse:
    form, events = _filtered(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": _page(request, events), "query": query.urlencode()},
    )


@require_GET
@member_required(Capability.ADMINISTER)
def audit_export(request: OrgRequest) -> StreamingHttpResponse:
    """The filtered log as CSV; exporting it is itself a row of the log."""
    form, events = _filtered(request)
    record_request(
        request,
        Action.EXPORT,
        object_kind=Kind.AUDIT_LOG,
        object_name=gettext_lazy("Audit log"),
        detail=_filter_summary(form),
        organisation=request.organisation,
        via=Via.EXPORT,
    )
    header = [
        _("Time (UTC)"),
        _("Person"),
        _("Role"),
        _("Unit"),
        _("Kind of object"),
        _("Object"),
        _("Identifier"),
        _("Action"),
        _("Details"),
        _("Outcome"),
        _("Through"),
        _("Page"),
        _("Entry"),
        _("Hash"),
    ]
    roles = dict(Role.choices)

    def rows() -> Iterator[list[Cell]]:
        for event in events.iterator(chunk_size=2000):
            yield [
                event.at.astimezone(datetime.UTC).isoformat(),
                event.person,
                roles.get(event.role, event.role),
                event.unit_name,
                event.get_object_kind_display(),
                event.object_name,
                # Written as its text, as the file would any value.
                str(event.object_uuid) if event.object_uuid is not None else None,
                event.get_action_display(),
                event.detail,
                event.get_outcome_display(),
                event.get_via_display(),
                event.view,
                event.seq,
                event.hash,
            ]

    today = timezone.localdate().isoformat()
    return streaming_csv_response(
        f"audit-{request.organisation.slug}-{today}.csv", header, rows()
    )


def _filter_summary(form: AuditFilterForm) -> Values | str:
    """What the export held, for its own row: the filter's fields that were set."""
    if not form.is_valid():
        return ""
    return Values(form, [name for name, value in form.cleaned_data.items() if value])


@require_GET
@member_required()
def my_activity(request: OrgRequest) -> HttpResponse:
    """What the log says about the signed-in person's own actions here."""
    events = AuditEvent.objects.for_organisation(request.organisation).by_user(
        request.user
    )
    return render(request, "audit/mine.html", {"page": _page(request, events)})
