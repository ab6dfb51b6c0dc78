from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organisations.models import Organisation
from values.models import ValueBase
from values.textformat import FormatError, decode, import_draft


class Command(BaseCommand):
    help = (
        "Import a value base file (see docs/value-base-format.md) as a new draft; "
        "with --adopt, adopt it as the header says."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--base", required=True, help="The value base's slug.")
        parser.add_argument(
            "--name", help="Name of the value base, when it does not exist yet."
        )
        parser.add_argument(
            "--adopt",
            action="store_true",
            help="Adopt the draft with the header's adopted-on, adopted-by and "
            "effective-from.",
        )

    def handle(self, *args, file: Path, org: str, base: str, **options) -> None:
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug {org!r}.")
        try:
            text = decode(file.read_bytes())
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except FormatError as error:
            raise CommandError(self._errors(file, error)) from None
        try:
            with transaction.atomic():
                value_base = ValueBase.objects.filter(
                    organisation=organisation, slug=base
                ).first()
                if value_base is None:
                    if not options["name"]:
                        raise CommandError(
                            f"No value base {base!r}; give --name to create it."
                        )
                    value_base = ValueBase.objects.create(
                        organisation=organisation, slug=base, name=options["name"]
                    )
                draft = import_draft(value_base=value_base, text=text, author=None)
                if options["adopt"]:
                    self._adopt(file, draft, text)
        except FormatError as error:
            raise CommandError(self._errors(file, error)) from None
        state = draft.get_status_display().lower()
        self.stdout.write(
            self.style.SUCCESS(f"Imported {file} as version {draft.number} ({state}).")
        )

    def _adopt(self, file: Path, draft, text: str) -> None:
        from values.textformat import parse

        document = parse(text)
        missing = [
            name
            for name in ("adopted-on", "adopted-by", "effective-from")
            if not document.header.get(name)
        ]
        if missing:
            raise FormatError(
                [(2, f"To adopt, the header needs: {', '.join(missing)}.")]
            )
        previous = draft.value_base.latest_adopted()
        effective_from = document.date("effective-from")
        if previous is not None and effective_from <= previous.effective_from:
            raise FormatError(
                [
                    (
                        2,
                        "effective-from must be after "
                        f"{previous.effective_from.isoformat()}, when version "
                        f"{previous.number} came into force.",
                    )
                ]
            )
        draft.adopt(
            adopted_on=document.date("adopted-on"),
            adopted_by=document.header["adopted-by"],
            effective_from=effective_from,
        )

    @staticmethod
    def _errors(file: Path, error: FormatError) -> str:
        return "\n".join(f"{file}:{line}: {message}" for line, message in error.errors)
