"""A series of meetings, changed or cancelled from one of its meetings."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings.forms import SeriesChangeForm, repeat_initial
from meetings.scheduling import cancel_series, change_series
from organisations.access import OrgRequest, member_required
from organisations.models import Capability

from .lookups import get_scheduled_meeting, redirect_to


def _series_change(
    request: OrgRequest, meeting_uuid: UUID, *, whole: bool
) -> HttpResponse:
    meeting = get_scheduled_meeting(request, meeting_uuid)
    series = meeting.series
    if series is None or series.cancelled or meeting.is_cancelled:
        raise Http404
    # The whole series changes from its first upcoming meeting on.
    start = (
        series.meetings.upcoming().order_by("recurrence_id").first()
        if whole
        else meeting
    )
    if start is None or start.is_past:
        raise Http404
    # Every meeting of a series has the slot it was made for.
    assert start.recurrence_id is not None
    slot = start.recurrence_id.astimezone(series.tz)
    form = SeriesChangeForm(
        request.POST or None,
        series=series,
        start=start,
        whole=whole,
        initial={
            "title": series.title,
            "place": series.place,
            "link": series.link,
            "agenda": series.agenda,
            "date": series.first_date if whole else slot.date(),
            "start_time": series.start_time,
            "end_time": series.end_time,
            **repeat_initial(series),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = change_series(
            series,
            start=start,
            whole=whole,
            rule=data["rule"],
            title=data["title"],
            place=data["place"],
            link=data["link"],
            agenda=data["agenda"],
            start_time=data["start_time"],
            end_time=data["end_time"],
        )
        messages.success(request, _("The series was changed and the group was told."))
        first = changed.meetings.upcoming().first() or meeting
        return redirect_to(first)
    return render(
        request,
        "meetings/series_change.html",
        {"form": form, "meeting": meeting, "series": series, "whole": whole},
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
def series_change(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    return _series_change(request, meeting_uuid, whole=True)


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
def series_change_following(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    """Change one occurrence and every one after it."""
    return _series_change(request, meeting_uuid, whole=False)


@require_POST
@member_required(Capability.FACILITATE)
def series_cancel(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = get_scheduled_meeting(request, meeting_uuid)
    if meeting.series is None:
        raise Http404
    if not meeting.series.cancelled:
        cancel_series(meeting.series)
        messages.success(
            request,
            _(
                "The upcoming meetings of the series were cancelled and the group "
                "was told."
            ),
        )
    return redirect(
        "meetings:group_detail",
        org=request.organisation.slug,
        group_uuid=meeting.group.uuid,
    )
