"""The actions agreed in the period's sessions, per unit, as they stand today."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from insights.charts import Series, bar_chart
from reflections.models import Action

from .tables import Column, Table, count_text

if TYPE_CHECKING:
    from .period import Insights


def actions_table(period: Insights, counts: dict[int, list[int]]) -> Table:
    rows = _rows(period, counts)
    return Table(
        key="actions",
        title=_("Open and overdue actions"),
        columns=[
            Column("unit", _("Unit")),
            Column("agreed", _("Agreed"), "count"),
            Column("done", _("Done"), "count"),
            Column("open", _("Open"), "count"),
            Column("overdue", _("Of which overdue"), "count"),
        ],
        rows=rows,
        summary=_summary(rows),
        note=_("Actions agreed in sessions held in the period, as they stand today."),
        charts=[
            bar_chart(
                key="actions",
                title=_("Open and overdue actions per unit"),
                categories=[row[0] for row in rows],
                series=[
                    Series(_("Open"), [row[3] for row in rows]),
                    Series(_("Of which overdue"), [row[4] for row in rows]),
                ],
            )
        ]
        if rows
        else [],
    )


def action_figures(period: Insights) -> dict[int, list[int]]:
    """Actions agreed, done, open and overdue, by the unit's id.

    The units' names are the page's to add: they are read with the units.
    """
    return {
        row["reflection__dilemma__group__unit"]: [
            row["agreed"],
            row["finished"],
            row["still_open"],
            row["overdue"],
        ]
        for row in Action.objects.filter(
            organisation=period.organisation,
            reflection__dilemma__group__unit__in=period.unit_ids,
        )
        .filter(period.in_period("reflection__meeting__start"))
        .values("reflection__dilemma__group__unit")
        .annotate(
            # Not "done": that is a column of Action.
            agreed=Count("pk"),
            finished=Count("pk", filter=Q(done__isnull=False)),
            still_open=Count("pk", filter=Q(done__isnull=True)),
            overdue=Count("pk", filter=Q(done__isnull=True, due__lt=period.today)),
        )
        .order_by()
    }


def _rows(period: Insights, counts: dict[int, list[int]]) -> list[list[Any]]:
    """Unit, actions agreed, done, open and overdue, for each unit with any."""
    units = sorted(
        (period.units[pk] for pk in counts if pk in period.units),
        key=lambda u: u.name,
    )
    return [[unit.name, *counts[unit.pk]] for unit in units]


def _summary(rows: list[list[Any]]) -> str:
    if not rows:
        return _("No actions were agreed in the period.")
    totals = [sum(r[i] for r in rows) for i in range(1, 5)]
    return _(
        "%(agreed)s actions agreed in the period: %(done)s done, %(open)s "
        "open, of which %(overdue)s overdue."
    ) % {
        name: count_text(total)
        for name, total in zip(
            ("agreed", "done", "open", "overdue"), totals, strict=True
        )
    }
