"""The insight tables of some units of an organisation over a period."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from insights.charts import Chart, Series, column_chart, line_chart
from organisations.models import Organisation, Unit

from .actions import actions_table
from .attendance import attendance_table
from .citations import citations_table
from .dilemmas import dilemmas_table, tensions_table
from .evaluations import evaluations_table
from .tables import Table, month_label, months_between
from .voices import voices_table


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
        return [self.table(key) for key in self.KEYS]

    def table(self, key: str) -> Table:
        if key not in self.KEYS:
            raise KeyError(key)
        table: Table = getattr(self, key)
        return table

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

    # One table each; kept, as a page and an export may ask for one twice.

    @cached_property
    def meetings(self) -> Table:
        return attendance_table(self)

    @cached_property
    def dilemmas(self) -> Table:
        return dilemmas_table(self)

    @cached_property
    def voices(self) -> Table:
        return voices_table(self)

    @cached_property
    def tensions(self) -> Table:
        return tensions_table(self)

    @cached_property
    def citations(self) -> Table:
        return citations_table(self)

    @cached_property
    def actions(self) -> Table:
        return actions_table(self)

    @cached_property
    def evaluations(self) -> Table:
        return evaluations_table(self)
