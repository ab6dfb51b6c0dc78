"""The evaluation offered where a session ends, on the pages of reflections.

Reflections stand below evaluations and import nothing of them: the step page
and the reflection's page include this panel (docs/architecture.md, "Panels").
"""

from __future__ import annotations

from django import template
from django.template.base import Node
from django.template.context import Context
from django.utils import timezone

from evaluations.models import closing_time
from evaluations.questionnaire import ITEMS
from evaluations.waiting import open_to
from organisations.access import OrgRequest
from reflections.models import Reflection

register = template.Library()

type PanelContext = dict[int | str | Node, object]


@register.inclusion_tag("evaluations/includes/offer.html", takes_context=True)
def evaluation_offer(context: Context, reflection: Reflection) -> PanelContext:
    """To each person who took part, while it is open: answer the evaluation,
    or the thanks for having answered. Nothing to anyone else."""
    request: OrgRequest = context["request"]
    answered: bool | None = None
    # Before the session is over there is nothing to ask, and no query.
    over = reflection.is_signed_off or reflection.meeting.end <= timezone.now()
    if over and reflection.erased is None:
        # One query: open, taken part in (the dashboard's own rule), answered.
        answered = (
            open_to(request.membership)
            .filter(pk=reflection.pk)
            # reason: open_to's annotation, which the stubs cannot follow.
            .values_list("answered", flat=True)  # type: ignore[misc]
            .first()
        )
    return {
        **context.flatten(),
        "offer_reflection": reflection,
        "offered": answered is not None,
        "offer_answered": bool(answered),
        "offer_closes": closing_time(reflection),
        "offer_items": len(ITEMS),
    }
