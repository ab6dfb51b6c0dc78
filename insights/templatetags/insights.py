from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import template
from django.utils import formats

from insights.feedback import draft_feedback
from lib.numbers import number_text

if TYPE_CHECKING:
    from django.template import Context

    from insights.figures.tables import Column
    from values.models import Version

register = template.Library()


@register.filter
def cell(value: Any, column: Column) -> str:
    """A table cell as the page shows it, in the page's language.

    `value` is whatever the figure's row holds (a date, a number or a text):
    `column.kind` says which.
    """
    if value is None:
        return "–"
    kind = column.kind
    if kind == "month" and isinstance(value, datetime.date):
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if kind == "count":
        return number_text(value)
    if kind == "decimal":
        return number_text(value, 1)
    if kind == "percent":
        return f"{number_text(value)} %"
    if kind == "days":
        return number_text(value)
    return str(value)


@register.inclusion_tag("insights/includes/draft_feedback.html", takes_context=True)
def draft_feedback_panel(context: Context, draft: Version) -> dict[str, Any]:
    """For the draft page of the value base: what the sessions say to its editor."""
    request = context["request"]
    return {
        "feedback": draft_feedback(request.membership, draft),
        "current_organisation": context.get("current_organisation"),
    }
