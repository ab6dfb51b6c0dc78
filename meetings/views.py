from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.changes import FormChanges, Values
from audit.models import Action as AuditAction
from audit.models import record_request
from lib.pagination import paginate
from lib.queries import count_of
from organisations.access import OrgRequest, member_required
from organisations.models import Capability, ReflectionGroup

from . import ics
from .forms import (
    AnswerForm,
    AttendanceForm,
    CalendarFeedForm,
    GroupForm,
    MeetingChangeForm,
    OverviewForm,
    ScheduleForm,
    SeriesChangeForm,
    repeat_initial,
)
from .links import from_answer_token
from .models import (
    CalendarFeed,
    Meeting,
    Response,
    invitees,
    leads_group,
    manages_group,
    member_count,
    next_meeting_start,
)
from .scheduling import (
    cancel_meeting,
    cancel_series,
    change_meeting,
    change_series,
    group_people_changed,
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
        .annotate(member_count=member_count(), next_meeting=next_meeting_start())
        .order_by("name", "pk")
    )
    return render(
        request,
        "meetings/group_list.html",
        {
            "groups": paginate(request, groups),
            "can_create": bool(request.membership.managed_unit_ids()),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def group_create(request: OrgRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = request.organisation
        with transaction.atomic():
            group = form.save()
            record_request(
                request,
                AuditAction.CREATE,
                group,
                detail=Values(form, ["unit", "facilitators", "members"]),
            )
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
    before = {p.pk for p in invitees(group)}
    form = GroupForm(
        request.POST or None, instance=group, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            after = {p.pk for p in invitees(group)}
            group_people_changed(group, added=after - before, removed=before - after)
            # Who is in a group decides who reads its cases.
            if changes := FormChanges(form):
                record_request(request, AuditAction.CHANGE, group, detail=changes)
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
            "upcoming": paginate(
                request, meetings.upcoming().order_by("start", "pk"), size=10
            ),
            "past": paginate(
                request, meetings.past().order_by("-start", "-pk"), param="past_page"
            ),
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
        rule = data["rule"]
        repeats = (
            {
                "frequency": rule.frequency,
                "interval": rule.interval,
                "week_of_month": rule.week_of_month,
                "until": rule.until,
                "count": rule.count,
            }
            if rule
            else {}
        )
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
            **repeats,
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


def _answer_context(
    request: OrgRequest, meeting: Meeting, people: list | None = None
) -> dict:
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
    meeting = _get_meeting(request, meeting_uuid)
    can_lead = leads_group(request.membership, meeting.group)
    people = invitees(meeting.group)
    context = {
        **_answer_context(request, meeting, people),
        "can_manage": manages_group(request.membership, meeting.group),
        "can_lead": can_lead,
        "responses": (
            meeting.responses.select_related("membership__user") if can_lead else []
        ),
        "not_answered": meeting.not_answered(people) if can_lead else [],
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
        return _redirect_to(meeting)
    return render(
        request, "meetings/meeting_change.html", {"form": form, "meeting": meeting}
    )


def _series_change(
    request: OrgRequest, meeting_uuid: UUID, *, whole: bool
) -> HttpResponse:
    meeting = _get_managed_meeting(request, meeting_uuid)
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
        return _redirect_to(first)
    return render(
        request,
        "meetings/series_change.html",
        {"form": form, "meeting": meeting, "series": series, "whole": whole},
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def series_change(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    return _series_change(request, meeting_uuid, whole=True)


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE)
def series_change_following(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    """Change one occurrence and every one after it."""
    return _series_change(request, meeting_uuid, whole=False)


@require_POST
@member_required(Capability.MANAGE)
def meeting_cancel(request: OrgRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _get_managed_meeting(request, meeting_uuid)
    if not meeting.is_cancelled:
        cancel_meeting(meeting)
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
    feed = CalendarFeed.objects.filter(membership=request.membership).first()
    is_manager = request.membership.can(Capability.MANAGE)
    form = CalendarFeedForm(
        request.POST if request.method == "POST" else None,
        initial={"scope": feed.scope if feed else CalendarFeed.Scope.MINE},
    )
    feed_url = None
    if request.method == "POST" and form.is_valid():
        scope = (is_manager and form.cleaned_data["scope"]) or CalendarFeed.Scope.MINE
        if feed is not None and "keep" in request.POST:
            # The address stays; only what it shows changes.
            feed.scope = scope
            feed.save(update_fields=["scope"])
            messages.success(request, _("Your subscription now shows what you chose."))
        else:
            with transaction.atomic():
                token = CalendarFeed.issue(request.membership, scope)
            feed_url = request.build_absolute_uri(
                reverse("calendar_feed", kwargs={"token": token})
            )
        feed = CalendarFeed.objects.get(membership=request.membership)
    response = render(
        request,
        "meetings/calendar.html",
        {
            "feed_url": feed_url,
            "feed": feed,
            "has_feed": feed is not None,
            "form": form if is_manager else None,
        },
    )
    # The address is shown once and is a secret: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings for calendar programs, reached by a secret token only."""
    feed = CalendarFeed.for_token(token)
    if feed is None:
        raise Http404
    membership = feed.membership
    meetings = (
        feed.meetings()
        .filter(end__gte=timezone.now() - FEED_HISTORY)
        .select_related("series", "organisation", "group")
    )
    language = membership.user.language or membership.organisation.language
    with translation.override(language):
        if feed.scope == CalendarFeed.Scope.UNITS:
            name = _("%(organisation)s: meetings of your units")
        else:
            name = _("%(organisation)s: your reflection meetings")
        body = ics.feed(
            meetings, name=name % {"organisation": membership.organisation.name}
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def _answer_page(
    request: HttpRequest, meeting: Meeting, membership, form: AnswerForm, **extra
) -> HttpResponse:
    response = render(
        request,
        "meetings/answer_link.html",
        {
            "meeting": meeting,
            "person": membership,
            "form": form,
            "can_answer": not meeting.is_cancelled and not meeting.is_past,
            "my_answer": meeting.responses.filter(membership=membership).first(),
            **extra,
        },
    )
    # The token is a credential for this one answer: keep it out of caches
    # and out of the Referer sent to other sites. (Not "no-referrer": browsers
    # then send "Origin: null" with the answer, and CSRF checks refuse it.)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Answer one meeting from the e-mail, without signing in.

    GET only shows the meeting and a button, so that a mail program that
    opens links by itself answers nothing; the answer is the POST.
    """
    found = from_answer_token(token)
    if found is None:
        raise Http404
    meeting, membership = found
    organisation = membership.organisation
    language = membership.user.language or organisation.language
    with translation.override(language), timezone.override(organisation.time_zone):
        if request.method == "POST":
            form = AnswerForm(request.POST)
            if form.is_valid() and not meeting.is_cancelled and not meeting.is_past:
                meeting.answer(membership, form.cleaned_data["answer"])
                return _answer_page(
                    request, meeting, membership, AnswerForm(), just_answered=True
                )
        else:
            form = AnswerForm(
                initial={"answer": request.GET.get("answer")}
                if request.GET.get("answer") in Response.Answer.values
                else None
            )
        return _answer_page(request, meeting, membership, form)


def _invitee_counts(group_ids: list[int]) -> dict[int, int]:
    """Active members and facilitators of each group, each person once; one query."""
    active = {"membership__is_active": True, "membership__user__is_active": True}
    pairs = [
        through.objects.filter(reflectiongroup_id__in=group_ids, **active)
        .values_list("reflectiongroup_id", "membership_id")
        .order_by()
        for through in (
            ReflectionGroup.members.through,
            ReflectionGroup.facilitators.through,
        )
    ]
    counts: dict[int, int] = {}
    for group_id, _membership_id in pairs[0].union(pairs[1]):
        counts[group_id] = counts.get(group_id, 0) + 1
    return counts


@require_GET
@member_required(Capability.MANAGE)
def overview(request: OrgRequest) -> HttpResponse:
    """Each list has its own pages; every figure is computed for the rows shown."""
    form = OverviewForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else OverviewForm.defaults()
    unit_ids = request.membership.managed_unit_ids()
    now = timezone.now()
    upcoming = paginate(
        request,
        Meeting.objects.for_organisation(request.organisation)
        .in_units(unit_ids)
        .upcoming()
        .select_related("group__unit")
        .annotate(
            **{
                f"{answer}_count": count_of(
                    Response.objects.filter(answer=answer), "meeting"
                )
                for answer in Response.Answer.values
            }
        )
        .order_by("group__unit__name", "group__unit", "start", "pk"),
        param="upcoming_page",
    )
    invited = _invitee_counts(sorted({m.group_id for m in upcoming}))
    for meeting in upcoming:
        answered = meeting.yes_count + meeting.no_count + meeting.maybe_count
        meeting.unanswered_count = max(invited.get(meeting.group_id, 0) - answered, 0)
    in_units = (
        ReflectionGroup.objects.for_organisation(request.organisation)
        .filter(unit__in=unit_ids)
        .select_related("unit")
        .order_by("name", "pk")
    )
    held = Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
    cutoff = now - timedelta(weeks=data["weeks"])
    quiet = paginate(
        request,
        in_units.filter(
            ~Exists(held.filter(group=OuterRef("pk"), start__range=(cutoff, now)))
        ).annotate(
            last_meeting=Subquery(
                held.filter(group=OuterRef("pk"), start__lte=now)
                .order_by("-start")
                .values("start")[:1]
            ),
            next_meeting=next_meeting_start(),
        ),
        param="quiet_page",
    )
    groups = paginate(request, in_units, param="groups_page")
    in_period = Q(
        meetings__start__date__gte=data["start"],
        meetings__start__date__lte=data["end"],
        meetings__attended_count__isnull=False,
    )
    figures = (
        ReflectionGroup.objects.filter(pk__in=[group.pk for group in groups])
        .values("pk")
        .annotate(
            held=Count("meetings", filter=in_period),
            attended=Sum("meetings__attended_count", filter=in_period),
            expected=Sum("meetings__expected_count", filter=in_period),
        )
        .order_by()
    )
    by_group = {row["pk"]: row for row in figures} if groups else {}
    for group in groups:
        row = by_group.get(group.pk, {})
        group.held = row.get("held", 0)
        group.attended = row.get("attended")
        group.expected = row.get("expected")
        group.rate = (
            round(100 * group.attended / group.expected) if group.expected else None
        )
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
