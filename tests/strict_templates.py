"""Templates fail loudly under test: a missing variable in our own templates raises.

Django renders a variable it cannot resolve as the engine's `string_if_invalid`,
an empty string in production, so a typo or a missing attribute silently shows
nothing (or "None"). Under test the engine gets an `UndefinedVariable` marker
instead: when Django asks it to stand in for a variable of one of our templates,
it raises, so the test (and, for the live server, the browser test) fails with
the template and the variable in the message.

Templates of installed libraries (allauth's among them) keep Django's quiet
behaviour: their authors rely on it and we cannot change them.
`{% if %}`, `{% for %}` and `{% firstof %}` never consult the marker: a variable
that may be missing belongs there, not behind `|default`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType

from django.conf import settings
from django.template.base import Template

PROJECT = Path(settings.BASE_DIR).resolve()
VENV_PARTS = {"site-packages", "dist-packages"}


class UndefinedTemplateVariable(Exception):
    """A template of ours asked for a variable that does not exist."""


def rendering_template(frame: FrameType | None) -> Template | None:
    """The innermost template being rendered on the stack above `frame`."""
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, Template) and frame.f_code.co_name in {
            "render",
            "_render",
        }:
            return candidate
        frame = frame.f_back
    return None


def is_ours(template: Template | None) -> bool:
    """Whether `template` is a file of this project (or a string made in a test)."""
    if template is None or template.origin is None:
        return True
    name = template.origin.name
    if not name or name == "<unknown source>":
        return True
    path = Path(name).resolve()
    return path.is_relative_to(PROJECT) and not VENV_PARTS & set(path.parts)


class UndefinedVariable(str):
    """`string_if_invalid` under test: raises for our templates, '' for others."""

    def __new__(cls) -> UndefinedVariable:
        # Non-empty, so that Django uses it; "%s" in it, so that Django formats it
        # with the variable's name and `__mod__` learns which variable it was.
        return super().__new__(cls, "%s")

    def __mod__(self, variable: object) -> str:
        template = rendering_template(sys._getframe(1))
        if not is_ours(template):
            return ""
        where = template.origin.name if template and template.origin else "a template"
        raise UndefinedTemplateVariable(
            f"Undefined template variable '{variable}' in {where}"
        )


def make_strict() -> None:
    """Put the marker into the template engine's options and rebuild the engines."""
    from django.test.signals import reset_template_engines

    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = UndefinedVariable()
    # Engines built before this point keep their options: build them again.
    reset_template_engines(setting="TEMPLATES")
