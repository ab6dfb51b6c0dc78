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
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.steps import Steps
from organisations.models import Membership

from . import ics
from .links import answer_token
from .models import (
    OUTCOME_REMINDER_WINDOW,
    Meeting,
    Response,
    SentReminder,
    Series,
    invitees,
    series_from_snapshot,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# The longest lead time a group can choose (two weeks), in hours.
MAX_LEAD_HOURS = 336


def _language(membership: Membership) -> str:
    return membership.user.language or membership.organisation.language


def _send(
    recipient: Membership,
    template: str,
    context: dict[str, Any],
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


# What each kind of meeting mail carries: a calendar method, and for a cancel
# whether it covers the whole series.
CALENDAR_METHODS = {
    "invitation": ("REQUEST", False),
    "update": ("REQUEST", False),
    "series_update": ("REQUEST", False),
    "series_ends": ("REQUEST", False),
    "cancel": ("CANCEL", False),
    "cancel_series": ("CANCEL", True),
    "removed": ("CANCEL", True),
}
# Mails that ask "will you come?" carry one-click answer links.
ASKS_FOR_AN_ANSWER = {"invitation", "update", "series_update"}


def answer_links(
    meeting: Meeting, recipient: Membership
) -> list[tuple[StrOrPromise, str]]:
    """One link per answer, each to a page that asks to confirm (a GET changes
    nothing, so a mail program that opens links answers nothing)."""
    if meeting.is_cancelled or meeting.is_past:
        return []
    url = settings.SITE_URL + reverse(
        "answer_by_link", kwargs={"token": answer_token(meeting, recipient)}
    )
    return [
        (label, f"{url}?answer={value}") for value, label in Response.Answer.choices
    ]


def _recipients(meeting: Meeting, ids: list[int] | None) -> list[Membership]:
    if ids is None:
        return invitees(meeting.group)
    return list(
        Membership.objects.active()
        .filter(organisation_id=meeting.organisation_id, pk__in=ids)
        .select_related("user", "organisation")
    )


@task(takes_context=True)
def send_meeting_mail(
    context: TaskContext[Any, Any] | None,
    meeting_id: int,
    kind: str,
    *,
    recipients: list[int] | None = None,
    previous: dict[str, Any] | None = None,
    cancelled: list[int] | None = None,
) -> None:
    """Tell the group (or the `recipients`) about a meeting, with a calendar file.

    kind: "invitation"; "update" (one meeting or occurrence changed on its own,
    `previous` its old time and place); "series_update" (the schedule changed,
    `previous` the old one); "series_ends" (a series that another takes over
    from); "cancel" (one meeting or occurrence); "cancel_series" (`cancelled`:
    the meetings cancelled); "removed" (the recipients left the group).

    Run again after a failure, it mails only those not mailed yet (Steps).
    """
    meeting = (
        Meeting.objects.select_related("organisation", "group", "series")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return
    method, whole_series = CALENDAR_METHODS[kind]
    mail = _mail_context(meeting, kind, previous, cancelled)
    steps = Steps(context)
    for recipient in _recipients(meeting, recipients):
        if f"mail:{recipient.pk}" in steps:
            continue
        links = answer_links(meeting, recipient) if kind in ASKS_FOR_AN_ANSWER else []
        _send(
            recipient,
            "meeting",
            {**mail, "answer_links": links},
            calendar=(method, _calendar_file(meeting, recipient, method, whole_series)),
        )
        steps.done(f"mail:{recipient.pk}")
    # Ids only: names, titles and addresses stay out of the logs.
    logger.info("Sent %s for meeting %s", kind, meeting.pk)


def _mail_context(
    meeting: Meeting,
    kind: str,
    previous: dict[str, Any] | None,
    cancelled: list[int] | None,
) -> dict[str, Any]:
    """What every recipient's mail about the meeting shows."""
    series = meeting.series if kind not in {"cancel", "update"} else None
    return {
        "kind": kind,
        "meeting": meeting,
        "series": series,
        "url": ics.meeting_url(meeting),
        "previous": _previous(meeting, kind, previous),
        "cancelled": list(
            Meeting.objects.filter(
                series=meeting.series_id, pk__in=cancelled or []
            ).order_by("start")
        ),
        "upcoming": _upcoming(meeting) if kind == "removed" else [],
    }


def _calendar_file(
    meeting: Meeting, recipient: Membership, method: str, whole_series: bool
) -> Callable[[], str]:
    """The recipient's calendar file, built in their language when the mail is."""
    if method == "CANCEL":
        return lambda: ics.cancel(
            meeting, recipient=recipient, whole_series=whole_series
        ).decode()
    return lambda: ics.request(meeting, recipient=recipient).decode()


def _previous(
    meeting: Meeting, kind: str, previous: dict[str, Any] | None
) -> Series | Meeting | None:
    """What a meeting or a series was before the change, to show beside the new."""
    if not previous:
        return None
    if kind == "series_update":
        return series_from_snapshot(previous, meeting.organisation.time_zone)
    return Meeting(
        start=datetime.fromisoformat(previous["start"]),
        end=datetime.fromisoformat(previous["end"]),
        place=previous["place"],
        link=previous["link"],
    )


def _upcoming(meeting: Meeting) -> list[Meeting]:
    """The upcoming meetings of one calendar object (a meeting, or its series)."""
    if meeting.series is None:
        return [meeting]
    return list(meeting.series.meetings.upcoming().order_by("start"))


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
        links = (
            answer_links(meeting, person) if kind == SentReminder.Kind.BEFORE else []
        )
        _send(
            person,
            "reminder",
            {
                "kind": kind,
                "meeting": meeting,
                "url": ics.meeting_url(meeting),
                "answer_links": links,
            },
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
