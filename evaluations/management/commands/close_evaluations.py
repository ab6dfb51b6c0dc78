from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluations.tasks import close_due_evaluations, close_due_evaluations_task


class Command(BaseCommand):
    help = (
        "Close the evaluations whose time is up: release their answers in one "
        "shuffled batch, or delete them unread if too few answered "
        "(docs/evaluations.md). Run it every few minutes; an evaluation is "
        "closed once however often it runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the background task worker instead.",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running and close every SECONDS (for local development).",
        )

    def handle(self, *args: str, enqueue: bool, every: int, **options: Any) -> None:
        while True:
            if enqueue:
                close_due_evaluations_task.enqueue()
                self.stdout.write("Closing evaluations was handed to the worker.")
            else:
                report = close_due_evaluations()
                self.stdout.write(
                    f"Closed {report.released + report.too_few} evaluation(s): "
                    f"{report.released} with results, {report.too_few} with too "
                    "few answers."
                )
                if report.failed and not every:
                    raise CommandError(
                        f"{report.failed} evaluation(s) could not be closed; "
                        "see the log."
                    )
            if not every:
                return
            time.sleep(every)
