from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.access import OrgRequest, member_required
from organisations.models import Capability, ReflectionGroup

from . import ics
from .forms import (
    AnswerForm,
    AttendanceForm,
    GroupForm,
    MeetingChangeForm,
    OverviewForm,
    ScheduleForm,
    SeriesChangeForm,
)
from .models import (
    CalendarFeed,
    Meeting,
    Response,
    cancel_series,
    change_series,
    invitees,
    leads_group,
    manages_group,
    schedule,
)

# What a calendar subscription shows of the past.
FEED_HISTORY = timedelta(days=90)


def _get_group(request: OrgRequest, group_uuid: UUID) -> ReflectionGroup:
    return get_object_or_404(
        ReflectionGroup.objects.for_member(request.membership).select_related(
            "unit", "organisation"
        ),
        uuid=group_uuid,
    )


def _get_managed_group(request: OrgRequest, group_uuid: UUID) -> ReflectionGroup:
    group = _get_group(request, group_uuid)
    if not manages_group(request.membership, group):
        raise PermissionDenied
    return group


def _get_meeting(request: OrgRequest, meeting_uuid: UUID) -> Meeting:
    return get_object_or_404(
        Meeting.objects.for_member(request.membership).select_related(
            "group__unit", "series", "organisation"
        ),
        uuid=meeting_uuid,
    )


def _get_managed_meeting(request: OrgRequest, meeting_uuid: UUID) -> Meeting:
    meeting = _get_meeting(request, meeting_uuid)
    if not manages_group(request.membership, meeting.group):
        raise PermissionDenied
    return meeting


def _redirect_to(meeting: Meeting) -> HttpResponse:
    return redirect(
        "meetings:meeting_detail",
        org=meeting.organisation.slug,
        meeting_uuid=meeting.uuid,
    )


@require_GET
@member_required()
def group_list(request: OrgRequest) -> HttpResponse:
    groups = (
        ReflectionGroup.objects.for_member(request.membership)
        .select_related("unit")
        .annotate(
            member_count=Count("members", distinct=True),
            next_meeting=Min(
                "meetings__start",
                filter=Q(meetings__start__gt=timezone.now())
                & ~Q(meetings__status=Meeting.Status.CANCELLED),
            ),
        )
    )
    return render(
        request,
        "meetings/group_list.html",
        {
            "groups": groups,
            "can_create": bool(request.membership.managed_unit_ids()),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def group_create(request: OrgRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = request.organisation
        group = form.save()
        messages.success(request, _("The group was created."))
        return redirect(
            "meetings:group_detail",
            org=request.organisation.slug,
            group_uuid=group.uuid,
        )
    return render(request, "meetings/group_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def group_change(request: OrgRequest, group_uuid: UUID) -> HttpResponse:
    group = _get_managed_group(request, group_uuid)
    form = GroupForm(
        request.POST or None, instance=group, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes to the group were saved."))
        return redirect(
            "meetings:group_detail",
            org=request.organisation.slug,
            group_uuid=group.uuid,
        )
    return render(request, "meetings/group_form.html", {"form": form, "group": group})


@require_GET
@member_required()
def group_detail(request: OrgRequest, group_uuid: UUID) -> HttpResponse:
    group = _get_group(request, group_uuid)
    meetings = Meeting.objects.filter(group=group).select_related("series")
    return render(
        request,
        "meetings/group_detail.html",
        {
            "group": group,
            "upcoming": meetings.upcoming(),
            "past": meetings.past()[:20],
            "facilitators": group.facilitators.select_related("user"),
            "members": group.members.select_related("user"),
            "can_manage": manages_group(request.membership, group),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def meeting_schedule(request: OrgRequest, group_uuid: UUID) -> HttpResponse:
    group = _get_managed_group(request, group_uuid)
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
            interval_weeks=data["interval_weeks"] or None,
            until=data["until"],
        )
        if meeting.series_id:
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
        return _redirect_to(meeting)
    return render(
        request, "meetings/meeting_schedule.html", {"form": form, "group": group}
    )


def _answer_context(request: OrgRequest, meeting: Meeting) -> dict:
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
        "is_invited": any(
            p.pk == request.membership.pk for p in invitees(meeting.group)
        ),
    }


@require_GET
@member_required()
def meeting_detail(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_meeting(request, meeting_uuid)
    can_lead = leads_group(request.membership, meeting.group)
    context = {
        **_answer_context(request, meeting),
        "can_manage": manages_group(request.membership, meeting.group),
        "can_lead": can_lead,
        "responses": (
            meeting.responses.select_related("membership__user") if can_lead else []
        ),
        "attendees": (
            meeting.attendances.select_related("membership__user") if can_lead else []
        ),
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_POST
@member_required()
def meeting_answer(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_meeting(request, meeting_uuid)
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
    return _redirect_to(meeting)


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def meeting_change(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_managed_meeting(request, meeting_uuid)
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
        meeting.change(
            title=data["title"],
            place=data["place"],
            link=data["link"],
            agenda=data["agenda"],
            start=datetime.combine(data["date"], data["start_time"], tzinfo=tz),
            end=datetime.combine(data["date"], data["end_time"], tzinfo=tz),
        )
        messages.success(request, _("The meeting was changed and the group was told."))
        return _redirect_to(meeting)
    return render(
        request, "meetings/meeting_change.html", {"form": form, "meeting": meeting}
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def series_change(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_managed_meeting(request, meeting_uuid)
    series = meeting.series
    if series is None or series.cancelled:
        raise Http404
    form = SeriesChangeForm(
        request.POST or None,
        series=series,
        initial={
            "title": series.title,
            "place": series.place,
            "link": series.link,
            "agenda": series.agenda,
            "start_time": series.start_time,
            "end_time": series.end_time,
            "until": series.until,
        },
    )
    if request.method == "POST" and form.is_valid():
        change_series(series, **form.cleaned_data)
        messages.success(request, _("The series was changed and the group was told."))
        first = series.meetings.upcoming().first() or meeting
        return _redirect_to(first)
    return render(
        request,
        "meetings/series_change.html",
        {"form": form, "meeting": meeting, "series": series},
    )


@require_POST
@member_required(Capability.MANAGE)
def meeting_cancel(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_managed_meeting(request, meeting_uuid)
    if not meeting.is_cancelled:
        meeting.cancel()
        messages.success(
            request, _("The meeting was cancelled and the group was told.")
        )
    return _redirect_to(meeting)


@require_POST
@member_required(Capability.MANAGE)
def series_cancel(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_managed_meeting(request, meeting_uuid)
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


@require_http_methods(["GET", "POST"])
@member_required()
def meeting_attendance(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_meeting(request, meeting_uuid)
    if not leads_group(request.membership, meeting.group):
        raise PermissionDenied
    if meeting.is_cancelled or not meeting.has_started:
        messages.error(request, _("Attendance can be recorded once a meeting starts."))
        return _redirect_to(meeting)
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
        return _redirect_to(meeting)
    return render(
        request, "meetings/attendance.html", {"form": form, "meeting": meeting}
    )


@require_GET
@member_required()
def meeting_calendar_file(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_meeting(request, meeting_uuid)
    response = HttpResponse(ics.feed([meeting]), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


@require_http_methods(["GET", "POST"])
@member_required()
def calendar_subscription(request: OrgRequest) -> HttpResponse:
    feed_url = None
    if request.method == "POST":
        with transaction.atomic():
            token = CalendarFeed.issue(request.membership)
        feed_url = request.build_absolute_uri(
            reverse("calendar_feed", kwargs={"token": token})
        )
    has_feed = CalendarFeed.objects.filter(membership=request.membership).exists()
    response = render(
        request,
        "meetings/calendar.html",
        {"feed_url": feed_url, "has_feed": has_feed},
    )
    # The address is shown once and is a secret: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings for calendar programs, reached by a secret token only."""
    membership = CalendarFeed.membership_for(token)
    if membership is None:
        raise Http404
    meetings = (
        Meeting.objects.for_invitee(membership)
        .filter(end__gte=timezone.now() - FEED_HISTORY)
        .select_related("series", "organisation", "group")
    )
    language = membership.user.language or membership.organisation.language
    with translation.override(language):
        body = ics.feed(meetings)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@member_required(Capability.MANAGE)
def overview(request: OrgRequest) -> HttpResponse:
    form = OverviewForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else OverviewForm.defaults()
    unit_ids = request.membership.managed_unit_ids()
    now = timezone.now()
    upcoming = (
        Meeting.objects.for_organisation(request.organisation)
        .in_units(unit_ids)
        .upcoming()
        .select_related("group")[:50]
    )
    not_cancelled = ~Q(meetings__status=Meeting.Status.CANCELLED)
    in_period = Q(
        meetings__start__date__gte=data["start"],
        meetings__start__date__lte=data["end"],
        meetings__attended_count__isnull=False,
    )
    groups = list(
        ReflectionGroup.objects.for_organisation(request.organisation)
        .filter(unit__in=unit_ids)
        .select_related("unit")
        .annotate(
            last_meeting=Max(
                "meetings__start", filter=Q(meetings__start__lte=now) & not_cancelled
            ),
            next_meeting=Min(
                "meetings__start", filter=Q(meetings__start__gt=now) & not_cancelled
            ),
            held=Count("meetings", filter=in_period),
            attended=Sum("meetings__attended_count", filter=in_period),
            expected=Sum("meetings__expected_count", filter=in_period),
        )
    )
    cutoff = now - timedelta(weeks=data["weeks"])
    for group in groups:
        group.rate = (
            round(100 * group.attended / group.expected) if group.expected else None
        )
    quiet = [g for g in groups if g.last_meeting is None or g.last_meeting < cutoff]
    return render(
        request,
        "meetings/overview.html",
        {
            "form": form,
            "period": data,
            "upcoming": upcoming,
            "groups": groups,
            "quiet": quiet,
        },
    )
