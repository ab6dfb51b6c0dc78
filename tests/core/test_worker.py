"""Background work is never silently lost (core/worker.py).

A task that fails is tried again with backoff, then given up and reported; a
task whose worker died is taken up by another; a mail task run again mails
nobody twice. The last test runs real `manage.py db_worker` processes and kills
one in the middle of a task.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import TaskStep, WorkerHeartbeat
from meetings.models import invitees
from meetings.tasks import send_meeting_mail
from tests.dilemmas.helpers import make_meeting
from tests.factories import make_group, make_member
from tests.task_queue import work_off_the_queue

from .worker_tasks import always_fail, block_on_first_attempt, fail_at_first

READY = TaskResultStatus.READY
RUNNING = TaskResultStatus.RUNNING
FAILED = TaskResultStatus.FAILED
SUCCESSFUL = TaskResultStatus.SUCCESSFUL


def worker_log(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "core.worker"]


def row_of(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def seconds_until(moment) -> float:
    return (moment - timezone.now()).total_seconds()


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_tried_again_with_backoff_until_it_succeeds(queue, caplog):
    result = fail_at_first.enqueue(2)

    with caplog.at_level(logging.WARNING, logger="core.worker"):
        work_off_the_queue()

    row = row_of(result)
    assert row.status == READY
    assert row.worker_ids == ["tester"]
    assert 55 < seconds_until(row.run_after) <= 60
    # The last error stays on the row while it waits.
    assert row.exception_class_path == "builtins.ConnectionRefusedError"
    assert "smtp.example.se refused" in row.traceback
    assert worker_log(caplog) == [
        f"Task fail_at_first ({row.pk}) failed on attempt 1 of 5 "
        "(ConnectionRefusedError); trying again in 60 s."
    ]

    work_off_the_queue()  # not due yet
    assert row_of(result).worker_ids == ["tester"]

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        work_off_the_queue()
        row = row_of(result)
        assert row.status == READY
        assert len(row.worker_ids) == 2
        # Four times longer after each further failure.
        assert 235 < seconds_until(row.run_after) <= 240

    with time_machine.travel(timezone.now() + timedelta(seconds=61 + 241)):
        work_off_the_queue()

    row = row_of(result)
    assert row.status == SUCCESSFUL
    assert row.return_value == 3
    assert len(row.worker_ids) == 3
    assert row.exception_class_path == row.traceback == ""


@pytest.mark.django_db(transaction=True)
def test_a_task_that_keeps_failing_is_given_up_and_the_operators_told(
    queue, settings, caplog
):
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.TASKS_RETRY_DELAY = 0
    settings.ADMINS = ["drift@norrby.example"]
    result = always_fail.enqueue()

    with caplog.at_level(logging.ERROR, logger="core.worker"):
        work_off_the_queue()

    row = row_of(result)
    assert row.status == FAILED
    assert len(row.worker_ids) == 3
    summary = (
        f"Task always_fail ({row.pk}) failed 3 times (ConnectionRefusedError) "
        "and will not be tried again."
    )
    assert worker_log(caplog) == [f"{summary} `manage.py failed_tasks` lists it."]
    [report] = mail.outbox
    assert report.to == ["drift@norrby.example"]
    assert report.subject == "[Etikrum] Background task always_fail failed"
    assert summary in report.body
    assert f"manage.py failed_tasks --retry {row.pk}" in report.body
    # An error's message can carry addresses: only on the row, never mailed.
    assert "sara@norrby.example" not in report.body


@pytest.mark.django_db(transaction=True)
def test_a_failed_attempt_is_logged_without_the_error_s_message(queue, caplog):
    always_fail.enqueue()

    with caplog.at_level(logging.ERROR, logger="django.tasks"):
        work_off_the_queue()

    [record] = [r for r in caplog.records if r.name == "django.tasks"]
    written = logging.Formatter().format(record)
    assert "state=FAILED" in written
    assert "builtins.ConnectionRefusedError (message left out)" in written
    assert 'worker_tasks.py", line' in written
    assert "sara@norrby.example" not in written


@pytest.mark.django_db(transaction=True)
def test_operators_list_failed_tasks_and_queue_them_again(queue, settings):
    settings.TASKS_MAX_ATTEMPTS = 1
    result = always_fail.enqueue()
    work_off_the_queue()

    listing = StringIO()
    call_command("failed_tasks", stdout=listing)
    assert f"failed  {result.id}  always_fail  1 attempts" in listing.getvalue()
    assert "ConnectionRefusedError" in listing.getvalue()
    assert "sara@norrby.example" not in listing.getvalue()
    full = StringIO()
    call_command("failed_tasks", "--errors", stdout=full)
    assert "smtp.example.se refused sara@norrby.example" in full.getvalue()

    with pytest.raises(CommandError, match="Not a task id"):
        call_command("failed_tasks", "--retry", "nonsense")
    with pytest.raises(CommandError, match="No failed task with the id"):
        call_command("failed_tasks", "--retry", "00000000-0000-0000-0000-000000000000")
    queued = StringIO()
    call_command("failed_tasks", "--retry", str(result.id), stdout=queued)

    assert queued.getvalue() == "Queued 1 task(s) again.\n"
    assert row_of(result).status == READY
    nothing = StringIO()
    call_command("failed_tasks", stdout=nothing)
    assert nothing.getvalue() == "No failed or stuck tasks.\n"


def left_running(result, worker_ids: list[str], minutes_ago: int) -> None:
    DBTaskResult.objects.filter(pk=result.id).update(
        status=RUNNING,
        worker_ids=worker_ids,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_dead_worker_is_taken_up_again(
    queue, settings, caplog
):
    settings.TASKS_MAX_ATTEMPTS = 2
    settings.ADMINS = ["drift@norrby.example"]
    orphan = fail_at_first.enqueue(0)
    left_running(orphan, ["dead"], minutes_ago=5)
    busy = fail_at_first.enqueue(0)
    left_running(busy, ["alive"], minutes_ago=5)
    WorkerHeartbeat.objects.create(worker_id="alive")
    last_chance = fail_at_first.enqueue(0)
    left_running(last_chance, ["dead", "dead-too"], minutes_ago=5)
    listing = StringIO()
    call_command("failed_tasks", stdout=listing)
    assert f"stuck   {orphan.id}  fail_at_first  running since" in listing.getvalue()
    assert str(busy.id) not in listing.getvalue()

    with caplog.at_level(logging.WARNING, logger="core.worker"):
        work_off_the_queue("rescuer")

    row = row_of(orphan)
    assert row.status == SUCCESSFUL
    assert row.worker_ids == ["dead", "rescuer"]
    assert row.return_value == 2
    # A worker that still beats is left alone, however long its task takes.
    assert row_of(busy).status == RUNNING
    # Out of attempts: given up and reported.
    row = row_of(last_chance)
    assert row.status == FAILED
    assert row.exception_class_path == "core.worker.WorkerDied"
    assert [message.subject for message in mail.outbox] == [
        "[Etikrum] Background task fail_at_first failed"
    ]
    assert (
        f"Task fail_at_first ({orphan.id}) was left running by worker dead, which "
        "stopped; it is queued again (attempt 1 of 2 done)."
    ) in worker_log(caplog)


@pytest.mark.django_db(transaction=True)
def test_a_mail_task_run_again_mails_nobody_twice(queue, settings, org, unit):
    settings.TASKS_RETRY_DELAY = 0
    people = [
        make_member(org, "staff", unit=unit, email=f"kollega{i}@norrby.example")
        for i in range(4)
    ]
    group = make_group(org, unit, members=people)
    meeting = make_meeting(group, timezone.localdate() + timedelta(days=7))
    deliver = EmailBackend.send_messages
    sent = []

    def mail_server_drops_the_third(self, messages):
        sent.extend(messages)
        if len(sent) == 3:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return deliver(self, messages)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", mail_server_drops_the_third)
        result = send_meeting_mail.enqueue(meeting.pk, "invitation")
        work_off_the_queue()

    row = row_of(result)
    assert row.status == SUCCESSFUL
    assert len(row.worker_ids) == 2
    delivered = sorted(address for message in mail.outbox for address in message.to)
    assert delivered == sorted(person.user.email for person in invitees(group))
    assert len(delivered) == 4
    # What the task kept of its progress goes with its success.
    assert not TaskStep.objects.exists()


# Real worker processes.


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def start_worker(worker_id: str) -> subprocess.Popen:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_REPLICA_URL"}
    }
    environment.update(
        DATABASE_URL=database_url(),
        DJANGO_DEBUG="true",
        TASKS_WORKER_TIMEOUT="2",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            worker_id,
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="worker processes need a database they can share with the test; "
    "the SQLite test database lives in this process's memory",
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_leaves_it_to_the_next_worker(queue, tmp_path: Path):
    result = block_on_first_attempt.enqueue(str(tmp_path))
    first = start_worker("first")
    try:
        wait_for(lambda: (tmp_path / "started-1").exists())
        assert row_of(result).status == RUNNING
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    time.sleep(0.5)
    # Nothing else would ever change it: the library leaves it running.
    assert row_of(result).status == RUNNING
    assert row_of(result).worker_ids == ["first"]

    second = start_worker("second")
    try:
        wait_for(lambda: row_of(result).status == SUCCESSFUL)
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    finally:
        second.kill()

    row = row_of(result)
    assert row.return_value == "finished on attempt 2"
    assert row.worker_ids == ["first", "second"]
    assert (tmp_path / "started-2").exists()
    # A worker that stops cleanly takes its heartbeat with it; a killed one cannot.
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "first"
    ]
