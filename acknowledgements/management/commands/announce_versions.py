from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acknowledgements.tasks import announce_due, announce_due_task


class Command(BaseCommand):
    help = (
        "E-mail every member what a version that took effect changed for them "
        "(docs/value-base.md). Run it every few minutes; each member gets the "
        "e-mail once however often it runs."
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
            help="Keep running and look every SECONDS (for local development).",
        )

    def handle(self, *args: Any, enqueue: bool, every: int, **options: Any) -> None:
        while True:
            if enqueue:
                announce_due_task.enqueue()
                self.stdout.write("Announcing versions was handed to the worker.")
            else:
                report = announce_due()
                self.stdout.write(f"Sent {report.sent} announcement(s).")
                if report.failed and not every:
                    raise CommandError(
                        f"{report.failed} announcement(s) failed; see the log."
                    )
            if not every:
                return
            time.sleep(every)
