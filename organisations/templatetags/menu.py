"""The signed-in person's menu on every page (loaded as a builtin, see settings)."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from organisations.pagecache import person_menu as kept_person_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def person_menu(context: Context) -> SafeString:
    """The signed-in person's organisation switcher and account menu."""
    return kept_person_menu(context["request"], context.get("csrf_token", ""))
