"""The task worker, made so that background work is never silently lost.

django-tasks-db (0.13) runs each task once: a task that raises is marked
failed and left, and a task whose worker died (a lost machine, `kill -9`, the
out-of-memory killer) stays "running" for good. This worker is the library's,
with three additions:

- **Retries with backoff.** A task that raises is queued again, on the same
  row, to run after `TASKS_RETRY_DELAY` seconds, four times longer after each
  further failure, until it has been tried `TASKS_MAX_ATTEMPTS` times. Each
  attempt adds the worker's id to the row (`worker_ids`), so the number of
  attempts is the library's own `TaskResult.attempts`. The last error stays on
  the row while it waits.
- **Reported when given up.** Then the row is left failed, an error is logged
  and the operators (`DJANGO_ADMINS`) get a short e-mail; `manage.py
  failed_tasks` lists such tasks and can queue them again.
- **A dead worker's task is taken up again.** Each worker writes a heartbeat
  (`core.WorkerHeartbeat`) every few seconds from a thread of its own, and
  looks for tasks left running by a worker that has not beaten for
  `TASKS_WORKER_TIMEOUT` seconds: such a task is queued again at once (it
  counts as an attempt).

Since any task may run more than once, every task must be safe to run twice;
tasks that send several e-mails record each one sent (core/steps.py), so
that a second run sends only the rest.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mail_admins
from django.db import DatabaseError, close_old_connections, connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import TaskStep, WorkerHeartbeat

logger = logging.getLogger(__name__)

# The longest wait between two attempts.
LONGEST_DELAY = timedelta(hours=6)
# Heartbeats and steps of tasks are kept this long, then removed.
KEEP = timedelta(days=30)


class WorkerDied(Exception):
    """Recorded on a task whose worker stopped while running it, the last time."""


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    seconds = settings.TASKS_RETRY_DELAY * 4 ** (attempts - 1)
    return min(timedelta(seconds=seconds), LONGEST_DELAY)


def task_name(row: DBTaskResult) -> str:
    return row.task_path.rsplit(".", 1)[-1]


def after_failure(row: DBTaskResult, now: datetime | None = None) -> None:
    """The row has just failed: queue it again, or give it up and report it."""
    now = now or timezone.now()
    attempts = len(row.worker_ids)
    if attempts >= settings.TASKS_MAX_ATTEMPTS:
        give_up(row)
        return
    delay = retry_delay(attempts)
    row.status = TaskResultStatus.READY
    row.run_after = now + delay
    row.finished_at = None
    # The error of the last attempt stays, so that an operator sees why it waits.
    row.save(update_fields=["status", "run_after", "finished_at"])
    logger.warning(
        "Task %s (%s) failed on attempt %d of %d (%s); trying again in %d s.",
        task_name(row),
        row.pk,
        attempts,
        settings.TASKS_MAX_ATTEMPTS,
        row.exception_class_path.rsplit(".", 1)[-1],
        delay.total_seconds(),
    )


def give_up(row: DBTaskResult) -> None:
    """Leave the row failed and tell the operators, without the task's data.

    Only the task's name, id, attempts and the error's class: an error's
    message and traceback can carry e-mail addresses. They are on the row.
    """
    error = row.exception_class_path.rsplit(".", 1)[-1] or "unknown error"
    summary = (
        f"Task {task_name(row)} ({row.pk}) failed {len(row.worker_ids)} times "
        f"({error}) and will not be tried again."
    )
    logger.error("%s `manage.py failed_tasks` lists it.", summary)
    try:
        mail_admins(
            f"Background task {task_name(row)} failed",
            f"{summary}\n\n"
            "`manage.py failed_tasks --errors` shows what went wrong, and "
            f"`manage.py failed_tasks --retry {row.pk}` queues it again once "
            "the cause is mended.\n",
        )
    except Exception as failure:
        # Often the very mail server whose failure this is.
        logger.error("Could not mail the operators: %s", type(failure).__name__)


def reap(now: datetime | None = None) -> int:
    """Queue again the tasks left running by workers that stopped beating."""
    now = now or timezone.now()
    timeout = timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)
    alive = set(
        WorkerHeartbeat.objects.filter(beat__gte=now - timeout).values_list(
            "worker_id", flat=True
        )
    )
    taken_up = 0
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - timeout)
    for row in stale:
        worker = row.worker_ids[-1] if row.worker_ids else ""
        if worker in alive:
            continue
        attempts = len(row.worker_ids)
        if attempts >= settings.TASKS_MAX_ATTEMPTS:
            changed = {
                "status": TaskResultStatus.FAILED,
                "finished_at": now,
                "exception_class_path": f"{__name__}.WorkerDied",
                "traceback": f"Worker {worker} stopped while running this task.",
            }
        else:
            changed = {"status": TaskResultStatus.READY, "run_after": now}
        # Only if it is still the same run: its worker may have finished it.
        updated = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        ).update(**changed)
        if not updated:
            continue
        row.refresh_from_db()
        if row.status == TaskResultStatus.FAILED:
            give_up(row)
        else:
            taken_up += 1
            logger.warning(
                "Task %s (%s) was left running by worker %s, which stopped; "
                "it is queued again (attempt %d of %d done).",
                task_name(row),
                row.pk,
                worker,
                attempts,
                settings.TASKS_MAX_ATTEMPTS,
            )
    WorkerHeartbeat.objects.filter(beat__lt=now - KEEP).delete()
    TaskStep.objects.filter(done__lt=now - KEEP).delete()
    return taken_up


class Heartbeat(threading.Thread):
    """Says the worker is alive, and takes up the tasks of workers that are not."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = max(settings.TASKS_WORKER_TIMEOUT / 4, 0.1)
        self.stopping = threading.Event()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"beat": timezone.now()},
            create_defaults={
                "beat": timezone.now(),
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    self.beat()
                    reap()
                except DatabaseError as error:
                    # A locked SQLite file or a database restart: next time.
                    logger.warning(
                        "Worker %s could not write its heartbeat (%s).",
                        self.worker_id,
                        type(error).__name__,
                    )
                self.stopping.wait(self.every)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.every + 5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


class RetryingWorker(Worker):
    def __init__(self, *, heartbeat: bool = True, **options):
        super().__init__(**options)
        # Off in tests that run a worker in the test process, whose database
        # (SQLite in memory) another thread cannot share safely.
        self.heartbeat = heartbeat

    def run(self) -> None:
        reap()
        if not self.heartbeat:
            return super().run()
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.beat()
        heartbeat.start()
        try:
            return super().run()
        finally:
            heartbeat.stop()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            after_failure(db_task_result)
        elif db_task_result.status == TaskResultStatus.SUCCESSFUL:
            TaskStep.objects.filter(task_id=db_task_result.pk).delete()
