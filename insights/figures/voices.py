"""The person's own voice in the reflections, month by month: how many
reflections had the person's view recorded, and how many were held with the
person or a representative taking part."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from dilemmas.models import Voice
from insights.charts import Series
from lib.numbers import number_text
from reflections.models import Reflection

from .tables import Column, Table, count_text, month_start

if TYPE_CHECKING:
    from .period import Insights


def voices_table(period: Insights, rows: list[list[Any]]) -> Table:
    signed = sum(row[1] for row in rows)
    return Table(
        key="voices",
        title=_("The person's own voice"),
        columns=[
            Column("month", _("Month"), "month"),
            Column("reflections", _("Reflections signed off"), "count"),
            Column("view", _("With the person's own view recorded"), "count"),
            Column("view_share", _("Share with the person's view (%)"), "percent"),
            Column(
                "present", _("With the person or a representative present"), "count"
            ),
            Column(
                "present_share",
                _("Share with the person or a representative present (%)"),
                "percent",
            ),
        ],
        rows=rows if signed else [],
        summary=_summary(rows),
        charts=[
            period.monthly_lines(
                key="voices",
                title=_("The person's voice per month, in per cent of reflections"),
                series=[
                    Series(_("The person's own view recorded"), [r[3] for r in rows]),
                    Series(
                        _("The person or a representative present"),
                        [r[5] for r in rows],
                    ),
                ],
                low=0,
                high=100,
                step=25,
                decimals=0,
                suffix=" %",
            )
        ]
        if signed
        else [],
    )


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def voice_figures(period: Insights) -> list[list[Any]]:
    """Month, reflections signed off, with the view, its share, with the
    person present and its share, for every month of the period.

    A reflection counts in the month its meeting was held. The view counts
    when the person was asked, in person or through a representative; whether
    they were asked is kept when the retention rule erases the words, so
    erased cases still count. Practice cases are about no one and have no
    dilemma, so they are not counted.
    """
    by_month = {
        month_start(row["month"]): row
        for row in Reflection.objects.for_organisation(period.organisation)
        .signed_off()
        .filter(period.in_period("meeting__start"))
        .filter(dilemma__group__unit__in=period.unit_ids)
        .annotate(month=TruncMonth("meeting__start", tzinfo=period.tz))
        .values("month")
        .annotate(
            # One row per voice of the dilemma: count reflections once each.
            n=Count("pk", distinct=True),
            heard=Count(
                "pk",
                distinct=True,
                filter=Q(
                    dilemma__voices__kind=Voice.Kind.PERSON,
                    dilemma__voices__asked__in=Voice.HEARD,
                ),
            ),
            present=Count(
                "pk",
                distinct=True,
                filter=Q(person_present__in=Reflection.TOOK_PART),
            ),
        )
        .order_by("month")
    }
    rows = []
    for month in period.months:
        row = by_month.get(month)
        n, heard, present = (
            (row["n"], row["heard"], row["present"]) if row else (0, 0, 0)
        )
        rows.append([month, n, heard, _share(heard, n), present, _share(present, n)])
    return rows


def _summary(rows: list[list[Any]]) -> str:
    total = sum(row[1] for row in rows)
    if not total:
        return _("No reflection was signed off in the period.")
    heard = sum(row[2] for row in rows)
    present = sum(row[4] for row in rows)
    return _(
        "Of %(total)s reflections signed off, %(heard)s had the person's own view "
        "recorded (%(heard_share)s %%) and %(present)s were held with the person "
        "or a representative present (%(present_share)s %%)."
    ) % {
        "total": count_text(total),
        "heard": count_text(heard),
        "heard_share": number_text(100 * heard / total),
        "present": count_text(present),
        "present_share": number_text(100 * present / total),
    }
