"""Template helpers every page may use (loaded as builtins, see settings)."""

from __future__ import annotations

from django import template
from django.forms import BaseForm

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
