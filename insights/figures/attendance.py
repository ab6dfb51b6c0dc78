"""Sessions held and attendance, month by month."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from insights.charts import Series
from lib.numbers import number_text
from meetings.models import Meeting

from .tables import Column, Table, count_text, month_start

if TYPE_CHECKING:
    from .period import Insights


def attendance_table(period: Insights, rows: list[list[Any]]) -> Table:
    held = [row[1] for row in rows]
    return Table(
        key="meetings",
        title=_("Sessions held and attendance"),
        columns=[
            Column("month", _("Month"), "month"),
            Column("held", _("Meetings held"), "count"),
            Column("present", _("Present"), "count"),
            Column("invited", _("Invited"), "count"),
            Column("rate", _("Attendance (%)"), "percent"),
        ],
        rows=rows if sum(held) else [],
        summary=_summary(period, rows),
        charts=[
            period.monthly_columns(
                key="meetings-held",
                title=_("Meetings held per month"),
                series=[Series(_("Meetings held"), held)],
            ),
            period.monthly_lines(
                key="meetings-attendance",
                title=_("Attendance per month, in per cent of those invited"),
                series=[Series(_("Attendance"), [row[4] for row in rows])],
                low=0,
                high=100,
                step=25,
                decimals=0,
                suffix=" %",
            ),
        ],
    )


def attendance_figures(period: Insights) -> list[list[Any]]:
    """Month, meetings held, present, invited and the rate, for every month."""
    rows_by_month = {
        month_start(row["month"]): row
        for row in Meeting.objects.for_organisation(period.organisation)
        .in_units(period.unit_ids)
        .filter(period.in_period("start"), status=Meeting.Status.HELD)
        .annotate(month=TruncMonth("start", tzinfo=period.tz))
        .values("month")
        .annotate(
            held=Count("pk"),
            present=Sum("attended_count"),
            invited=Sum("expected_count"),
        )
        .order_by("month")
    }
    rows = []
    for month in period.months:
        count = present = invited = 0
        if row := rows_by_month.get(month):
            count = row["held"]
            present, invited = row["present"] or 0, row["invited"] or 0
        rate = round(100 * present / invited, 1) if invited else None
        rows.append([month, count, present, invited, rate])
    return rows


def _summary(period: Insights, rows: list[list[Any]]) -> str:
    held = [row[1] for row in rows]
    total_present = sum(r[2] for r in rows)
    total_invited = sum(r[3] for r in rows)
    total_held = sum(held)
    summary = ngettext(
        "%(count)s meeting held in the period",
        "%(count)s meetings held in the period",
        total_held,
    ) % {"count": count_text(total_held)}
    if total_invited:
        summary += ", " + _(
            "%(present)s of %(invited)s invited present (%(rate)s %%)"
        ) % {
            "present": count_text(total_present),
            "invited": count_text(total_invited),
            "rate": number_text(100 * total_present / total_invited),
        }
    summary += "."
    if total_held:
        busiest = max(range(len(held)), key=lambda i: held[i])
        summary += " " + _("Most meetings in %(month)s: %(count)s.") % {
            "month": date_format(period.months[busiest], "F Y"),
            "count": count_text(held[busiest]),
        }
    return summary
