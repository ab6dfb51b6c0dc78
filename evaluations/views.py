"""Answering a session's evaluation and reading its results.

These pages show no case text: a session is named by its group, meeting, date
and method, never by its dilemma, so nothing here is a reading of a case and
nothing is written to the audit log. That matters: an audit row of who opened
the answer page when would say who answered when.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lib.pagination import paginate
from lib.queries import count_of
from meetings.models import Attendance
from organisations.access import OrgRequest, member_required
from organisations.models import ReflectionGroup
from reflections.models import Reflection

from .forms import AnswerForm
from .models import (
    EVALUATION_DAYS,
    AlreadyAnswered,
    Answer,
    Evaluation,
    NotAParticipant,
    NotOpen,
    Respondent,
)
from .questionnaire import SCALE


def _sessions(request: OrgRequest):
    """Sessions of the groups the member may see (their own, or managed)."""
    return Reflection.objects.filter(
        organisation=request.organisation,
        dilemma__group__in=ReflectionGroup.objects.for_member(request.membership),
    ).select_related("organisation", "meeting", "dilemma__group")


def _get_session(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    return get_object_or_404(_sessions(request), uuid=reflection_uuid)


@require_http_methods(["GET", "POST"])
@member_required()
def answer(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = _get_session(request, reflection_uuid)
    evaluation = Evaluation.for_reflection(reflection)
    membership = request.membership
    if not evaluation.takes_part(membership):
        # A page that says why, rather than the general refusal about roles.
        return render(
            request,
            "evaluations/answer.html",
            {"reflection": reflection, "evaluation": evaluation, "outsider": True},
            status=403,
        )
    answered = evaluation.answered_by(membership)
    is_open = evaluation.is_open()
    form = AnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if answered or not is_open:
            messages.info(request, _("This evaluation takes no more answers from you."))
            return redirect(
                "evaluations:answer",
                org=request.organisation.slug,
                reflection_uuid=reflection.uuid,
            )
        if form.is_valid():
            try:
                evaluation.record_answer(
                    membership,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except AlreadyAnswered:
                messages.info(request, _("You have already answered this evaluation."))
            except (NotOpen, NotAParticipant):
                messages.info(
                    request, _("This evaluation takes no more answers from you.")
                )
            else:
                messages.success(
                    request, _("Thank you. Your answer was saved without your name.")
                )
            return redirect(
                "evaluations:answer",
                org=request.organisation.slug,
                reflection_uuid=reflection.uuid,
            )
        status = 422
    return render(
        request,
        "evaluations/answer.html",
        {
            "reflection": reflection,
            "evaluation": evaluation,
            "answered": answered,
            "is_open": is_open,
            "not_yet": not is_open and timezone.now() < evaluation.opens,
            "form": form,
            "scale": SCALE,
        },
        status=status,
    )


@require_GET
@member_required()
def results(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = _get_session(request, reflection_uuid)
    evaluation = Evaluation.for_reflection(reflection)
    count = evaluation.answer_count()
    return render(
        request,
        "evaluations/results.html",
        {
            "reflection": reflection,
            "evaluation": evaluation,
            "count": count,
            "shortfall": evaluation.shortfall(count),
            "results": evaluation.results(),
            "scale": SCALE,
            "takes_part": evaluation.takes_part(request.membership),
        },
    )


@require_GET
@member_required()
def evaluation_list(request: OrgRequest) -> HttpResponse:
    membership = request.membership
    now = timezone.now()
    since = now - timedelta(days=EVALUATION_DAYS)
    # Open evaluations of sessions the member took part in: present where
    # attendance was taken, else in the group.
    attended = Attendance.objects.filter(
        meeting=OuterRef("meeting"), membership=membership
    )
    in_group = ReflectionGroup.objects.joined_by(membership).filter(
        pk=OuterRef("dilemma__group")
    )
    answered = Respondent.objects.filter(
        evaluation__reflection=OuterRef("pk"), membership=membership
    )
    mine = (
        _sessions(request)
        .filter(Q(meeting__end__lte=now) | Q(signed_off__isnull=False))
        .filter(Q(meeting__end__gt=since) | Q(signed_off__gt=since))
        .alias(took_part=Exists(attended), in_group=Exists(in_group))
        .filter(
            Q(meeting__attended_count__isnull=False, took_part=True)
            | Q(meeting__attended_count__isnull=True, in_group=True)
        )
        .annotate(answered=Exists(answered))
        .order_by("-meeting__start", "-pk")
    )
    answer_count = count_of(Answer.objects.all(), "evaluation__reflection")
    recent = (
        _sessions(request)
        .filter(meeting__start__lte=now)
        .annotate(answer_count=answer_count)
        .order_by("-meeting__start", "-pk")
    )
    return render(
        request,
        "evaluations/list.html",
        {
            "mine": paginate(request, mine),
            "recent": paginate(request, recent, param="recent_page"),
        },
    )
