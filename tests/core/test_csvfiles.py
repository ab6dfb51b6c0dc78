"""lib/csvfiles.py: the one CSV writer, safe against spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import translation

from lib.csvfiles import (
    csv_response,
    delimiter,
    lines,
    safe_cell,
    streaming_csv_response,
)


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "-",
        "+46 (0)70",
    ],
)
def test_what_a_spreadsheet_would_run_becomes_text(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize(
    "value,text",
    [
        ("-1,5", "-1,5"),
        ("-12 345.5", "-12 345.5"),
        ("+3", "+3"),
        (-7, "-7"),
        (Decimal("-0.25"), "-0.25"),
        (None, ""),
        ("Anna = Bo", "Anna = Bo"),
        ("Åsa Öberg", "Åsa Öberg"),
    ],
)
def test_numbers_and_ordinary_text_stay_as_they_are(value, text):
    assert safe_cell(value) == text


def read(text: str, separator: str = ",") -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))


def test_the_file_has_a_byte_order_mark_crlf_lines_and_escaped_cells():
    text = "".join(lines(["Name", "Count"], [["=1+1", 3], ['Ärlig, "citat"', -2]]))

    assert text.count("\r\n") == 3
    assert read(text) == [
        ["Name", "Count"],
        ["'=1+1", "3"],
        ['Ärlig, "citat"', "-2"],
    ]


def test_the_separator_follows_the_language_decimal_comma():
    with translation.override("sv"):
        assert delimiter() == ";"
    with translation.override("en"):
        assert delimiter() == ","
    text = "".join(lines(["a", "b"], [["1,5", "2"]], separator=";"))
    assert read(text, ";") == [["a", "b"], ["1,5", "2"]]


def test_a_whole_file_and_a_streamed_one_are_the_same_download():
    rows = [["@me", 1], ["you", 2]]
    whole = csv_response("log.csv", ["who", "n"], rows)
    streamed = streaming_csv_response("log.csv", ["who", "n"], iter(rows))

    assert (
        whole["Content-Type"] == streamed["Content-Type"] == ("text/csv; charset=utf-8")
    )
    assert whole["Content-Disposition"] == 'attachment; filename="log.csv"'
    assert streamed["Content-Disposition"] == whole["Content-Disposition"]
    body = b"".join(streamed.streaming_content)
    assert body == whole.content
    assert read(body.decode()) == [["who", "n"], ["'@me", "1"], ["you", "2"]]
