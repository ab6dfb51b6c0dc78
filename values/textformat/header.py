"""The header of a value-base file: the fields between its two `---` lines."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils.translation import gettext as _

from .document import (
    FORMAT,
    FORMAT_VERSION,
    HEADER_FIELD_RE,
    HEADER_FIELDS,
    MAX_TITLE,
    Document,
)


def too_long(limit: int) -> str:
    return _("This is too long: at most %(limit)s characters.") % {"limit": limit}


class HeaderReader:
    """Reads the header at the start of `lines`, reporting each error to `error`
    with its line number."""

    def __init__(self, lines: list[str], error: Callable[[int, str], None]):
        self.lines = lines
        self.error = error

    def read(self) -> tuple[Document, int]:
        """The header's fields, read into a Document, and the index after it."""
        document = Document(title="")
        index = 0
        while index < len(self.lines) and not self.lines[index].strip():
            index += 1
        if index == len(self.lines) or self.lines[index].strip() != "---":
            self.error(
                index + 1 if index < len(self.lines) else 1,
                _(
                    "The file must start with a header between two lines of "
                    "“---”, beginning with “format: %(format)s”."
                )
                % {"format": f"{FORMAT} {FORMAT_VERSION}"},
            )
            return document, index
        opening = index + 1
        values: dict[str, list[str]] = {}
        lines: dict[str, int] = {}
        end = self.collect_fields(index + 1, values, lines)
        if end is None:
            self.error(
                opening, _("The header is not closed: end it with a line “---”.")
            )
            return document, len(self.lines)
        document.header_lines = lines
        self.read_fields(document, values, lines, opening)
        return document, end

    def collect_fields(
        self, index: int, values: dict[str, list[str]], lines: dict[str, int]
    ) -> int | None:
        """Reads the header from line `index` into `values`, each field's lines,
        and `lines`, where each field starts; the index after the closing line,
        or None when the header is not closed."""
        current: str | None = None
        while index < len(self.lines):
            line = self.lines[index]
            number = index + 1
            index += 1
            if line.rstrip() == "---":  # Indented, it belongs to the summary.
                return index
            if not line.strip() or line[0] in " \t":
                self.continue_field(number, line, current, values)
            else:
                current = self.start_field(number, line, values, lines)
        return None

    def continue_field(
        self,
        number: int,
        line: str,
        current: str | None,
        values: dict[str, list[str]],
    ) -> None:
        """A blank or indented line: more of the field above, if it may have more."""
        if current is None:
            if line.strip():
                self.error(number, _("Indented line without a header field."))
        elif current != "summary" and line.strip():
            self.error(number, _("Only the summary may run over several lines."))
        else:
            # Two spaces mark a continuation; further indentation is text.
            line = line[2:] if line.startswith("  ") else line.lstrip()
            values[current].append(line.rstrip())

    def start_field(
        self,
        number: int,
        line: str,
        values: dict[str, list[str]],
        lines: dict[str, int],
    ) -> str | None:
        """A line `name: value`; the field's name, or None when it is not one."""
        match = HEADER_FIELD_RE.match(line)
        if match is None:
            self.error(number, _("Expected a header field such as “title: …”."))
            return None
        name = match["name"].lower()
        if name not in HEADER_FIELDS:
            self.error(
                number,
                _("Unknown header field “%(name)s”. Known fields: %(known)s.")
                % {"name": match["name"], "known": ", ".join(HEADER_FIELDS)},
            )
            return None
        if name in values:
            self.error(
                number,
                _("The header field “%(name)s” is given twice.") % {"name": name},
            )
        values[name] = [match["value"].rstrip()] if match["value"].strip() else []
        lines[name] = number
        return name

    def read_fields(
        self,
        document: Document,
        values: dict[str, list[str]],
        lines: dict[str, int],
        opening: int,
    ) -> None:
        """The fields' values, checked, into `document`."""
        self.check_format(values, lines, opening)
        document.title = _single(values, "title")
        if not document.title:
            self.error(lines.get("title", opening), _("The header must give a title."))
        elif len(document.title) > MAX_TITLE:
            self.error(lines["title"], too_long(MAX_TITLE))
        if "version" in values:
            number = _single(values, "version")
            if number.isascii() and number.isdigit() and int(number) > 0:
                document.number = int(number)
            else:
                self.error(
                    lines["version"],
                    _("The version must be a whole number such as 3."),
                )
        self.read_dates(document, values, lines)
        document.adopted_by = _single(values, "adopted-by")
        if len(document.adopted_by) > MAX_TITLE:
            self.error(lines["adopted-by"], too_long(MAX_TITLE))
        document.summary = "\n".join(values.get("summary", [])).strip("\n")

    def check_format(
        self, values: dict[str, list[str]], lines: dict[str, int], opening: int
    ) -> None:
        """The header names this format, in this version."""
        format_value = _single(values, "format")
        expected = f"{FORMAT} {FORMAT_VERSION}"
        if "format" not in values:
            self.error(
                opening,
                _("The header must say “format: %(format)s”.") % {"format": expected},
            )
        elif " ".join(format_value.split()) != expected:
            self.error(
                lines["format"],
                _("Unknown format “%(value)s”; this file must be “%(format)s”.")
                % {"value": format_value, "format": expected},
            )

    def read_dates(
        self, document: Document, values: dict[str, list[str]], lines: dict[str, int]
    ) -> None:
        """The adoption's dates, each a day written year-month-day."""
        for name, attribute in (
            ("adopted-on", "adopted_on"),
            ("effective-from", "effective_from"),
        ):
            if name in values:
                try:
                    day = datetime.date.fromisoformat(_single(values, name))
                except ValueError:
                    self.error(
                        lines[name],
                        _(
                            "“%(value)s” is not a date; write it as "
                            "year-month-day, e.g. 2025-01-31."
                        )
                        % {"value": _single(values, name)},
                    )
                else:
                    setattr(document, attribute, day)


def _single(values: dict[str, list[str]], name: str) -> str:
    """A field's value on one line."""
    return " ".join(values.get(name, [])).strip()
