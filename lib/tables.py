"""Tables people upload: CSV files and Excel workbooks, as rows of text.

Lists exported from HR systems and spreadsheets arrive in whatever form the
program that wrote them chose: UTF-8 with or without a byte order mark,
Windows-1252 from an older Excel, UTF-16 from Excel's "Unicode text";
semicolons where the decimal comma is Nordic, commas or tabs elsewhere. This
reads all of them into rows of stripped strings; what the columns mean is the
caller's business.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable

# An .xlsx workbook is a zip archive.
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = ";,\t"


class TableError(Exception):
    """The file cannot be read as a table; the message says why, in English.

    Callers show their own translated text for each `code`.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def read_table(data: bytes, *, max_rows: int) -> list[list[str]]:
    """The rows of a CSV file or of the first sheet of an .xlsx workbook.

    Rows with no text at all are left out; more than `max_rows` rows is an
    error rather than a silent cut.
    """
    is_workbook = data.startswith(ZIP_MAGIC)
    rows = _xlsx_rows(data) if is_workbook else _csv_rows(decode(data))
    table: list[list[str]] = []
    for row in rows:
        if any(row):
            if len(table) >= max_rows:
                raise TableError("too_many_rows", f"More than {max_rows} rows.")
            table.append(row)
    return table


def decode(data: bytes) -> str:
    """The text of a file in UTF-8 (with or without BOM), UTF-16 or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:1024]:
        raise TableError("binary", "Not a text file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Every byte means something in Windows-1252 but five; those few
        # become replacement characters rather than a refusal.
        return data.decode("cp1252", errors="replace")


def _csv_rows(text: str) -> Iterable[list[str]]:
    lines = text.splitlines()
    if not lines:
        return []
    dialect = _dialect(lines)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise TableError("csv", str(error)) from None


def _dialect(lines: list[str]) -> type[csv.Dialect] | csv.Dialect:
    """What separates the cells, as csv.Sniffer finds it in the first lines.

    A sample too uniform for the sniffer (one column, say) falls back to the
    separator the header line has most of.
    """
    sample = "\n".join(lines[:20])
    header = lines[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        sniffed = None
    if sniffed is not None and sniffed.delimiter in header:
        return sniffed

    class Fallback(csv.excel):
        delimiter = max(DELIMITERS, key=header.count)

    return Fallback


def _xlsx_rows(data: bytes) -> Iterable[list[str]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TableError("xlsx", "Not an Excel workbook (.xlsx).") from None
    try:
        sheet = workbook.worksheets[0]
        return [
            [_cell_text(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    # An employee number typed as a number comes back as 1234.0.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
