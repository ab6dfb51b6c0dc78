"""The table every insight is: columns, rows, a summary in words and charts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats

from insights.charts import Chart
from lib.cldr import month_abbreviation

# Ranked charts show the top of the list; the table below them shows it all.
TOP = 10


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # text, month, count, decimal (one decimal), percent or days
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind != "text" and self.kind != "month"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    summary: str
    charts: list[Chart] = field(default_factory=list)
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def cells(self) -> list[list[tuple[object, Column]]]:
        """Each row's values beside their columns, for templates."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]


def month_label(month: datetime.date) -> str:
    """A short month for an axis, as the page's language abbreviates it."""
    return month_abbreviation(month)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_start(value: datetime.date | datetime.datetime) -> datetime.date:
    """A TruncMonth result as the first of its month (dates and datetimes alike)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def count_text(n: int) -> str:
    """A count as the page's language writes it."""
    return formats.number_format(n, 0)
