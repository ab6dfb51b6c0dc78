"""What a manager learns from the sessions of their units over a period.

Every figure is an aggregate the database computes: counts, sums, averages
and (in Python, from one list of pairs) a median. Nothing here reads a case
text: value tensions, values, guidelines, units and months are named, while
dilemmas, reflections and actions are only counted. Each table is built by a
fixed number of queries, whatever the amount of data, and the same Table
feeds the page (chart, text alternative, data table) and the CSV export, so
an export can hold nothing the page does not show.

- `tables`: the Table and its Columns, months and counts in words.
- `period`: `Insights`, the tables of some units over a period.
- one module per table: `attendance`, `dilemmas` (and value tensions),
  `citations`, `actions`, `evaluations`.
"""

from __future__ import annotations

from .period import Insights
from .tables import TOP, Column, Table, month_label, months_between

__all__ = ["TOP", "Column", "Insights", "Table", "month_label", "months_between"]
