"""The reflection log: the record as it is filed, on paper and as a PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import Action as AuditAction
from lib.zones import zone_name
from meetings.models import Meeting, Response, invitees, leads_group
from organisations.access import OrgRequest, audited, member_required
from organisations.models import ReflectionGroup
from reflections.logpdf import log_pdf
from reflections.models import Position, Reflection

from .lookups import get_reflection, record_case


@dataclass
class Presence:
    """Who came and who did not, by the facilitator's record or, without one,
    by the answers to the invitation."""

    recorded: bool
    present: list[str] = field(default_factory=list)
    maybe: list[str] = field(default_factory=list)
    apologies: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


def presence(meeting: Meeting, group: ReflectionGroup) -> Presence:
    invited = {m.pk: m for m in invitees(group)}
    answers = {
        r.membership_id: r for r in meeting.responses.select_related("membership__user")
    }
    for r in answers.values():
        invited.setdefault(r.membership_id, r.membership)
    # Attendance counts once the facilitator has recorded it (attended_count).
    came = (
        {
            a.membership_id: a.membership
            for a in meeting.attendances.select_related("membership__user")
        }
        if meeting.attended_count is not None
        else {}
    )
    said_no = {pk for pk, r in answers.items() if r.answer == Response.Answer.NO}

    def names(people: list[Any]) -> list[str]:
        return sorted((str(p.user) for p in people), key=str.casefold)

    if meeting.attended_count is not None:
        return Presence(
            recorded=True,
            present=names(list(came.values())),
            apologies=names([invited[pk] for pk in said_no if pk not in came]),
            absent=names(
                [m for pk, m in invited.items() if pk not in came and pk not in said_no]
            ),
        )
    by_answer: dict[str, list[Any]] = {a: [] for a in Response.Answer.values}
    for pk, r in answers.items():
        by_answer[r.answer].append(invited[pk])
    return Presence(
        recorded=False,
        present=names(by_answer[Response.Answer.YES]),
        maybe=names(by_answer[Response.Answer.MAYBE]),
        apologies=names(by_answer[Response.Answer.NO]),
        absent=names([m for pk, m in invited.items() if pk not in answers]),
    )


def log_context(request: OrgRequest, reflection: Reflection) -> dict[str, Any]:
    """What the log shows, for the page and for the PDF alike."""
    # Positions never revealed stay private, in print as on screen.
    steps = reflection.steps.prefetch_related(
        "options",
        "perspectives__values",
        Prefetch(
            "positions",
            queryset=Position.objects.filter(
                step__revealed__isnull=False
            ).select_related("membership__user"),
        ),
    )
    group = reflection.group
    return {
        "reflection": reflection,
        "dilemma": reflection.dilemma,
        "practice": reflection.practice_text(),
        "organisation": reflection.organisation,
        "group": group,
        "unit": group.unit,
        "facilitator": reflection.facilitator.user,
        "time_zone": zone_name(timezone.get_current_timezone_name()),
        "presence": presence(reflection.meeting, group),
        "author": reflection.author_shown_to(request.membership),
        "steps": steps,
        "citations": reflection.citations.select_related(
            "value", "guideline__audience"
        ),
        "actions": reflection.actions.select_related(
            "owner__user", "follow_up", "done_by__user"
        ),
        "amendments": reflection.amendments.select_related("author__user"),
        "can_lead": leads_group(request.membership, group),
    }


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def reflection_log(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """Everything in one printable page, including the cited version."""
    reflection = get_reflection(request, reflection_uuid)
    record_case(request, AuditAction.PRINT, reflection)
    return render(request, "reflections/log.html", log_context(request, reflection))


@require_GET
@member_required()
@audited("reflection", "reflection_uuid")
def reflection_log_pdf(request: OrgRequest, reflection_uuid: UUID) -> HttpResponse:
    """The log as a PDF to file; read and audited like the page."""
    reflection = get_reflection(request, reflection_uuid)
    record_case(request, AuditAction.PRINT, reflection)
    pdf = log_pdf(log_context(request, reflection))
    # The file's name tells the date only: no person, no case text.
    held = timezone.localtime(reflection.meeting.start).date().isoformat()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="reflection-{held}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
