"""The insight tables of some units of an organisation over a period."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from insights.charts import Chart, Series, column_chart, line_chart
from organisations.models import Organisation, Unit

from . import kept
from .actions import action_figures, actions_table
from .attendance import attendance_figures, attendance_table
from .citations import citation_figures, citations_table
from .dilemmas import dilemma_figures, dilemmas_table, tension_figures, tensions_table
from .evaluations import evaluation_figures, evaluations_table
from .tables import Table, month_label, months_between
from .voices import voice_figures, voices_table

# Each table's figures, gathered from the database: plain data, the same in
# every language, which is what is kept (insights.figures.kept).
GATHER: dict[str, Callable[[Insights], Any]] = {
    "meetings": attendance_figures,
    "dilemmas": dilemma_figures,
    "voices": voice_figures,
    "tensions": tension_figures,
    "citations": citation_figures,
    "actions": action_figures,
    "evaluations": evaluation_figures,
}
# And the table made of them, in the language of the page or the export.
BUILD: dict[str, Callable[[Insights, Any], Table]] = {
    "meetings": attendance_table,
    "dilemmas": dilemmas_table,
    "voices": voices_table,
    "tensions": tensions_table,
    "citations": citations_table,
    "actions": actions_table,
    "evaluations": evaluations_table,
}


class Insights:
    """The insight tables of some units of an organisation for a period."""

    def __init__(
        self,
        *,
        organisation: Organisation,
        units: list[Unit],
        start: datetime.date,
        end: datetime.date,
        today: datetime.date | None = None,
    ):
        self.organisation = organisation
        self.units = {unit.pk: unit for unit in units}
        self.unit_ids = set(self.units)
        self.start, self.end = start, end
        self.tz = ZoneInfo(organisation.time_zone)
        self.today = today or timezone.localdate(timezone=self.tz)
        # The period as instants, from midnight to midnight in local time.
        self.start_at = datetime.datetime.combine(start, datetime.time.min, self.tz)
        self.end_at = datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, self.tz
        )
        self._figures: dict[str, Any] = {}
        self._tables: dict[str, Table] = {}

    KEYS = (
        "meetings",
        "dilemmas",
        "voices",
        "tensions",
        "citations",
        "actions",
        "evaluations",
    )

    def tables(self) -> list[Table]:
        self.figures(self.KEYS)
        return [self.table(key) for key in self.KEYS]

    def table(self, key: str) -> Table:
        if key not in self.KEYS:
            raise KeyError(key)
        # Kept, as a page and an export may ask for one twice.
        if key not in self._tables:
            self._tables[key] = BUILD[key](self, self.figures([key])[key])
        return self._tables[key]

    def figures(self, keys: Iterable[str]) -> dict[str, Any]:
        """The figures of these tables: kept in the cache, or gathered now."""
        missing = [key for key in keys if key not in self._figures]
        if missing:
            self._figures.update(kept.figures(self, missing, self.gather))
        return {key: self._figures[key] for key in keys}

    def gather(self, key: str) -> Any:
        """One table's figures, from the database."""
        return GATHER[key](self)

    @cached_property
    def months(self) -> list[datetime.date]:
        return months_between(self.start, self.end)

    @cached_property
    def month_labels(self) -> list[str]:
        return [month_label(month) for month in self.months]

    @cached_property
    def year_labels(self) -> list[str]:
        """The year under the first month and under each January."""
        return [
            str(month.year) if i == 0 or month.month == 1 else ""
            for i, month in enumerate(self.months)
        ]

    def in_period(self, path: str) -> Q:
        return Q(**{f"{path}__gte": self.start_at, f"{path}__lt": self.end_at})

    def monthly_columns(self, *, key: str, title: str, series: list[Series]) -> Chart:
        """Columns for each month of the period, the years under them."""
        return column_chart(
            key=key,
            title=title,
            categories=self.month_labels,
            under=self.year_labels,
            series=series,
        )

    def monthly_lines(
        self, *, key: str, title: str, series: list[Series], **scale: Any
    ) -> Chart:
        """Lines over the months of the period on the scale given."""
        return line_chart(
            key=key,
            title=title,
            categories=self.month_labels,
            under=self.year_labels,
            series=series,
            **scale,
        )
