"""The follow-up e-mail after a session, sent by the task worker.

It thanks those who took part, links to the evaluation and says how many
actions were agreed. It carries no case text: no dilemma, no conclusion, no
action text; the reflection page (behind sign-in) has those.
"""

from __future__ import annotations

from collections import Counter

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

MAILS = "evaluations/email/follow_up"


def _language(membership: Membership) -> str:
    return membership.user.language or membership.organisation.language


def _url(name: str, reflection: Reflection) -> str:
    kwargs = {"org": reflection.organisation.slug, "reflection_uuid": reflection.uuid}
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


@task(takes_context=True)
def send_follow_up(context: TaskContext | None, reflection_id: int) -> int:
    """Mail everyone who took part and has not answered yet; returns how many.

    Run again after a failure, it mails only those not mailed yet (Steps).
    """
    reflection = (
        Reflection.objects.select_related("organisation", "meeting", "dilemma__group")
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
        "group": reflection.dilemma.group,
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
