"""One meeting: scheduling it, its page and the answers of the invited, changing
and cancelling it, its attendance and its calendar file."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import panels
from meetings import ics
from meetings.forms import AnswerForm, AttendanceForm, MeetingChangeForm, ScheduleForm
from meetings.models import (
    Meeting,
    Response,
    invitees,
    leads_group,
    schedules_group,
)
from meetings.scheduling import cancel_meeting, change_meeting, schedule
from organisations.access import OrgRequest, member_required
from organisations.models import Capability, Membership

from .lookups import (
    get_meeting,
    get_scheduled_group,
    get_scheduled_meeting,
    redirect_to,
)


def _repeats(rule: Any) -> dict[str, Any]:
    """The repeat rule of the schedule form as the arguments of `schedule`."""
    if not rule:
        return {}
    return {
        "frequency": rule.frequency,
        "interval": rule.interval,
        "week_of_month": rule.week_of_month,
        "until": rule.until,
        "count": rule.count,
    }


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
def meeting_schedule(request: OrgRequest, group_uuid: UUID) -> HttpResponse:
    group = get_scheduled_group(request, group_uuid)
    form = ScheduleForm(request.POST or None, time_zone=request.organisation.time_zone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = schedule(
            group=group,
            created_by=request.membership,
            title=data["title"],
            place=data["place"],
            link=data["link"],
            agenda=data["agenda"],
            first_date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            **_repeats(data["rule"]),
        )
        if meeting.series is not None:
            count = meeting.series.meetings.count()
            messages.success(
                request,
                _("%(count)s meetings were scheduled and the group was invited.")
                % {"count": count},
            )
        else:
            messages.success(
                request, _("The meeting was scheduled and the group was invited.")
            )
        return redirect_to(meeting)
    return render(
        request, "meetings/meeting_schedule.html", {"form": form, "group": group}
    )


def _answer_context(
    request: OrgRequest, meeting: Meeting, people: list[Membership] | None = None
) -> dict[str, Any]:
    if people is None:
        people = invitees(meeting.group)
    mine = meeting.responses.filter(membership=request.membership).first()
    counts = dict(
        meeting.responses.values_list("answer").annotate(n=Count("pk")).order_by()
    )
    return {
        "meeting": meeting,
        "answer_form": AnswerForm(initial={"answer": mine.answer if mine else None}),
        "my_answer": mine,
        "answer_counts": [
            (label, counts.get(value, 0)) for value, label in Response.Answer.choices
        ],
        "is_invited": any(p.pk == request.membership.pk for p in people),
    }


@require_GET
@member_required()
def meeting_detail(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = get_meeting(request, meeting_uuid)
    can_lead = leads_group(request.membership, meeting.group)
    people = invitees(meeting.group)
    context = {
        **_answer_context(request, meeting, people),
        "can_schedule": schedules_group(request.membership, meeting.group),
        "can_lead": can_lead,
        "responses": (
            list(meeting.responses.select_related("membership__user"))
            if can_lead
            else []
        ),
        "not_answered": meeting.not_answered(people) if can_lead else [],
        "attendees": (
            list(meeting.attendances.select_related("membership__user"))
            if can_lead and meeting.has_started and not meeting.is_cancelled
            else []
        ),
        # What the higher apps show on the page (core.panels).
        **panels.gather("meetings:meeting_detail", request, meeting=meeting),
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_POST
@member_required()
def meeting_answer(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = get_meeting(request, meeting_uuid)
    if not any(p.pk == request.membership.pk for p in invitees(meeting.group)):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid() and not meeting.is_cancelled and not meeting.is_past:
        meeting.answer(request.membership, form.cleaned_data["answer"])
        if not request.htmx:
            messages.success(request, _("Your answer was saved."))
    if request.htmx:
        response = render(
            request,
            "meetings/meeting_detail.html#answer",
            {**_answer_context(request, meeting), "just_answered": form.is_valid()},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    return redirect_to(meeting)


@require_http_methods(["GET", "POST"])
@member_required(Capability.FACILITATE)
def meeting_change(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = get_scheduled_meeting(request, meeting_uuid)
    if meeting.is_cancelled:
        raise Http404
    local_start = timezone.localtime(meeting.start)
    form = MeetingChangeForm(
        request.POST or None,
        initial={
            "title": meeting.title,
            "place": meeting.place,
            "link": meeting.link,
            "agenda": meeting.agenda,
            "date": local_start.date(),
            "start_time": local_start.time(),
            "end_time": timezone.localtime(meeting.end).time(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        change_meeting(
            meeting,
            title=data["title"],
            place=data["place"],
            link=data["link"],
            agenda=data["agenda"],
            start=datetime.combine(data["date"], data["start_time"], tzinfo=tz),
            end=datetime.combine(data["date"], data["end_time"], tzinfo=tz),
        )
        messages.success(request, _("The meeting was changed and the group was told."))
        return redirect_to(meeting)
    return render(
        request, "meetings/meeting_change.html", {"form": form, "meeting": meeting}
    )


@require_POST
@member_required(Capability.FACILITATE)
def meeting_cancel(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = get_scheduled_meeting(request, meeting_uuid)
    if not meeting.is_cancelled:
        cancel_meeting(meeting)
        messages.success(
            request, _("The meeting was cancelled and the group was told.")
        )
    return redirect_to(meeting)


@require_http_methods(["GET", "POST"])
@member_required()
def meeting_attendance(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = get_meeting(request, meeting_uuid)
    if not leads_group(request.membership, meeting.group):
        raise PermissionDenied
    if meeting.is_cancelled or not meeting.has_started:
        messages.error(request, _("Attendance can be recorded once a meeting starts."))
        return redirect_to(meeting)
    people = invitees(meeting.group)
    form = AttendanceForm(
        request.POST or None,
        people=people,
        initial={"present": [a.membership_id for a in meeting.attendances.all()]},
    )
    if request.method == "POST" and form.is_valid():
        meeting.record_attendance(list(form.cleaned_data["present"]))
        messages.success(
            request,
            _("Attendance was recorded: %(attended)s of %(expected)s.")
            % {"attended": meeting.attended_count, "expected": meeting.expected_count},
        )
        return redirect_to(meeting)
    return render(
        request, "meetings/attendance.html", {"form": form, "meeting": meeting}
    )


@require_GET
@member_required()
def meeting_calendar_file(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = get_meeting(request, meeting_uuid)
    response = HttpResponse(ics.feed([meeting]), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response
