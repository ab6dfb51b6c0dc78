"""Units from a CSV file: one unit a line, with the unit it is part of.

For a new organisation's tree: `name`, `parent` (empty at the top) and
optionally the `code` the HR system knows it by, headed in Swedish, Danish or
English. Parents may come before or after their units in the file. A unit
that exists already in the same place is left as it is, so the same file can
be uploaded again. Either every line is good and all units are made, or
nothing is and the errors say which lines to correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from lib.tables import TableError, read_table

from .models import Organisation, Unit

MAX_UNITS = 2_000
HEADERS = {
    "name": ("name", "unit", "namn", "enhet", "navn", "enhed", "unitname"),
    "parent": (
        "parent", "partof", "ingåri", "delav", "överordnad", "overordnet",
        "delaf", "hørerunder", "parentunit",
    ),
    "code": (
        "code", "kod", "kode", "unitcode", "enhetskod", "enhedskode",
        "kostnadsställe", "omkostningssted", "costcentre", "costcenter",
    ),
}  # fmt: skip
_BY_WORD = {word: meaning for meaning, words in HEADERS.items() for word in words}


def _word(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöæøü]", "", text.lower())


@dataclass
class UnitImport:
    created: list[Unit] = field(default_factory=list)
    existing: int = 0
    errors: list[str] = field(default_factory=list)


def import_units(organisation: Organisation, data: bytes) -> UnitImport:
    result = UnitImport()
    try:
        table = read_table(data, max_rows=MAX_UNITS + 1)
    except TableError:
        result.errors.append(_("The file could not be read. Save it as CSV (UTF-8)."))
        return result
    if len(table) < 2:
        result.errors.append(_("The file has a header line but no units below it."))
        return result
    columns: dict[str, int] = {}
    for index, cell in enumerate(table[0]):
        meaning = _BY_WORD.get(_word(cell))
        if meaning is not None and meaning not in columns:
            columns[meaning] = index
    if "name" not in columns:
        result.errors.append(
            _("No column of unit names was found. Name it Enhet, Enhed or Unit.")
        )
        return result
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {m: (cells[i] if i < len(cells) else "") for m, i in columns.items()}
        rows.append(
            (line, values["name"], values.get("parent", ""), values.get("code", ""))
        )
    with transaction.atomic():
        _create(organisation, rows, result)
        if result.errors:
            transaction.set_rollback(True)
            result.created = []
    return result


def _create(  # long: the passes over the file read best as one loop
    organisation: Organisation,
    rows: list[tuple[int, str, str, str]],
    result: UnitImport,
) -> None:
    units = list(Unit.objects.for_organisation(organisation).current())
    by_name: dict[str, list[Unit]] = {}
    for unit in units:
        by_name.setdefault(unit.name.casefold(), []).append(unit)
    codes = {unit.code.casefold() for unit in units if unit.code}
    pending = []
    for line, name, parent, code in rows:
        if not name:
            result.errors.append(_("Line %(line)s: no name.") % {"line": line})
        elif len(name) > 200:
            result.errors.append(
                _("Line %(line)s: the name is too long.") % {"line": line}
            )
        elif code and code.casefold() in codes:
            result.errors.append(
                _("Line %(line)s: another unit already has the code “%(code)s”.")
                % {"line": line, "code": code[:60]}
            )
        else:
            if code:
                codes.add(code.casefold())
            pending.append((line, name, parent, code))
    # Pass after pass, each making the units whose parent is known by now.
    while pending:
        waiting = []
        for line, name, parent, code in pending:
            parents = by_name.get(parent.casefold(), []) if parent else [None]
            if len(parents) > 1:
                result.errors.append(
                    _("Line %(line)s: several units are called “%(name)s”.")
                    % {"line": line, "name": parent[:60]}
                )
                continue
            if not parents:
                waiting.append((line, name, parent, code))
                continue
            above = parents[0]
            same = [
                unit
                for unit in by_name.get(name.casefold(), [])
                if unit.parent_id == (above.pk if above else None)
            ]
            if same:
                result.existing += 1
                continue
            unit = Unit.objects.create(
                organisation=organisation, name=name, parent=above, code=code
            )
            by_name.setdefault(name.casefold(), []).append(unit)
            result.created.append(unit)
        if len(waiting) == len(pending):
            for line, _name, parent, _code in waiting:
                result.errors.append(
                    _("Line %(line)s: no unit is called “%(name)s”.")
                    % {"line": line, "name": parent[:60]}
                )
            return
        pending = waiting
