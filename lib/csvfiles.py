"""CSV files for spreadsheets: the one writer every export goes through.

A spreadsheet program runs a cell that starts with =, +, -, @, a tab or a carriage
return as a formula, so a name typed into the application could become a formula
on the reader's machine (CSV injection). Every text cell that starts so gets a
leading apostrophe, which the spreadsheet shows as text. Plain numbers, negative
ones included, stay numbers: made only of digits, signs, separators and spaces,
they can call nothing.

The file starts with a byte order mark, which tells spreadsheet programs the text
is UTF-8 (å, ä, ø), and ends its lines with CRLF as RFC 4180 asks.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
# A number as a language writes it: -1,5 or 1 234.5 or +3.
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d\s.,\u00a0\u202f]*")

Cell = str | int | float | Decimal | None


def safe_cell(value: Cell) -> str:
    """The cell's text, with what a spreadsheet would run as a formula made text."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


def delimiter() -> str:
    """The separator spreadsheets expect in the active language.

    Where the decimal separator is a comma, they split a CSV file on semicolons.
    """
    return ";" if formats.get_format("DECIMAL_SEPARATOR") == "," else ","


class _Line:
    """A file for csv.writer that hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def lines(
    header: Iterable[Cell], rows: Iterable[Iterable[Cell]], *, separator: str = ","
) -> Iterator[str]:
    """The file line by line: the byte order mark and the header, then each row."""
    writer = csv.writer(_Line(), delimiter=separator, lineterminator="\r\n")
    yield BYTE_ORDER_MARK + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def csv_response(
    filename: str,
    header: Iterable[Cell],
    rows: Iterable[Iterable[Cell]],
    *,
    separator: str = ",",
) -> HttpResponse:
    """A whole CSV file as a download, for tables that fit in memory."""
    response = HttpResponse(
        "".join(lines(header, rows, separator=separator)), content_type=CONTENT_TYPE
    )
    _attachment(response, filename)
    return response


def streaming_csv_response(
    filename: str,
    header: Iterable[Cell],
    rows: Iterable[Iterable[Cell]],
    *,
    separator: str = ",",
) -> StreamingHttpResponse:
    """A CSV download written while it is sent, for logs of any length."""
    response = StreamingHttpResponse(
        lines(header, rows, separator=separator), content_type=CONTENT_TYPE
    )
    _attachment(response, filename)
    return response
