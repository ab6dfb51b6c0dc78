from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meetings.tasks import dispatch_due_reminders, dispatch_reminders


class Command(BaseCommand):
    help = (
        "Hand the due meeting reminders to the task worker (or send them now). "
        "Run it every few minutes: each reminder is sent once however often it runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send in this process instead of enqueueing a task for the worker.",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running and dispatch every SECONDS (for local development).",
        )

    def handle(self, *args: str, now: bool, every: int, **options: Any) -> None:
        while True:
            if now:
                sent = dispatch_reminders()
                self.stdout.write(f"Sent {sent} reminders.")
            else:
                dispatch_due_reminders.enqueue()
            if not every:
                return
            time.sleep(every)
