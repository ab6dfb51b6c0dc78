"""The sessions whose evaluation a member may answer now.

One query for the evaluations list ("Sessions you took part in") and for the
dashboard, which shows those not answered yet until they are answered or close.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.models import Attendance
from organisations.models import Membership, ReflectionGroup
from reflections.models import Reflection

from .models import EVALUATION_DAYS, Evaluation, Respondent

CLOSED = [Evaluation.State.RELEASED, Evaluation.State.TOO_FEW]


def visible_sessions(membership: Membership) -> QuerySet[Reflection]:
    """Sessions of the groups the member may see (their own, or managed)."""
    return (
        Reflection.objects.filter(organisation=membership.organisation)
        # The session's group: its dilemma's, or a practice session's meeting's.
        .alias(session_group=Coalesce("dilemma__group", "meeting__group"))
        .filter(session_group__in=ReflectionGroup.objects.for_member(membership))
        .select_related("organisation", "meeting__group", "dilemma__group")
    )


def open_to(
    membership: Membership, now: datetime.datetime | None = None
) -> QuerySet[Reflection]:
    """Sessions the member took part in whose evaluation is open, newest first.

    Took part: present where attendance was taken, else in the group. Each
    session is annotated `answered`: whether this member has answered it.
    """
    return _taken_part_in(membership, now or timezone.now()).annotate(
        answered=Exists(_answer_of(membership))
    )


def waiting_for(membership: Membership) -> QuerySet[Reflection]:
    """Those of `open_to` the member has not answered yet."""
    return _taken_part_in(membership, timezone.now()).filter(
        ~Exists(_answer_of(membership))
    )


def _answer_of(membership: Membership) -> QuerySet[Respondent]:
    return Respondent.objects.filter(
        evaluation__reflection=OuterRef("pk"), membership=membership
    )


def _taken_part_in(
    membership: Membership, now: datetime.datetime
) -> QuerySet[Reflection]:
    since = now - timedelta(days=EVALUATION_DAYS)
    attended = Attendance.objects.filter(
        meeting=OuterRef("meeting"), membership=membership
    )
    in_group = ReflectionGroup.objects.joined_by(membership).filter(
        pk=OuterRef("session_group")
    )
    return (
        visible_sessions(membership)
        .filter(Q(meeting__end__lte=now) | Q(signed_off__isnull=False))
        .filter(Q(meeting__end__gt=since) | Q(signed_off__gt=since))
        # Closed early by those who lead the group: nothing left to answer.
        .exclude(evaluation__state__in=CLOSED)
        .alias(took_part=Exists(attended), in_group=Exists(in_group))
        .filter(
            Q(meeting__attended_count__isnull=False, took_part=True)
            | Q(meeting__attended_count__isnull=True, in_group=True)
        )
        .order_by("-meeting__start", "-pk")
    )
