"""What a manager learns from the sessions of their units over a period.

Every figure is an aggregate the database computes: counts, sums, averages
and (in Python, from one list of pairs) a median. Nothing here reads a case
text: value tensions, values, guidelines, units and months are named, while
dilemmas, reflections and actions are only counted. Each table is built by a
fixed number of queries, whatever the amount of data, and the same Table
feeds the page (chart, text alternative, data table) and the CSV export, so
an export can hold nothing the page does not show.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dilemmas.models import Dilemma, ValueTension
from evaluations.models import Evaluation, Score
from evaluations.questionnaire import HIGHEST, LOWEST, Domain
from meetings.models import Meeting
from organisations.models import Organisation, Unit
from reflections.models import Action, Citation, Reflection

from .charts import Chart, Series, bar_chart, column_chart, line_chart

# Ranked charts show the top of the list; the table beside them shows it all.
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
    rows: list[list]
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
    """A short month for an axis, in the page's language."""
    return date_format(month, "M")


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _month(value) -> datetime.date:
    """A TruncMonth result as the first of its month (dates and datetimes alike)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def _count(n: int) -> str:
    return formats.number_format(n, 0)


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

    KEYS = ("meetings", "dilemmas", "tensions", "citations", "actions", "evaluations")

    def tables(self) -> list[Table]:
        return [self.table(key) for key in self.KEYS]

    def table(self, key: str) -> Table:
        if key not in self.KEYS:
            raise KeyError(key)
        return getattr(self, key)

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

    def _in_period(self, path: str) -> Q:
        return Q(**{f"{path}__gte": self.start_at, f"{path}__lt": self.end_at})

    # --- Sessions and attendance ------------------------------------------

    @cached_property
    def meetings(self) -> Table:
        rows_by_month = {
            _month(row["month"]): row
            for row in Meeting.objects.for_organisation(self.organisation)
            .in_units(self.unit_ids)
            .filter(self._in_period("start"), status=Meeting.Status.HELD)
            .annotate(month=TruncMonth("start", tzinfo=self.tz))
            .values("month")
            .annotate(
                held=Count("pk"),
                present=Sum("attended_count"),
                invited=Sum("expected_count"),
            )
            .order_by("month")
        }
        rows, held, rates = [], [], []
        for month in self.months:
            row = rows_by_month.get(month, {})
            count = row.get("held", 0)
            present, invited = row.get("present") or 0, row.get("invited") or 0
            rate = round(100 * present / invited, 1) if invited else None
            rows.append([month, count, present, invited, rate])
            held.append(count)
            rates.append(rate)
        total_present = sum(r[2] for r in rows)
        total_invited = sum(r[3] for r in rows)
        total_held = sum(held)
        summary = ngettext(
            "%(count)s meeting held in the period",
            "%(count)s meetings held in the period",
            total_held,
        ) % {"count": _count(total_held)}
        if total_invited:
            summary += ", " + _(
                "%(present)s of %(invited)s invited present (%(rate)s %%)"
            ) % {
                "present": _count(total_present),
                "invited": _count(total_invited),
                "rate": formats.number_format(100 * total_present / total_invited, 0),
            }
        summary += "."
        if total_held:
            busiest = max(range(len(held)), key=lambda i: held[i])
            summary += " " + _("Most meetings in %(month)s: %(count)s.") % {
                "month": date_format(self.months[busiest], "F Y"),
                "count": _count(held[busiest]),
            }
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
            rows=rows if total_held else [],
            summary=summary,
            charts=[
                column_chart(
                    key="meetings-held",
                    title=_("Meetings held per month"),
                    categories=self.month_labels,
                    under=self.year_labels,
                    series=[Series(_("Meetings held"), held)],
                ),
                line_chart(
                    key="meetings-attendance",
                    title=_("Attendance per month, in per cent of those invited"),
                    categories=self.month_labels,
                    under=self.year_labels,
                    series=[Series(_("Attendance"), rates)],
                    low=0,
                    high=100,
                    step=25,
                    decimals=0,
                    suffix=" %",
                ),
            ],
        )

    # --- Dilemmas raised and discussed --------------------------------------

    @cached_property
    def dilemmas(self) -> Table:
        dilemmas = Dilemma.objects.for_organisation(self.organisation).filter(
            group__unit__in=self.unit_ids
        )
        raised = {
            _month(row["month"]): row["n"]
            for row in dilemmas.filter(self._in_period("created"))
            .annotate(month=TruncMonth("created", tzinfo=self.tz))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by("month")
        }
        # Discussed: the first signed-off reflection of the dilemma.
        pairs = (
            dilemmas.annotate(
                discussed=Min(
                    "reflections__meeting__start",
                    filter=Q(reflections__status=Reflection.Status.SIGNED_OFF),
                )
            )
            .filter(self._in_period("discussed"))
            .order_by()
            .values_list("created", "discussed")
        )
        waits: dict[datetime.date, list[int]] = defaultdict(list)
        for created, discussed in pairs:
            month = timezone.localtime(discussed, self.tz).date().replace(day=1)
            waits[month].append(max((discussed - created).days, 0))
        rows, raised_series, discussed_series = [], [], []
        for month in self.months:
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
        summary = _("%(raised)s dilemmas raised and %(discussed)s discussed.") % {
            "raised": _count(sum(raised_series)),
            "discussed": _count(len(every_wait)),
        }
        if every_wait:
            # The median, said in words.
            summary += " " + ngettext(
                "Half of them were discussed within %(days)s day of being raised.",
                "Half of them were discussed within %(days)s days of being raised.",
                int(statistics.median(every_wait)),
            ) % {"days": formats.number_format(statistics.median(every_wait), 0)}
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
            summary=summary,
            charts=[
                column_chart(
                    key="dilemmas",
                    title=_("Dilemmas raised and discussed per month"),
                    categories=self.month_labels,
                    under=self.year_labels,
                    series=[
                        Series(_("Raised"), raised_series),
                        Series(_("Discussed"), discussed_series),
                    ],
                )
            ],
        )

    # --- Value tensions ------------------------------------------------------

    @cached_property
    def tensions(self) -> Table:
        tensions = list(
            ValueTension.objects.for_organisation(self.organisation)
            .annotate(
                n=Count(
                    "dilemmas",
                    filter=Q(dilemmas__group__unit__in=self.unit_ids)
                    & self._in_period("dilemmas__created"),
                    distinct=True,
                )
            )
            .filter(n__gt=0)
            .order_by("-n", "position", "title")
            .values_list("title", "n")
        )
        top = tensions[:TOP]
        summary = (
            _("Most frequent: %(list)s.")
            % {"list": "; ".join(f"{title} ({_count(n)})" for title, n in top[:3])}
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

    # --- Values and guidelines cited -----------------------------------------

    @cached_property
    def citations(self) -> Table:
        rows = list(
            Citation.objects.filter(
                reflection__organisation=self.organisation,
                reflection__status=Reflection.Status.SIGNED_OFF,
                reflection__dilemma__group__unit__in=self.unit_ids,
            )
            .filter(self._in_period("reflection__meeting__start"))
            .values(
                "reflection__version__value_base__name",
                "reflection__version__number",
                "value__title",
                "guideline__title",
            )
            .annotate(times=Count("pk"))
            .order_by()
        )
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
        by_version: dict[str, list[tuple[str, int]]] = {}
        table_rows = []
        for row in rows:
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
        charts = [
            bar_chart(
                key=f"citations-{index}",
                title=_("Cited most in %(version)s") % {"version": version},
                categories=[title for title, _n in cited[:TOP]],
                series=[Series(_("Times cited"), [n for _t, n in cited[:TOP]])],
            )
            for index, (version, cited) in enumerate(by_version.items(), start=1)
        ]
        summary = (
            " ".join(
                _("In %(version)s cited most: %(list)s.")
                % {
                    "version": version,
                    "list": "; ".join(f"{t} ({_count(n)})" for t, n in cited[:3]),
                }
                for version, cited in by_version.items()
            )
            if by_version
            else _("No reflection signed off in the period cited a value or guideline.")
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
            summary=summary,
            charts=charts,
        )

    # --- Actions ---------------------------------------------------------------

    @cached_property
    def actions(self) -> Table:
        rows = {
            row["reflection__dilemma__group__unit"]: row
            for row in Action.objects.filter(
                organisation=self.organisation,
                reflection__dilemma__group__unit__in=self.unit_ids,
            )
            .filter(self._in_period("reflection__meeting__start"))
            .values("reflection__dilemma__group__unit")
            .annotate(
                # Not "done": that is a column of Action.
                agreed=Count("pk"),
                finished=Count("pk", filter=Q(done__isnull=False)),
                still_open=Count("pk", filter=Q(done__isnull=True)),
                overdue=Count("pk", filter=Q(done__isnull=True, due__lt=self.today)),
            )
            .order_by()
        }
        units = sorted(
            (self.units[pk] for pk in rows if pk in self.units), key=lambda u: u.name
        )
        table_rows = [
            [
                unit.name,
                rows[unit.pk]["agreed"],
                rows[unit.pk]["finished"],
                rows[unit.pk]["still_open"],
                rows[unit.pk]["overdue"],
            ]
            for unit in units
        ]
        totals = [sum(r[i] for r in table_rows) for i in range(1, 5)]
        summary = (
            _(
                "%(agreed)s actions agreed in the period: %(done)s done, %(open)s "
                "open, of which %(overdue)s overdue."
            )
            % {
                name: _count(total)
                for name, total in zip(
                    ("agreed", "done", "open", "overdue"), totals, strict=True
                )
            }
            if table_rows
            else _("No actions were agreed in the period.")
        )
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
            rows=table_rows,
            summary=summary,
            note=_(
                "Actions agreed in sessions held in the period, as they stand today."
            ),
            charts=[
                bar_chart(
                    key="actions",
                    title=_("Open and overdue actions per unit"),
                    categories=[row[0] for row in table_rows],
                    series=[
                        Series(_("Open"), [row[3] for row in table_rows]),
                        Series(_("Of which overdue"), [row[4] for row in table_rows]),
                    ],
                )
            ]
            if table_rows
            else [],
        )

    # --- Evaluations -------------------------------------------------------------

    @cached_property
    def evaluations(self) -> Table:
        minimum = self.organisation.evaluation_minimum
        evaluations = (
            Evaluation.objects.for_organisation(self.organisation)
            .in_units(self.unit_ids)
            .held_between(self.start, self.end)
        )
        # Only whole sessions that reached the minimum are added up.
        reportable = evaluations.reportable(minimum).values("pk")
        cells: dict[datetime.date, dict] = defaultdict(dict)
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
            month = _month(row["month"])
            cells[month][row["domain"]] = row["mean"]
            cells[month]["answers"] = row["answers"]
            cells[month]["sessions"] = row["sessions"]
        # The sessions left out for too few answers, open or closed: how many
        # answers each has (one respondent each), to say how far they are.
        short = list(
            evaluations.exclude(pk__in=reportable)
            .with_answer_count()
            .filter(answer_count__gt=0, answer_count__lt=minimum)
            .values_list("answer_count", flat=True)
        )
        # Open with enough answers: sealed until they close, then counted.
        still_open = (
            evaluations.still_open()
            .with_answer_count()
            .filter(answer_count__gte=minimum)
            .count()
        )
        domains = Domain.choices
        rows, series = [], {domain: [] for domain, _label in domains}
        for month in self.months:
            cell = cells.get(month, {})
            means = [cell.get(domain) for domain, _label in domains]
            for (domain, _label), mean in zip(domains, means, strict=True):
                series[domain].append(mean)
            if cell:
                rows.append(
                    [month, cell["sessions"], cell["answers"]]
                    + [round(m, 2) if m is not None else None for m in means]
                )
        answers = sum(row[2] for row in rows)
        summary = (
            ngettext(
                "%(answers)s answer from %(sessions)s session.",
                "%(answers)s answers from %(sessions)s sessions.",
                sum(row[1] for row in rows),
            )
            % {
                "answers": _count(answers),
                "sessions": _count(sum(row[1] for row in rows)),
            }
            + " "
            + "; ".join(
                _("%(domain)s on average %(mean)s")
                % {
                    "domain": label,
                    "mean": formats.number_format(_weighted(rows, 3 + index), 1),
                }
                for index, (_domain, label) in enumerate(domains)
            )
            + "."
            if rows
            else _("No session in the period has enough answers to show.")
        )
        note = _(
            "On a scale from %(low)s (not at all) to %(high)s (completely). Only "
            "sessions that at least %(minimum)s people evaluated are included."
        ) % {"low": LOWEST, "high": HIGHEST, "minimum": minimum}
        if still_open:
            note += " " + ngettext(
                "%(count)s session is still open and is counted once it closes.",
                "%(count)s sessions are still open and are counted once they close.",
                still_open,
            ) % {"count": _count(still_open)}
        if short:
            note += " " + _too_few(short, minimum)
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
            summary=summary,
            note=note,
            charts=[
                line_chart(
                    key="evaluations",
                    title=_("Average per domain and month"),
                    categories=self.month_labels,
                    under=self.year_labels,
                    series=[Series(str(label), series[d]) for d, label in domains],
                    low=LOWEST,
                    high=HIGHEST,
                    step=1,
                )
            ]
            if rows
            else [],
        )


def _too_few(answer_counts: list[int], minimum: int) -> str:
    """The sessions left out: how many answers they have, how many more they need."""
    figures = {
        "count": _count(len(answer_counts)),
        "answers": _count(sum(answer_counts)),
        "minimum": _count(minimum),
        "more": _count(sum(minimum - n for n in answer_counts)),
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


def _weighted(rows: list[list], column: int) -> float:
    """The mean of a column over months, each month weighed by its answers."""
    pairs = [(row[2], row[column]) for row in rows if row[column] is not None]
    total = sum(n for n, _mean in pairs)
    return sum(n * mean for n, mean in pairs) / total if total else 0
