from __future__ import annotations

import csv
import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lib.pagination import paginate
from organisations.access import OrgRequest, member_required
from organisations.models import Capability

from .forms import AuditFilterForm
from .models import Action, AuditEvent, Via, record_request

PAGE_SIZE = 50


def _filtered(request: OrgRequest):
    form = AuditFilterForm(request.GET or None)
    events = form.filter(
        AuditEvent.objects.for_organisation(request.organisation),
        ZoneInfo(request.organisation.time_zone),
    )
    return form, events


def _page(request: OrgRequest, events):
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


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@member_required(Capability.ADMINISTER)
def audit_export(request: OrgRequest) -> StreamingHttpResponse:
    """The filtered log as CSV; exporting it is itself a row of the log."""
    form, events = _filtered(request)
    record_request(
        request,
        Action.EXPORT,
        object_kind="auditlog",
        organisation=request.organisation,
        via=Via.EXPORT,
    )
    writer = csv.writer(_Echo())
    header = [
        _("Time (UTC)"),
        _("Person"),
        _("Role"),
        _("Unit"),
        _("Kind of object"),
        _("Object"),
        _("Action"),
        _("Outcome"),
        _("Through"),
        _("Page"),
    ]

    def rows():
        # The byte order mark makes spreadsheet programs read UTF-8 (å, ä, ø).
        yield "\ufeff" + writer.writerow(header)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.at.astimezone(datetime.UTC).isoformat(),
                    event.person,
                    event.role,
                    event.unit_name,
                    event.object_kind,
                    event.object_uuid or "",
                    event.get_action_display(),
                    event.get_outcome_display(),
                    event.get_via_display(),
                    event.view,
                ]
            )

    today = timezone.localdate().isoformat()
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="audit-{request.organisation.slug}-{today}.csv"'
    )
    return response


@require_GET
@member_required()
def my_activity(request: OrgRequest) -> HttpResponse:
    """What the log says about the signed-in person's own actions here."""
    events = AuditEvent.objects.for_organisation(request.organisation).by_user(
        request.user
    )
    return render(request, "audit/mine.html", {"page": _page(request, events)})
