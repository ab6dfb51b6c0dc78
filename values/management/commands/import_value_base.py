from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action as AuditAction
from audit.models import AuditEvent, Via
from organisations.models import Organisation
from values.models import CitedElsewhereError, ValueBase, Version
from values.textformat import Document, FormatError, decode, import_draft, parse

ADOPTION_FIELDS = {
    "adopted-on": "adopted_on",
    "adopted-by": "adopted_by",
    "effective-from": "effective_from",
}


class Command(BaseCommand):
    help = (
        "Import a value base file (see docs/value-base-format.md) as a new draft; "
        "with --adopt, adopt it as the header says. Answers in the organisation's "
        "language."
    )

    def add_arguments(self, parser: CommandParser) -> None:
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
        parser.add_argument(
            "--retroactive",
            metavar="REASON",
            default="",
            help="With --adopt: why the version is in force from before the day it "
            "was adopted, when effective-from is before adopted-on.",
        )

    def handle(self, *args: Any, org: str, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            with translation.override(settings.LANGUAGE_CODE):
                raise CommandError(
                    _("No organisation with the short name “%(slug)s”.") % {"slug": org}
                )
        with (
            translation.override(organisation.language),
            timezone.override(organisation.time_zone),
        ):
            self.import_file(organisation, **options)

    def import_file(
        self,
        organisation: Organisation,
        *,
        file: Path,
        base: str,
        adopt: bool,
        retroactive: str,
        **options: Any,
    ) -> None:
        text = _read(file)
        try:
            # One transaction: a refused adoption leaves neither the value base
            # nor the draft behind.
            with transaction.atomic():
                value_base = _value_base(organisation, base, options["name"])
                version = _import(
                    organisation, value_base, text, adopt=adopt, reason=retroactive
                )
        except FormatError as error:
            raise CommandError(_lines(file, error)) from None
        except CitedElsewhereError as error:
            raise CommandError(_cited(file, error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(file)s was imported as version %(number)s of %(base)s "
                    "(%(status)s)."
                )
                % {
                    "file": file,
                    "number": version.number,
                    "base": value_base.slug,
                    "status": version.get_status_display().lower(),
                }
            )
        )


def _read(file: Path) -> str:
    """The file's text, or a CommandError saying why it cannot be read."""
    try:
        return decode(file.read_bytes())
    except OSError as error:
        raise CommandError(f"{file}: {error.strerror}") from None
    except FormatError as error:
        raise CommandError(_lines(file, error)) from None


def _value_base(organisation: Organisation, slug: str, name: str | None) -> ValueBase:
    """The organisation's value base `slug`, created with `name` if it is new."""
    # The value base's QuerySet is generic in Any (TenantQuerySet): say what it finds.
    value_base: ValueBase | None = ValueBase.objects.filter(
        organisation=organisation, slug=slug
    ).first()
    if value_base is not None:
        return value_base
    if not name:
        raise CommandError(
            _("There is no value base “%(base)s”; give --name to create it.")
            % {"base": slug}
        )
    created: ValueBase = ValueBase.objects.create(
        organisation=organisation, slug=slug, name=name
    )
    return created


def _import(
    organisation: Organisation,
    value_base: ValueBase,
    text: str,
    *,
    adopt: bool,
    reason: str,
) -> Version:
    """The file as a new draft, adopted as its header says with `adopt`."""
    document = parse(text, organisation=organisation)
    if adopt:
        _check_adoption(value_base, document, reason)
    version = import_draft(value_base=value_base, text=text, author=None)
    AuditEvent.record(
        action=AuditAction.IMPORT,
        obj=version,
        via=Via.SYSTEM,
        view="import_value_base",
        detail=gettext_lazy("From a text file, on the command line"),
    )
    if adopt:
        # _check_adoption found all three in the header.
        assert document.adopted_on is not None
        assert document.effective_from is not None
        version.adopt(
            adopted_on=document.adopted_on,
            adopted_by=document.adopted_by,
            effective_from=document.effective_from,
            retroactive_reason=reason,
        )
        AuditEvent.record(
            action=AuditAction.ADOPT,
            obj=version,
            via=Via.SYSTEM,
            view="import_value_base",
            detail=version.adoption_summary,
        )
    return version


def _check_adoption(value_base: ValueBase, document: Document, reason: str) -> None:
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
    effective_from, adopted_on = document.effective_from, document.adopted_on
    assert effective_from is not None and adopted_on is not None  # none missing
    current = value_base.versions.filter(status=Version.Status.ADOPTED).first()
    if current is not None:
        assert current.effective_from is not None  # adopted, so it carries it
        if effective_from <= current.effective_from:
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
    if effective_from < adopted_on and not reason.strip():
        raise FormatError(
            [
                (
                    document.header_lines["effective-from"],
                    _(
                        "effective-from is before adopted-on: to adopt the version "
                        "with retroactive effect, give the reason with "
                        "--retroactive."
                    ),
                )
            ]
        )


def _lines(file: Path, error: FormatError) -> str:
    """One `FILE:LINE: message` per error; line 0 is the file as a whole."""
    return "\n".join(
        f"{file}:{line}: {message}" if line else f"{file}: {message}"
        for line, message in error.errors
    )


def _cited(file: Path, error: CitedElsewhereError) -> str:
    lines = [
        f"{file}: "
        + _(
            "From effective-from on, signed-off reflections cite the version that "
            "was in force on their day; the version cannot be in force then:"
        )
    ]
    for reflection in error.reflections:
        day = timezone.localtime(reflection.meeting.start).date()
        # Found through another version's reflections, so pinned to it.
        assert reflection.version is not None
        lines.append(
            "  "
            + _("%(day)s, %(group)s: cites version %(number)s")
            % {
                "day": formats.date_format(day, "DATE_FORMAT"),
                "group": reflection.meeting.group.name,
                "number": reflection.version.number,
            }
        )
    return "\n".join(lines)
