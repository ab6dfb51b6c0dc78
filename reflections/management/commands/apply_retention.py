from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from reflections.retention import apply_retention
from reflections.tasks import apply_retention_task


class Command(BaseCommand):
    help = (
        "Erase the dilemma and reflection texts whose retention period has run "
        "out (docs/privacy.md). Run it daily; running it again erases nothing twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say what would be erased.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the background task worker instead.",
        )

    def handle(
        self, *args: object, dry_run: bool, enqueue: bool, **options: object
    ) -> None:
        if enqueue and not dry_run:
            apply_retention_task.enqueue()
            self.stdout.write("The retention run was handed to the task worker.")
            return
        report = apply_retention(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        if not report.dilemmas:
            self.stdout.write("Nothing has passed its retention period.")
        for slug, count in report.dilemmas.items():
            self.stdout.write(
                f"{slug}: {verb} {count} dilemma(s) and "
                f"{report.reflections[slug]} reflection(s)."
            )
