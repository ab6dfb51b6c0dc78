from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def attr_value(obj, name: str):
    """The value of a model field for display; related sets become a list."""
    value = getattr(obj, name, "")
    if hasattr(value, "all"):
        return ", ".join(str(v) for v in value.all())
    return value
