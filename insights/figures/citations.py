"""The values and guidelines that signed-off reflections cited, per version of
the value base."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils.translation import gettext as _

from insights.charts import Series, bar_chart
from reflections.models import Citation, Reflection

from .tables import TOP, Column, Table, count_text

if TYPE_CHECKING:
    from .period import Insights


def citations_table(period: Insights, cited: list[dict[str, Any]]) -> Table:
    table_rows = []
    by_version: dict[str, list[tuple[str, int]]] = {}
    for row in cited:
        version = _("%(base)s, version %(number)s") % {
            "base": row["reflection__version__value_base__name"],
            "number": row["reflection__version__number"],
        }
        is_value = row["value__title"] is not None
        title = row["value__title"] if is_value else row["guideline__title"]
        kind = _("Value") if is_value else _("Guideline")
        table_rows.append([title, kind, row["times"], version])
        by_version.setdefault(version, []).append(
            (f"{title} ({kind.lower()})", row["times"])
        )
    return Table(
        key="citations",
        title=_("Values and guidelines cited"),
        columns=[
            Column("title", _("Title")),
            Column("kind", _("Kind")),
            Column("times", _("Times cited"), "count"),
            Column("version", _("Value-base version")),
        ],
        rows=table_rows,
        summary=_summary(by_version),
        charts=[
            bar_chart(
                key=f"citations-{index}",
                title=_("Cited most in %(version)s") % {"version": version},
                categories=[title for title, _n in cited[:TOP]],
                series=[Series(_("Times cited"), [n for _t, n in cited[:TOP]])],
            )
            for index, (version, cited) in enumerate(by_version.items(), start=1)
        ],
    )


def citation_figures(period: Insights) -> list[dict[str, Any]]:
    """How often each value and guideline was cited, by version, most first."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Citation.objects.filter(
            reflection__organisation=period.organisation,
            reflection__status=Reflection.Status.SIGNED_OFF,
            reflection__dilemma__group__unit__in=period.unit_ids,
        )
        .filter(period.in_period("reflection__meeting__start"))
        .values(
            "reflection__version__value_base__name",
            "reflection__version__number",
            "value__title",
            "guideline__title",
        )
        .annotate(times=Count("pk"))
        .order_by()
    ]
    # Sorted here: databases put the empty title of the other kind first
    # or last as they please.
    rows.sort(
        key=lambda row: (
            row["reflection__version__value_base__name"],
            -row["reflection__version__number"],
            -row["times"],
            row["value__title"] or row["guideline__title"],
        )
    )
    return rows


def _summary(by_version: dict[str, list[tuple[str, int]]]) -> str:
    if not by_version:
        return _("No reflection signed off in the period cited a value or guideline.")
    return " ".join(
        _("In %(version)s cited most: %(list)s.")
        % {
            "version": version,
            "list": "; ".join(f"{t} ({count_text(n)})" for t, n in cited[:3]),
        }
        for version, cited in by_version.items()
    )
