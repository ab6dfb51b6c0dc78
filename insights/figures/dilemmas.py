"""Dilemmas raised and discussed, month by month, and the value tensions they
named."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dilemmas.models import Dilemma, ValueTension
from insights.charts import Series, bar_chart
from lib.numbers import number_text, rounded
from reflections.models import Reflection

from .tables import TOP, Column, Table, count_text

if TYPE_CHECKING:
    from .period import Insights


class DilemmaFigures(TypedDict):
    """Dilemmas raised per month, and the days each waited by the month it was
    discussed in."""

    raised: dict[datetime.date, int]
    waits: dict[datetime.date, list[int]]


def dilemmas_table(period: Insights, figures: DilemmaFigures) -> Table:
    raised, waits = figures["raised"], figures["waits"]
    rows: list[list[Any]] = []
    raised_series: list[int] = []
    discussed_series: list[int] = []
    for month in period.months:
        days = waits.get(month, [])
        rows.append(
            [
                month,
                raised.get(month, 0),
                len(days),
                statistics.median(days) if days else None,
            ]
        )
        raised_series.append(raised.get(month, 0))
        discussed_series.append(len(days))
    every_wait = [d for days in waits.values() for d in days]
    return Table(
        key="dilemmas",
        title=_("Dilemmas raised and discussed"),
        columns=[
            Column("month", _("Month"), "month"),
            Column("raised", _("Raised"), "count"),
            Column("discussed", _("Discussed"), "count"),
            Column("days", _("Days from raised to discussed (median)"), "days"),
        ],
        rows=rows if (sum(raised_series) or every_wait) else [],
        summary=_summary(sum(raised_series), every_wait),
        charts=[
            period.monthly_columns(
                key="dilemmas",
                title=_("Dilemmas raised and discussed per month"),
                series=[
                    Series(_("Raised"), [*raised_series]),
                    Series(_("Discussed"), [*discussed_series]),
                ],
            )
        ],
    )


def _dilemmas(period: Insights) -> models.QuerySet[Dilemma]:
    return Dilemma.objects.for_organisation(period.organisation).filter(
        group__unit__in=period.unit_ids
    )


def dilemma_figures(period: Insights) -> DilemmaFigures:
    """Raised by month, and the days from raised to discussed by the month
    each was discussed in, in one query: the dilemmas raised or discussed in
    the period, with when each was raised and discussed.

    Discussed: the first signed-off reflection of the dilemma.
    """
    pairs = (
        _dilemmas(period)
        .annotate(
            discussed=Min(
                "reflections__meeting__start",
                filter=Q(reflections__status=Reflection.Status.SIGNED_OFF),
            )
        )
        .filter(period.in_period("created") | period.in_period("discussed"))
        .order_by()
        .values_list("created", "discussed")
    )
    raised: dict[datetime.date, int] = defaultdict(int)
    waits: dict[datetime.date, list[int]] = defaultdict(list)
    for created, discussed in pairs:
        if period.start_at <= created < period.end_at:
            raised[_month(period, created)] += 1
        if discussed is not None and period.start_at <= discussed < period.end_at:
            waits[_month(period, discussed)].append(max((discussed - created).days, 0))
    return {"raised": dict(raised), "waits": dict(waits)}


def _month(period: Insights, instant: datetime.datetime) -> datetime.date:
    """The month an instant falls in, in the organisation's time zone."""
    return timezone.localtime(instant, period.tz).date().replace(day=1)


def _summary(raised: int, every_wait: list[int]) -> str:
    summary = _("%(raised)s dilemmas raised and %(discussed)s discussed.") % {
        "raised": count_text(raised),
        "discussed": count_text(len(every_wait)),
    }
    if every_wait:
        # The median, said in words.
        summary += " " + ngettext(
            "Half of them were discussed within %(days)s day of being raised.",
            "Half of them were discussed within %(days)s days of being raised.",
            int(rounded(statistics.median(every_wait))),
        ) % {"days": number_text(statistics.median(every_wait))}
    return summary


def tension_figures(period: Insights) -> list[tuple[str, int]]:
    """Each value tension named by dilemmas raised in the period, and how many."""
    return list(
        ValueTension.objects.for_organisation(period.organisation)
        .annotate(
            n=Count(
                "dilemmas",
                filter=Q(dilemmas__group__unit__in=period.unit_ids)
                & period.in_period("dilemmas__created"),
                distinct=True,
            )
        )
        .filter(n__gt=0)
        .order_by("-n", "position", "title")
        .values_list("title", "n")
    )


def tensions_table(period: Insights, tensions: list[tuple[str, int]]) -> Table:
    top = tensions[:TOP]
    summary = (
        _("Most frequent: %(list)s.")
        % {"list": "; ".join(f"{title} ({count_text(n)})" for title, n in top[:3])}
        if tensions
        else _("No dilemma raised in the period named a value tension.")
    )
    return Table(
        key="tensions",
        title=_("Most frequent value tensions"),
        columns=[
            Column("tension", _("Value tension")),
            Column("dilemmas", _("Dilemmas"), "count"),
        ],
        rows=[[title, n] for title, n in tensions],
        summary=summary,
        charts=[
            bar_chart(
                key="tensions",
                title=_("Dilemmas per value tension"),
                categories=[title for title, _n in top],
                series=[Series(_("Dilemmas"), [n for _title, n in top])],
            )
        ]
        if tensions
        else [],
    )
