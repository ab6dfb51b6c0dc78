"""A session held now: its meeting scheduled on the spot by whoever leads the
group, so an ad-hoc session never waits for a manager to plan one."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import Action as AuditAction
from audit.models import record_request
from dilemmas.models import Dilemma
from dilemmas.views import get_dilemma
from meetings.models import schedules_group
from meetings.scheduling import schedule
from organisations.access import OrgRequest, audited, member_required
from organisations.models import Capability
from reflections.forms import SessionNowForm
from reflections.models import AgendaItem, open_reflection

from .lookups import step_redirect

# A meeting is one day's: one begun this late ends at midnight's edge.
LAST_START = time(23, 58)
LAST_END = time(23, 59)


def _times(minutes: int) -> tuple[datetime, time]:
    """From this minute, local time, for `minutes` (within the day)."""
    start = timezone.localtime().replace(second=0, microsecond=0)
    if start.time() > LAST_START:
        start = start.replace(hour=LAST_START.hour, minute=LAST_START.minute)
    end = start + timedelta(minutes=minutes)
    return start, (end.time() if end.date() == start.date() else LAST_END)


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
@audited("dilemma", "dilemma_uuid")
def session_now(request: OrgRequest, dilemma_uuid: UUID) -> HttpResponse:
    dilemma = get_dilemma(request, dilemma_uuid)
    if not schedules_group(request.membership, dilemma.group):
        raise PermissionDenied
    if dilemma.erased or dilemma.status == Dilemma.Status.CLOSED:
        raise PermissionDenied
    form = SessionNowForm(request.POST or None, dilemma=dilemma)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end_time = _times(data["minutes"])
        with transaction.atomic():
            # Invited like any meeting: whoever is not in the room can follow
            # the session from the meeting's page.
            meeting = schedule(
                group=dilemma.group,
                created_by=request.membership,
                title=_("Ethics reflection"),
                place=data["place"],
                link=data["link"],
                agenda="",
                first_date=start.date(),
                start_time=start.time(),
                end_time=end_time,
            )
            item = AgendaItem.objects.create(
                organisation=request.organisation,
                meeting=meeting,
                dilemma=dilemma,
                method=data["method"],
                added_by=request.membership,
            )
            reflection = open_reflection(item=item, facilitator=request.membership)
            record_request(request, AuditAction.CHANGE, dilemma)
            record_request(request, AuditAction.CREATE, reflection)
        messages.success(
            request,
            _("The meeting was scheduled from now and the group was invited."),
        )
        return step_redirect(reflection, reflection.current_step)
    # The page names the dilemma: a reading, whether first or after an error.
    record_request(request, AuditAction.READ, dilemma)
    return render(
        request,
        "reflections/session_now.html",
        {"form": form, "dilemma": dilemma, "group": dilemma.group},
        status=422 if request.method == "POST" else 200,
    )
