"""The background tasks that were given up, and those stuck running.

A task is given up after TASKS_MAX_ATTEMPTS failed attempts (core/worker.py);
the operators were mailed then. Once the cause is mended (the mail server is
back, say), `--retry` queues a task again for one more attempt.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import WorkerHeartbeat
from core.worker import task_name


class Command(BaseCommand):
    help = (
        "List the background tasks that failed for good and those left running "
        "by a worker that stopped; --retry queues failed ones again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--retry",
            nargs="+",
            metavar="ID",
            help="Queue these failed tasks again (or 'all') for one more attempt.",
        )
        parser.add_argument(
            "--errors",
            action="store_true",
            dest="show_errors",
            help="Show each failed task's last error in full.",
        )

    def handle(self, *args, retry: list[str] | None, show_errors: bool, **options):
        failed = DBTaskResult.objects.failed().order_by("-finished_at")
        if retry:
            self.retry(failed, retry)
            return
        now = timezone.now()
        timeout = timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)
        alive = WorkerHeartbeat.objects.filter(beat__gte=now - timeout).values_list(
            "worker_id", flat=True
        )
        stuck = [
            row
            for row in DBTaskResult.objects.running().filter(
                started_at__lt=now - timeout
            )
            if not row.worker_ids or row.worker_ids[-1] not in set(alive)
        ]
        if not failed and not stuck:
            self.stdout.write("No failed or stuck tasks.")
            return
        for row in failed:
            error = row.exception_class_path.rsplit(".", 1)[-1]
            self.stdout.write(
                f"failed  {row.pk}  {task_name(row)}  {len(row.worker_ids)} attempts  "
                f"{row.finished_at:%Y-%m-%d %H:%M}  {error}"
            )
            if show_errors and row.traceback:
                self.stdout.write(row.traceback)
        for row in stuck:
            self.stdout.write(
                f"stuck   {row.pk}  {task_name(row)}  running since "
                f"{row.started_at:%Y-%m-%d %H:%M}; no worker is alive to take it up"
            )

    def retry(self, failed, ids: list[str]) -> None:
        if ids != ["all"]:
            try:
                wanted = {uuid.UUID(value) for value in ids}
            except ValueError as error:
                raise CommandError(f"Not a task id: {' '.join(ids)}") from error
            failed = failed.filter(pk__in=wanted)
            missing = {str(pk) for pk in wanted} - {
                str(pk) for pk in failed.values_list("pk", flat=True)
            }
            if missing:
                raise CommandError(
                    "No failed task with the id " + ", ".join(sorted(missing)) + "."
                )
        count = failed.update(
            status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
        )
        self.stdout.write(f"Queued {count} task(s) again.")
