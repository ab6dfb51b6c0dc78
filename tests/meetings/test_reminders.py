from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Meeting, SentReminder
from meetings.tasks import dispatch_reminders
from tests.translations import tr

pytestmark = pytest.mark.django_db


def move(meeting: Meeting, *, starts_in: timedelta, created_ago: timedelta) -> None:
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        start=now + starts_in,
        end=now + starts_in + timedelta(minutes=90),
        created=now - created_ago,
    )


def test_reminders_go_out_once_when_the_dispatch_runs_twice(
    meeting, member, facilitator
):
    move(meeting, starts_in=timedelta(hours=20), created_ago=timedelta(days=7))

    call_command("dispatch_reminders")
    call_command("dispatch_reminders")
    call_command("dispatch_reminders", "--now")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member.user.email, facilitator.user.email]
    )
    subject = tr("sv", "Reminder: %(title)s") % {"title": meeting.title}
    assert all(m.subject == subject for m in mail.outbox)
    assert SentReminder.objects.filter(kind="before").count() == 2


def test_no_reminder_before_the_groups_lead_time(meeting, group):
    group.reminder_hours = 4
    group.save()
    move(meeting, starts_in=timedelta(hours=20), created_ago=timedelta(days=7))

    assert dispatch_reminders() == 0

    later = timezone.now() + timedelta(hours=17)
    assert dispatch_reminders(now=later) == 2
    assert dispatch_reminders(now=later) == 0


def test_a_group_without_reminders_gets_none(meeting, group):
    group.reminder_hours = 0
    group.save()
    move(meeting, starts_in=timedelta(hours=1), created_ago=timedelta(days=7))

    assert dispatch_reminders() == 0
    assert not mail.outbox


def test_cancelled_meetings_are_not_reminded(meeting):
    move(meeting, starts_in=timedelta(hours=2), created_ago=timedelta(days=7))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()

    assert dispatch_reminders() == 0


def test_facilitator_is_reminded_once_to_record_the_outcome(meeting, facilitator):
    move(meeting, starts_in=-timedelta(hours=3), created_ago=timedelta(days=7))

    assert dispatch_reminders() == 1
    assert dispatch_reminders() == 0

    (message,) = mail.outbox
    assert message.to == [facilitator.user.email]
    assert message.subject == tr("sv", "Record the outcome: %(title)s") % {
        "title": meeting.title
    }
    assert SentReminder.objects.get().kind == SentReminder.Kind.OUTCOME


def test_a_failed_send_is_tried_again(meeting, monkeypatch):
    move(meeting, starts_in=timedelta(hours=2), created_ago=timedelta(days=7))

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert dispatch_reminders() == 0
    assert not SentReminder.objects.exists()
    monkeypatch.undo()

    assert dispatch_reminders() == 2


def test_reminder_before_carries_one_click_answers_and_the_outcome_none(
    client, meeting, member, facilitator
):
    from meetings.models import Response

    move(meeting, starts_in=timedelta(hours=20), created_ago=timedelta(days=7))
    dispatch_reminders()
    body = next(m for m in mail.outbox if m.to == [member.user.email]).body
    path = body.split("http://127.0.0.1:8000")[-2].split("?answer=")[0]
    assert "?answer=yes" in body and path.startswith("/answer/")

    client.post(path, {"answer": "maybe"})

    assert Response.objects.get(membership=member).answer == "maybe"
    mail.outbox.clear()
    move(meeting, starts_in=-timedelta(hours=2), created_ago=timedelta(days=7))
    dispatch_reminders()
    outcome = next(m for m in mail.outbox if m.to == [facilitator.user.email])
    assert "/answer/" not in outcome.body
