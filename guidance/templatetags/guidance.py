"""Links from the pages that use the glossary's words to their entries.

They only format: the terms and guides are data in code, no query is run.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from guidance.glossary import BY_SLUG, terms_in
from guidance.guides import guide_for

register = template.Library()


def _glossary_url(context: template.Context) -> str:
    org = context["current_organisation"].slug
    return reverse("guidance:glossary", kwargs={"org": org})


@register.simple_tag(takes_context=True)
def term(context: template.Context, slug: str, label: str = "") -> str:
    """A word linked to its glossary entry: {% term "value-conflict" %}."""
    entry = BY_SLUG[slug]
    return format_html(
        '<a class="term" href="{}#{}">{}</a>',
        _glossary_url(context),
        slug,
        label or entry.name,
    )


@register.inclusion_tag("guidance/includes/glossary_links.html", takes_context=True)
def glossary_links(context: template.Context, text: str) -> dict[str, Any]:
    """The glossary's words that a text (a step's title) uses, as links."""
    url = _glossary_url(context)
    return {"links": [(f"{url}#{t.slug}", t.name) for t in terms_in(text)]}


@register.inclusion_tag("guidance/includes/guide_link.html", takes_context=True)
def method_guide_link(
    context: template.Context, key: str = "", name: str = ""
) -> dict[str, Any]:
    """A link to the guide of a built-in method, found by its key or its name."""
    guide = guide_for(key, name)
    if guide is None:
        return {"url": ""}
    org = context["current_organisation"].slug
    return {
        "url": reverse("guidance:method_guide", kwargs={"org": org, "key": guide.key}),
        "name": guide.name,
    }
