"""The session evaluations per domain, month by month, of the sessions that
enough people evaluated."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.models import Evaluation, EvaluationQuerySet, Score
from evaluations.questionnaire import HIGHEST, LOWEST, Domain
from insights.charts import Series
from lib.numbers import number_text

from .tables import Column, Table, count_text, month_start

if TYPE_CHECKING:
    from .period import Insights


class EvaluationFigures(TypedDict):
    """Each month's means per domain, answers and sessions; and the sessions
    left out: the answers of each with too few, and how many are still open
    with enough."""

    cells: dict[datetime.date, dict[str, Any]]
    short: list[int]
    still_open: int


def evaluation_figures(period: Insights) -> EvaluationFigures:
    minimum = period.organisation.evaluation_minimum
    evaluations = (
        Evaluation.objects.for_organisation(period.organisation)
        .in_units(period.unit_ids)
        .held_between(period.start, period.end)
    )
    # Only whole sessions that reached the minimum are added up.
    reportable = evaluations.reportable(minimum).values_list("pk", flat=True)
    short, still_open = _left_out(evaluations, reportable, minimum)
    return {
        "cells": _monthly_means(reportable),
        "short": short,
        "still_open": still_open,
    }


def evaluations_table(period: Insights, figures: EvaluationFigures) -> Table:
    minimum = period.organisation.evaluation_minimum
    cells = figures["cells"]
    note = _note(figures["short"], figures["still_open"], minimum)
    domains = Domain.choices
    rows: list[list[Any]] = []
    series: dict[str, list[float | None]] = {domain: [] for domain, _label in domains}
    for month in period.months:
        cell = cells.get(month, {})
        means = [cell.get(domain) for domain, _label in domains]
        for (domain, _label), mean in zip(domains, means, strict=True):
            series[domain].append(mean)
        if cell:
            rows.append([month, cell["sessions"], cell["answers"]] + means)
    return Table(
        key="evaluations",
        title=_("Session evaluations per domain"),
        columns=[
            Column("month", _("Month"), "month"),
            Column("sessions", _("Sessions"), "count"),
            Column("answers", _("Answers"), "count"),
        ]
        + [
            Column(domain, _("%(domain)s (average)") % {"domain": label}, "decimal")
            for domain, label in domains
        ],
        rows=rows,
        summary=_summary(rows),
        note=note,
        charts=[
            period.monthly_lines(
                key="evaluations",
                title=_("Average per domain and month"),
                series=[Series(str(label), series[d]) for d, label in domains],
                low=LOWEST,
                high=HIGHEST,
                step=1,
            )
        ]
        if rows
        else [],
    )


def _monthly_means(
    reportable: QuerySet[Evaluation, int],
) -> dict[datetime.date, dict[str, Any]]:
    """Each month's mean per domain, answers and sessions."""
    cells: dict[datetime.date, dict[str, Any]] = defaultdict(dict)
    for row in (
        Score.objects.filter(answer__evaluation__in=reportable)
        .annotate(month=TruncMonth("answer__evaluation__held"))
        .values("month", "domain")
        .annotate(
            mean=Avg("value"),
            answers=Count("answer", distinct=True),
            sessions=Count("answer__evaluation", distinct=True),
        )
        .order_by("month", "domain")
    ):
        month = month_start(row["month"])
        cells[month][row["domain"]] = row["mean"]
        cells[month]["answers"] = row["answers"]
        cells[month]["sessions"] = row["sessions"]
    return dict(cells)


def _left_out(
    evaluations: EvaluationQuerySet[Evaluation],
    reportable: QuerySet[Evaluation, int],
    minimum: int,
) -> tuple[list[int], int]:
    """The sessions left out, in one query: the answers of each with too few
    (open or closed: one respondent each, to say how far they are), and how
    many are still open with enough (sealed until they close, then counted).

    An open evaluation is never reportable, so leaving the reportable out
    leaves every open one in.
    """
    rows = list(
        evaluations.exclude(pk__in=reportable)
        .with_respondent_count()
        .filter(respondent_count__gt=0)
        .filter(Q(respondent_count__lt=minimum) | Q(state=Evaluation.State.OPEN))
        .values_list("state", "respondent_count")
    )
    short = [count for _state, count in rows if count < minimum]
    still_open = sum(
        1
        for state, count in rows
        if state == Evaluation.State.OPEN and count >= minimum
    )
    return short, still_open


def _note(short: list[int], still_open: int, minimum: int) -> str:
    """The scale, and the sessions left out: still open, or with too few answers."""
    note = _(
        "On a scale from %(low)s (not at all) to %(high)s (completely). Only "
        "sessions that at least %(minimum)s people evaluated are included."
    ) % {"low": LOWEST, "high": HIGHEST, "minimum": minimum}
    if still_open:
        note += " " + ngettext(
            "%(count)s session is still open and is counted once it closes.",
            "%(count)s sessions are still open and are counted once they close.",
            still_open,
        ) % {"count": count_text(still_open)}
    if short:
        note += " " + _too_few(short, minimum)
    return note


def _summary(rows: list[list[Any]]) -> str:
    if not rows:
        return _("No session in the period has enough answers to show.")
    sessions = sum(row[1] for row in rows)
    return (
        ngettext(
            "%(answers)s answer from %(sessions)s session.",
            "%(answers)s answers from %(sessions)s sessions.",
            sessions,
        )
        % {
            "answers": count_text(sum(row[2] for row in rows)),
            "sessions": count_text(sessions),
        }
        + " "
        + "; ".join(
            _("%(domain)s on average %(mean)s")
            % {
                "domain": label,
                "mean": number_text(_weighted(rows, 3 + index), 1),
            }
            for index, (_domain, label) in enumerate(Domain.choices)
        )
        + "."
    )


def _too_few(answer_counts: list[int], minimum: int) -> str:
    """The sessions left out: how many answers they have, how many more they need."""
    figures = {
        "count": count_text(len(answer_counts)),
        "answers": count_text(sum(answer_counts)),
        "minimum": count_text(minimum),
        "more": count_text(sum(minimum - n for n in answer_counts)),
    }
    if len(answer_counts) == 1:
        return (
            _(
                "One session has too few answers to be included: it has "
                "%(answers)s of the %(minimum)s needed, so %(more)s more would "
                "include it."
            )
            % figures
        )
    return (
        _(
            "%(count)s sessions have too few answers to be included: %(answers)s "
            "between them, where each needs %(minimum)s, so %(more)s more in the "
            "right sessions would include them."
        )
        % figures
    )


def _weighted(rows: list[list[Any]], column: int) -> float:
    """The mean of a column over months, each month weighed by its answers."""
    pairs = [(row[2], row[column]) for row in rows if row[column] is not None]
    total = sum(n for n, _mean in pairs)
    return sum(n * mean for n, mean in pairs) / total if total else 0
