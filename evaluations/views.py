"""Answering a session's evaluation and reading its results.

These pages show no case text: a session is named by its group, meeting, date
and method, never by its dilemma, so nothing here is a reading of a case and
nothing is written to the audit log. That matters: an audit row of who opened
the answer page when would say who answered when.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, TypedDict
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from lib.pagination import paginate
from lib.queries import count_of
from meetings.models import leads_group
from organisations.access import OrgRequest, member_required
from reflections.models import Reflection

from .forms import AnswerForm
from .models import (
    AlreadyAnswered,
    Answer,
    Evaluation,
    NotAParticipant,
    NotOpen,
    Respondent,
    Results,
    closing_time,
)
from .questionnaire import SCALE
from .sealing import SealError
from .waiting import open_to, visible_sessions

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

logger = logging.getLogger(__name__)


class _Counts(TypedDict):
    """What the list of recent sessions adds to each."""

    answer_count: int
    released: int
    evaluation_state: str | None


def _sessions(request: OrgRequest) -> QuerySet[Reflection]:
    """Sessions of the groups the member may see (their own, or managed)."""
    return visible_sessions(request.membership)


def _get_session(request: OrgRequest, reflection_uuid: UUID) -> Reflection:
    session: Reflection = get_object_or_404(_sessions(request), uuid=reflection_uuid)
    return session


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
            return _back_to_answer(request, reflection)
        if form.is_valid():
            _record_answer(request, evaluation, form)
            return _back_to_answer(request, reflection)
        status = 422
    return render(
        request,
        "evaluations/answer.html",
        {
            "reflection": reflection,
            "evaluation": evaluation,
            "answered": answered,
            "is_open": is_open,
            "not_yet": evaluation.state == Evaluation.State.OPEN
            and timezone.now() < evaluation.opens,
            "form": form,
            "scale": SCALE,
        },
        status=status,
    )


def _record_answer(
    request: OrgRequest, evaluation: Evaluation, form: AnswerForm
) -> None:
    """Record the member's answer and say how it went."""
    try:
        evaluation.record_answer(
            request.membership,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        )
    except AlreadyAnswered:
        messages.info(request, _("You have already answered this evaluation."))
    except (NotOpen, NotAParticipant):
        messages.info(request, _("This evaluation takes no more answers from you."))
    else:
        messages.success(
            request, _("Thank you. Your answer was saved without your name.")
        )


def _back_to_answer(request: OrgRequest, reflection: Reflection) -> HttpResponse:
    return redirect(
        "evaluations:answer",
        org=request.organisation.slug,
        reflection_uuid=reflection.uuid,
    )


def _phase(evaluation: Evaluation, results: Results | None, count: int) -> str:
    """Which of its stages the results page shows."""
    if results is not None:
        return "results"
    if evaluation.state != Evaluation.State.OPEN:
        return "too_few"
    if evaluation.is_closed():
        return "closing" if count else "nobody"
    return "open"


@require_GET
@member_required()
def results(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    reflection = _get_session(request, reflection_uuid)
    evaluation = Evaluation.for_reflection(reflection)
    count = evaluation.answer_count()
    # Nothing but the count while it is open: a page read before and after one
    # more answer must not differ by that answer.
    results = evaluation.results()
    if results is None and evaluation.is_released:
        # Released, but fewer than the minimum asked for now: say how many.
        count = evaluation.answers.count()
    leads = leads_group(request.membership, reflection.group)
    return render(
        request,
        "evaluations/results.html",
        {
            "reflection": reflection,
            "evaluation": evaluation,
            "count": count,
            "phase": _phase(evaluation, results, count),
            "results": results,
            "scale": SCALE,
            "takes_part": evaluation.takes_part(request.membership),
            "leads": leads,
            "can_close": leads and evaluation.can_close(),
        },
    )


@require_POST
@member_required()
def close(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """Those who lead the group close the evaluation once enough have answered."""
    reflection = _get_session(request, reflection_uuid)
    if not leads_group(request.membership, reflection.group):
        raise PermissionDenied
    evaluation = Evaluation.for_reflection(reflection)
    if not evaluation.can_close():
        messages.info(
            request,
            _(
                "The evaluation can be closed once at least %(minimum)s have "
                "answered, or when its time is up."
            )
            % {"minimum": evaluation.minimum},
        )
    else:
        try:
            state = evaluation.close()
        except SealError as error:
            logger.error("Evaluation %s could not be closed: %s", evaluation.pk, error)
            messages.error(
                request,
                _(
                    "The answers could not be opened, so the evaluation stays open. "
                    "Tell those who run the service: the key that sealed them is "
                    "missing."
                ),
            )
        else:
            if state == Evaluation.State.RELEASED:
                messages.success(
                    request, _("The evaluation is closed and its results are shown.")
                )
            else:
                messages.info(
                    request,
                    _(
                        "The evaluation is closed. Too few answered for results to "
                        "be shown, so the answers were deleted unread."
                    ),
                )
    return redirect(
        "evaluations:results",
        org=request.organisation.slug,
        reflection_uuid=reflection.uuid,
    )


def _results_label(session: WithAnnotations[Reflection, _Counts], minimum: int) -> str:
    """What the list's last column says of a session's evaluation."""
    state = session.evaluation_state or Evaluation.State.OPEN
    if state == Evaluation.State.RELEASED:
        return _("Results") if session.released >= minimum else _("Too few answers")
    if state == Evaluation.State.TOO_FEW:
        return _("Too few answers")
    closes = closing_time(session)
    if timezone.now() >= closes:
        if session.answer_count:
            return _("Closed, results on the way")
        return _("Nobody answered")
    return _("Open until %(date)s") % {
        "date": formats.date_format(timezone.localtime(closes), "DATE_FORMAT")
    }


@require_GET
@member_required()
def evaluation_list(request: OrgRequest) -> HttpResponse:
    now = timezone.now()
    mine = open_to(request.membership, now)
    recent = (
        _sessions(request)
        .filter(meeting__start__lte=now)
        .annotate(
            answer_count=count_of(Respondent.objects.all(), "evaluation__reflection"),
            released=count_of(Answer.objects.all(), "evaluation__reflection"),
            evaluation_state=F("evaluation__state"),
        )
        .order_by("-meeting__start", "-pk")
    )
    recent_page = paginate(request, recent, param="recent_page")
    minimum = request.organisation.evaluation_minimum
    for session in recent_page:
        # An attribute of the page's row only, for the template.
        session.results_label = _results_label(session, minimum)  # type: ignore[attr-defined]
    return render(
        request,
        "evaluations/list.html",
        {"mine": paginate(request, mine), "recent": recent_page},
    )
