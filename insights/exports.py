"""Insight tables as CSV files for spreadsheets.

Written from the same Table the page shows, so an export holds nothing the
page does not; the caller decides the language (the organisation's).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse

from lib.csvfiles import Cell, csv_response, delimiter
from lib.numbers import number_text

from .figures import Column, Table


def csv_cell(value: Any, column: Column) -> Cell:
    """A cell for the CSV export: plain numbers, months as 2025-03.

    Text that a spreadsheet would run as a formula is made safe by the writer.
    """
    if value is None:
        return ""
    kind = column.kind
    if kind == "month" and isinstance(value, datetime.date):
        return value.strftime("%Y-%m")
    if kind == "count":
        return str(int(value))
    if kind == "decimal":
        return number_text(value, 2)
    if kind in {"percent", "days"}:
        return number_text(value, 1)
    return str(value)


def csv_download(table: Table, name: str) -> HttpResponse:
    """The table as a CSV download in the active language, as spreadsheets there
    read it, written by the project's one CSV writer."""
    header = [str(column.label) for column in table.columns]
    rows = ([csv_cell(value, column) for value, column in row] for row in table.cells)
    return csv_response(f"{name}.csv", header, rows, separator=delimiter())
