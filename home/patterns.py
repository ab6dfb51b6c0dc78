"""The pattern page: every component of the interface in each of its states.

One page that renders the buttons, fields, errors, the error summary, tables,
badges, messages, the pager, the step progress and charts from the same
includes and styles as the product, so that a change to one is seen in every
state at once (and axe reads them all, tests/browser/test_layout.py). Only
the platform's staff (`is_staff`) see it, or anyone while developing (DEBUG).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from insights.charts import Series, bar_chart, column_chart, line_chart
from insights.figures.tables import Column, Table, month_label
from lib.pagination import Page
from lib.widgets import DatePartsWidget
from meetings.models import Meeting
from values.models import Version


class PatternForm(forms.Form):
    """A form with one field of each kind the product uses."""

    title = forms.CharField(
        label=gettext_lazy("Title"),
        help_text=gettext_lazy("A short name that others will recognise."),
        max_length=80,
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea, required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=settings.LANGUAGES
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=Meeting.Status.choices,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label=gettext_lazy("Date"), widget=DatePartsWidget())
    public = forms.BooleanField(label=gettext_lazy("Public"), required=False)


@dataclass(frozen=True)
class Step:
    position: int
    title: str
    minutes: int
    skipped: bool = False


@dataclass(frozen=True)
class Session:
    uuid: uuid.UUID
    current_step: int
    is_signed_off: bool = False


def _charts() -> Table:
    months = [datetime.date(2026, number, 1) for number in range(1, 7)]
    labels = [month_label(month) for month in months]
    held = Series(_("Sessions"), [2, 3, 1, 4, 2, 3])
    attended = Series(_("Attended"), [1, 3, 1, 2, 2, 1])
    table = Table(
        key="pattern",
        title=_("Charts"),
        columns=[
            Column("month", _("Month"), "month"),
            Column("held", _("Sessions"), "count"),
            Column("attended", _("Attended"), "count"),
        ],
        rows=[
            [m, a, b]
            for m, a, b in zip(months, held.values, attended.values, strict=True)
        ],
        summary=_("Sessions held and attended per month, with made-up figures."),
    )
    table.charts = [
        column_chart(
            key="pattern-columns",
            title=_("Sessions"),
            categories=labels,
            series=[held, attended],
        ),
        line_chart(
            key="pattern-lines",
            title=_("Attended"),
            categories=labels,
            series=[attended],
            low=0,
            high=4,
            step=1,
        ),
        bar_chart(
            key="pattern-bars",
            title=_("Attended"),
            categories=labels[:3],
            series=[attended],
        ),
    ]
    return table


def _wide_table() -> Table:
    """A table wider than a phone: it scrolls in its own region."""
    labels = [_("Group"), _("Unit"), _("Role"), _("Date"), _("Status")]
    labels += [_("Sessions"), _("Attended"), _("Members")]
    columns = [Column(f"c{index}", label) for index, label in enumerate(labels)]
    row = ["Etikgruppen barn och familj", "Individ- och familjeomsorg"]
    row += [str(Meeting.Status.CANCELLED.label), "2026-02-01", "–", "4", "3", "8"]
    return Table(
        key="pattern-wide",
        title=_("Tables"),
        columns=columns,
        rows=[row, row],
        summary="",
    )


@require_GET
def patterns(request: HttpRequest) -> HttpResponse:
    if not (settings.DEBUG or getattr(request.user, "is_staff", False)):
        raise Http404
    messages.success(request, _("Saved."))
    messages.info(request, _("Nothing to show for this period."))
    messages.warning(
        request, _("Preview of a draft. It is not in force and may still change.")
    )
    messages.error(request, _("There is a problem"))
    invalid = PatternForm(
        QueryDict(
            "invalid-title=&invalid-language=sv&invalid-status=planned"
            "&invalid-date_0=31&invalid-date_1=2&invalid-date_2=2026"
        ),
        prefix="invalid",
    )
    invalid.is_valid()
    steps = [
        Step(1, _("The case"), 10),
        Step(2, _("Options"), 15),
        Step(3, _("Perspectives"), 15, skipped=True),
        Step(4, _("Notes"), 10),
    ]
    session = Session(uuid.UUID(int=1), current_step=2)
    return render(
        request,
        "home/patterns.html",
        {
            "form": PatternForm(prefix="clean"),
            "invalid": invalid,
            "badges": [
                ("adopted", Version.State.IN_FORCE.label),
                ("draft", Version.State.DRAFT.label),
                ("superseded", Version.State.SUPERSEDED.label),
                ("cancelled", Meeting.Status.CANCELLED.label),
            ],
            "figures": _charts(),
            "wide": _wide_table(),
            "page": Page(
                rows=[], number=2, size=20, has_next=True, query=QueryDict("")
            ),
            "steps": steps,
            "step": steps[1],
            "total": len(steps),
            "session": session,
            "session_org": {"slug": "pattern"},
        },
    )
