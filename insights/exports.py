"""Insight tables as CSV files for spreadsheets.

Written from the same Table the page shows, so an export holds nothing the
page does not; the caller decides the language (the organisation's).
"""

from __future__ import annotations

import csv
import datetime
import io

from django.utils import formats

from .figures import Column, Table

# Cells that a spreadsheet would run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value, column: Column) -> str:
    """A cell for the CSV export: plain numbers, months as 2025-03."""
    if value is None:
        return ""
    kind = column.kind
    if kind == "month" and isinstance(value, datetime.date):
        return value.strftime("%Y-%m")
    if kind == "count":
        return str(int(value))
    if kind == "decimal":
        return formats.number_format(value, 2)
    if kind in {"percent", "days"}:
        return formats.number_format(value, 1)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def write_csv(table: Table) -> str:
    """The table as CSV in the active language, as spreadsheets there read it."""
    # Where the decimal separator is a comma, spreadsheets split on semicolons.
    delimiter = ";" if formats.get_format("DECIMAL_SEPARATOR") == "," else ","
    out = io.StringIO()
    # The byte order mark tells spreadsheet programs the file is UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.cells:
        writer.writerow([csv_cell(value, column) for value, column in row])
    return out.getvalue()
