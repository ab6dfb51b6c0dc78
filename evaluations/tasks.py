"""Work for the task worker: closing evaluations, and the follow-up e-mail.

Evaluations whose time is up are closed by `close_due_evaluations`, which
`manage.py close_evaluations` runs (or hands to the worker) every few minutes.

The follow-up e-mail thanks those who took part, links to the evaluation and
says how many actions were agreed. It carries no case text: no dilemma, no
conclusion, no action text; the reflection page (behind sign-in) has those.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.steps import Steps
from organisations.models import Membership
from reflections.models import Reflection

from .models import Evaluation
from .questionnaire import ITEMS
from .sealing import SealError

MAILS = "evaluations/email/follow_up"

logger = logging.getLogger(__name__)


@dataclass
class ClosingReport:
    released: int = 0
    too_few: int = 0
    failed: int = 0


def close_due_evaluations(now: datetime.datetime | None = None) -> ClosingReport:
    """Close every evaluation whose time is up, each in its own transaction."""
    report = ClosingReport()
    for evaluation in Evaluation.objects.due(now).select_related(
        "reflection__organisation", "reflection__meeting"
    ):
        try:
            state = evaluation.close()
        except Exception as error:
            # One that cannot be opened (a key lost) must not hold up the
            # rest; its sealed answers stay, and the next run tries again.
            # Only what went wrong is logged, never a value.
            logger.error(
                "Evaluation %s could not be closed: %s",
                evaluation.pk,
                error if isinstance(error, SealError) else type(error).__name__,
            )
            report.failed += 1
        else:
            if state == Evaluation.State.RELEASED:
                report.released += 1
            elif state == Evaluation.State.TOO_FEW:
                report.too_few += 1
    return report


@task
def close_due_evaluations_task() -> int:
    """For the task worker; returns how many were closed."""
    report = close_due_evaluations()
    if report.failed:
        # A failed task is what the operators look for in the task results.
        raise RuntimeError(
            f"{report.failed} evaluation(s) could not be closed; see the log."
        )
    return report.released + report.too_few


def _language(membership: Membership) -> str:
    return membership.user.language or membership.organisation.language


def _url(name: str, reflection: Reflection) -> str:
    kwargs = {"org": reflection.organisation.slug, "reflection_uuid": reflection.uuid}
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


@task(takes_context=True)
def send_follow_up(context: TaskContext[Any, Any] | None, reflection_id: int) -> int:
    """Mail everyone who took part and has not answered yet; returns how many.

    Run again after a failure, it mails only those not mailed yet (Steps).
    """
    reflection = (
        Reflection.objects.select_related(
            "organisation", "meeting__group", "dilemma__group"
        )
        .filter(pk=reflection_id)
        .first()
    )
    if reflection is None:
        return 0
    evaluation = Evaluation.for_reflection(reflection)
    if not evaluation.is_open():
        return 0
    answered = (
        set(evaluation.respondents.values_list("membership_id", flat=True))
        if evaluation.pk
        else set()
    )
    recipients = (
        evaluation.participants()
        .filter(user__is_active=True)
        .exclude(pk__in=answered)
        .select_related("user", "organisation")
    )
    owners = Counter(reflection.actions.values_list("owner_id", flat=True))
    mail = {
        "reflection": reflection,
        "group": reflection.group,
        "meeting": reflection.meeting,
        "closes": evaluation.closes,
        "minimum": evaluation.minimum,
        "items": len(ITEMS),
        "action_count": owners.total(),
        "evaluation_url": _url("evaluations:answer", reflection),
        "reflection_url": _url("reflections:detail", reflection),
    }
    sent = 0
    steps = Steps(context)
    for recipient in recipients:
        if f"mail:{recipient.pk}" in steps:
            continue
        with (
            translation.override(_language(recipient)),
            timezone.override(reflection.organisation.time_zone),
        ):
            mail_context = {**mail, "own_actions": owners[recipient.pk]}
            subject = render_to_string(f"{MAILS}_subject.txt", mail_context)
            body = render_to_string(f"{MAILS}_body.txt", mail_context)
        message = EmailMessage(
            " ".join(subject.split()), body, to=[recipient.user.email]
        )
        message.extra_headers["Content-Language"] = _language(recipient)
        message.send()
        steps.done(f"mail:{recipient.pk}")
        sent += 1
    return sent
