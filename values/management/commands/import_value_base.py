from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.models import Organisation
from values.models import ValueBase, Version
from values.textformat import Document, FormatError, decode, import_draft, parse

ADOPTION_FIELDS = {
    "adopted-on": "adopted_on",
    "adopted-by": "adopted_by",
    "effective-from": "effective_from",
}


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

    def handle(
        self, *args, file: Path, org: str, base: str, adopt: bool, **options
    ) -> None:
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug {org!r}.")
        try:
            text = decode(file.read_bytes())
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except FormatError as error:
            raise CommandError(_lines(file, error)) from None
        try:
            # One transaction: a refused adoption leaves neither the value base
            # nor the draft behind.
            with transaction.atomic():
                value_base = ValueBase.objects.filter(
                    organisation=organisation, slug=base
                ).first()
                if value_base is None:
                    if not options["name"]:
                        raise CommandError(
                            f"No value base {base!r} in {org!r}; "
                            "give --name to create it."
                        )
                    value_base = ValueBase.objects.create(
                        organisation=organisation, slug=base, name=options["name"]
                    )
                if adopt:
                    _check_adoption(value_base, parse(text, organisation=organisation))
                version = import_draft(value_base=value_base, text=text, author=None)
                if adopt:
                    document = parse(text)
                    version.adopt(
                        adopted_on=document.adopted_on,
                        adopted_by=document.adopted_by,
                        effective_from=document.effective_from,
                    )
        except FormatError as error:
            raise CommandError(_lines(file, error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file} as version {version.number} of {value_base.slug} "
                f"({version.status})."
            )
        )


def _check_adoption(value_base: ValueBase, document: Document) -> None:
    """The header must record the adoption, and it must follow the current one."""
    missing = [
        name
        for name, attribute in ADOPTION_FIELDS.items()
        if not getattr(document, attribute)
    ]
    if missing:
        raise FormatError(
            [
                (
                    1,
                    _("To adopt, the header needs: %(fields)s.")
                    % {"fields": ", ".join(missing)},
                )
            ]
        )
    current = value_base.versions.filter(status=Version.Status.ADOPTED).first()
    if current is not None and document.effective_from <= current.effective_from:
        raise FormatError(
            [
                (
                    document.header_lines["effective-from"],
                    _(
                        "effective-from must be after %(date)s, when version "
                        "%(number)s came into force."
                    )
                    % {
                        "date": current.effective_from.isoformat(),
                        "number": current.number,
                    },
                )
            ]
        )


def _lines(file: Path, error: FormatError) -> str:
    """One `FILE:LINE: message` per error; line 0 is the file as a whole."""
    return "\n".join(
        f"{file}:{line}: {message}" if line else f"{file}: {message}"
        for line, message in error.errors
    )
