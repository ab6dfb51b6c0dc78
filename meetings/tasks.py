"""Background work: invitation e-mails and reminders, run by the task worker.

Reminders are found by `dispatch_reminders`, which the worker runs whenever the
`dispatch_reminders` management command enqueues it (every few minutes, from a
systemd timer or cron in production and from `make run` locally). Each
reminder is recorded in the transaction that sends it, under a unique
constraint, so running the dispatcher twice, on two workers at once or again
after a restart sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import MIMEPart

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from organisations.models import Membership

from . import ics
from .models import OUTCOME_REMINDER_WINDOW, Meeting, SentReminder, invitees

logger = logging.getLogger(__name__)

# The longest lead time a group can choose (two weeks), in hours.
MAX_LEAD_HOURS = 336


def _language(membership: Membership) -> str:
    return membership.user.language or membership.organisation.language


def _send(
    recipient: Membership,
    template: str,
    context: dict,
    *,
    calendar: tuple[str, Callable[[], str]] | None = None,
) -> None:
    """Render and send one e-mail in the recipient's language and the org's time."""
    organisation = recipient.organisation
    with (
        translation.override(_language(recipient)),
        timezone.override(organisation.time_zone),
    ):
        context = {**context, "recipient": recipient, "organisation": organisation}
        subject = render_to_string(f"meetings/email/{template}_subject.txt", context)
        body = render_to_string(f"meetings/email/{template}_body.txt", context)
        attachment = None
        if calendar is not None:
            method, build = calendar
            attachment = MIMEPart()
            attachment.set_content(
                build(),
                subtype="calendar",
                params={"method": method},
                disposition="attachment",
                filename="invitation.ics",
            )
    message = EmailMessage(" ".join(subject.split()), body, to=[recipient.user.email])
    message.extra_headers["Content-Language"] = _language(recipient)
    if attachment is not None:
        message.attach(attachment)
    message.send()


@task
def send_meeting_mail(meeting_id: int, kind: str) -> None:
    """Invite the group, or tell it about a change or a cancellation.

    kind: "invitation", "update", "cancel" (this meeting or occurrence) or
    "cancel_series".
    """
    meeting = (
        Meeting.objects.select_related("organisation", "group", "series")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return
    for recipient in invitees(meeting.group):
        if kind in {"cancel", "cancel_series"}:

            def build(recipient=recipient):
                return ics.cancel(
                    meeting, recipient=recipient, whole_series=kind == "cancel_series"
                ).decode()

            calendar = ("CANCEL", build)
        else:

            def build(recipient=recipient):
                return ics.request(meeting, recipient=recipient).decode()

            calendar = ("REQUEST", build)
        context = {
            "kind": kind,
            "meeting": meeting,
            "series": meeting.series if kind != "cancel" else None,
            "url": ics.meeting_url(meeting),
        }
        _send(recipient, "meeting", context, calendar=calendar)
    # Ids only: names, titles and addresses stay out of the logs.
    logger.info("Sent %s for meeting %s", kind, meeting.pk)


def due_reminders(now: datetime) -> list[tuple[Meeting, Membership, str]]:
    """Reminders that should have gone out by `now` and have not."""
    due: list[tuple[Meeting, Membership, str]] = []
    upcoming = Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        start__gt=now,
        start__lte=now + timedelta(hours=MAX_LEAD_HOURS),
        group__reminder_hours__gt=0,
    ).select_related("organisation", "group")
    for meeting in upcoming:
        remind_at = meeting.start - timedelta(hours=meeting.group.reminder_hours)
        # A meeting scheduled inside its reminder window just had its invitation.
        if remind_at <= now and meeting.created <= remind_at:
            due.extend(
                (meeting, person, SentReminder.Kind.BEFORE)
                for person in invitees(meeting.group)
            )
    ended = (
        Meeting.objects.filter(end__lte=now, end__gt=now - OUTCOME_REMINDER_WINDOW)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("organisation", "group")
    )
    for meeting in ended:
        facilitators = meeting.group.facilitators.active().select_related(
            "user", "organisation"
        )
        due.extend(
            (meeting, person, SentReminder.Kind.OUTCOME) for person in facilitators
        )
    sent = set(
        SentReminder.objects.filter(
            meeting__in={meeting.pk for meeting, _person, _kind in due}
        ).values_list("meeting_id", "membership_id", "kind")
    )
    return [
        (meeting, person, kind)
        for meeting, person, kind in due
        if (meeting.pk, person.pk, kind) not in sent
    ]


def send_reminder(meeting: Meeting, person: Membership, kind: str) -> bool:
    """Send one reminder unless it was sent already. True if this call sent it."""
    with transaction.atomic():
        _marker, created = SentReminder.objects.get_or_create(
            meeting=meeting, membership=person, kind=kind
        )
        if not created:
            return False
        # An error here rolls the marker back, and the next run tries again.
        _send(
            person,
            "reminder",
            {"kind": kind, "meeting": meeting, "url": ics.meeting_url(meeting)},
        )
    return True


def dispatch_reminders(now: datetime | None = None) -> int:
    """Send every due reminder once. Returns how many were sent."""
    sent = 0
    for meeting, person, kind in due_reminders(now or timezone.now()):
        try:
            sent += send_reminder(meeting, person, kind)
        except Exception as error:
            # One bad address or a mail server hiccup must not hold up the
            # rest; nothing was recorded, so the next run tries again. Only the
            # error's type is logged: SMTP messages can carry addresses.
            logger.error(
                "A %s reminder for meeting %s failed: %s",
                kind,
                meeting.pk,
                type(error).__name__,
            )
    if sent:
        logger.info("Sent %s meeting reminders", sent)
    return sent


@task
def dispatch_due_reminders() -> int:
    return dispatch_reminders()
