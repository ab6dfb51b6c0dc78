"""Template helpers every page may use (loaded as builtins, see settings)."""

from __future__ import annotations

from django import template
from django.forms import BaseForm
from django.utils.translation import gettext_lazy as _

from lib import zones
from lib.readability import Band, measure

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms: BaseForm | None) -> dict[str, list[tuple[str, str]]]:
    """Every error of the given forms, each linking to its field (GOV.UK pattern)."""
    errors: list[tuple[str, str]] = []
    for form in forms:
        if not form or not getattr(form, "is_bound", False) or not form.errors:
            continue
        prefix = form.prefix or "form"
        for message in form.non_field_errors():
            errors.append((f"{prefix}-errors", str(message)))
        for field in form:
            if field.is_hidden:
                continue
            for message in field.errors:
                anchor = field.id_for_label or f"{field.auto_id}_fieldset"
                errors.append((anchor, str(message)))
    return {"errors": errors}


# What each LIX band means, in the reader's language (lib/readability.py).
READABILITY_BANDS = {
    Band.VERY_EASY: _("very easy"),
    Band.EASY: _("easy"),
    Band.MEDIUM: _("medium"),
    Band.HARD: _("hard"),
    Band.VERY_HARD: _("very hard"),
    Band.EXTREMELY_HARD: _("hardest, like legal or academic prose"),
}
# An easy-read text should stay below this LIX; above it the box says how.
EASY_READ_LIMIT = 30


@register.inclusion_tag("includes/readability.html")
def readability(text: str | None, field_id: str = "") -> dict[str, object]:
    """How easy `text` is to read: LIX and its band, sentence and word length."""
    found = measure(text or "")
    return {
        "field_id": field_id,
        "measured": found,
        "lix": round(found.lix),
        "band": READABILITY_BANDS[found.band],
        "hard": not found.is_empty and found.lix >= EASY_READ_LIMIT,
        "limit": EASY_READ_LIMIT,
    }


@register.filter
def zone_name(key: str) -> str:
    """A time zone's IANA key as the page's language names it in a sentence."""
    return zones.zone_name(key)
