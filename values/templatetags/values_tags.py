from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from lib.markdown import to_html
from values.compare import Entry
from values.compare import render_diff as _render_diff

register = template.Library()


@register.filter
def attr_value(obj: object, name: str) -> object:
    """The value of a model field for display; related sets become a list."""
    value = getattr(obj, name, "")
    if hasattr(value, "all"):
        return ", ".join(str(v) for v in value.all())
    return value


@register.filter
def markdown(text: str) -> SafeString:
    """A value-base text with its formatting: emphasis, lists and links."""
    # Safe: lib.markdown sanitises the parser's output down to a few tags.
    return mark_safe(to_html(text))  # noqa: S308


@register.filter
def render_diff(diff: list[tuple[str, str]]) -> SafeString:
    """A word diff as escaped HTML with <ins> and <del>."""
    return _render_diff(diff)


@register.filter
def unchanged_entries(entries: Iterable[Entry]) -> list[Entry]:
    return [entry for entry in entries if entry.status == "unchanged"]
