from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.tasks import verify_audit_task
from audit.verify import read_heads, verify, verify_and_alert
from organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chains (docs/deployment.md): name the first "
        "changed, forged or missing entry of each organisation, and any chain "
        "shorter than a head seen before. Exits 1 when a chain is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org", action="append", default=[], help="Only this organisation's slug."
        )
        parser.add_argument(
            "--expect",
            type=Path,
            help="A file of heads kept outside the database (lines of --heads).",
        )
        parser.add_argument(
            "--heads",
            action="store_true",
            help="Print each chain's head as a line --expect reads back.",
        )
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="Do not record the heads found as a checkpoint.",
        )
        parser.add_argument(
            "--alert",
            action="store_true",
            help="As the daily task: log the heads, e-mail the operators on a break.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the daily check (--alert) to the background task worker.",
        )

    def handle(self, *args: str, **options: Any) -> None:
        if options["enqueue"]:
            verify_audit_task.enqueue()
            self.stdout.write("The audit log's check was handed to the task worker.")
            return
        if options["alert"]:
            if not verify_and_alert():
                raise CommandError("The audit log failed verification.")
            self.stdout.write("The audit log is intact.")
            return
        organisation_ids = None
        if options["org"]:
            found = dict(
                Organisation.objects.filter(slug__in=options["org"]).values_list(
                    "slug", "pk"
                )
            )
            if unknown := sorted(set(options["org"]) - set(found)):
                raise CommandError(f"No organisation {', '.join(unknown)}.")
            organisation_ids = list(found.values())
        anchors = []
        if options["expect"] is not None:
            try:
                lines = options["expect"].read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(f"{options['expect']}: {error.strerror}") from None
            anchors = read_heads(lines, str(options["expect"]))
        reports = verify(
            organisation_ids=organisation_ids,
            extra_anchors=anchors,
            write_checkpoints=not options["no_checkpoint"],
        )
        if not reports:
            self.stdout.write("The audit log is empty.")
        for report in reports:
            self.stdout.write(str(report))
        if options["heads"]:
            for report in reports:
                if report.broken is None:
                    self.stdout.write(report.head_line())
        if any(report.broken is not None for report in reports):
            raise CommandError("The audit log failed verification.")
