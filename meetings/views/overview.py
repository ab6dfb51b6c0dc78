"""The managers' overview of the meetings in their units: the upcoming meetings
and their answers, the groups that have not met for a while, and the attendance
of each group over a period. Each list has its own pages; every figure is
computed for the rows shown."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lib.pagination import Page, paginate
from lib.queries import count_of
from meetings.forms import OverviewForm
from meetings.models import Meeting, Response, next_meeting_start
from organisations.access import OrgRequest, member_required
from organisations.models import Capability, ReflectionGroup


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


def _upcoming(request: OrgRequest, unit_ids: Collection[int]) -> Page:
    """The page of upcoming meetings, each with its answers and those not given."""
    upcoming = paginate(
        request,
        Meeting.objects.for_organisation(request.organisation)
        .in_units(unit_ids)
        .upcoming()
        .select_related("group__unit")
        .annotate(
            yes_count=_answers(Response.Answer.YES),
            no_count=_answers(Response.Answer.NO),
            maybe_count=_answers(Response.Answer.MAYBE),
        )
        .order_by("group__unit__name", "group__unit", "start", "pk"),
        param="upcoming_page",
    )
    invited = _invitee_counts(sorted({m.group_id for m in upcoming}))
    for meeting in upcoming:
        answered = meeting.yes_count + meeting.no_count + meeting.maybe_count
        # An attribute of the page's row only, for the template: the checker
        # knows the row's model and its annotations, not what is added here.
        meeting.unanswered_count = max(  # type: ignore[attr-defined]
            invited.get(meeting.group_id, 0) - answered, 0
        )
    return upcoming


def _answers(answer: str) -> Coalesce:
    """An annotation: how many answered a meeting's invitation with `answer`."""
    return count_of(Response.objects.filter(answer=answer), "meeting")


def _quiet(
    request: OrgRequest,
    in_units: QuerySet[ReflectionGroup],
    now: datetime,
    weeks: int,
) -> Page:
    """The page of groups that have held no meeting in the last `weeks` weeks."""
    held = Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
    cutoff = now - timedelta(weeks=weeks)
    return paginate(
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


def _add_attendance(groups: Page, start: date, end: date) -> None:
    """Give each group on the page its meetings held and attendance in the period."""
    in_period = Q(
        meetings__start__date__gte=start,
        meetings__start__date__lte=end,
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
        row = by_group.get(group.pk)
        group.held = row["held"] if row else 0
        group.attended = row["attended"] if row else None
        group.expected = row["expected"] if row else None
        group.rate = (
            round(100 * group.attended / group.expected) if group.expected else None
        )


@require_GET
@member_required(Capability.MANAGE)
def overview(request: OrgRequest) -> HttpResponse:
    form = OverviewForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else OverviewForm.defaults()
    unit_ids = request.membership.managed_unit_ids()
    now = timezone.now()
    upcoming = _upcoming(request, unit_ids)
    in_units = (
        ReflectionGroup.objects.for_organisation(request.organisation)
        .filter(unit__in=unit_ids)
        .select_related("unit")
        .order_by("name", "pk")
    )
    quiet = _quiet(request, in_units, now, data["weeks"])
    groups = paginate(request, in_units, param="groups_page")
    _add_attendance(groups, data["start"], data["end"])
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
