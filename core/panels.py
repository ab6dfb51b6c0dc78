"""Panels: what a page of a lower app shows of a higher one, gathered by its view.

A view of `meetings` may not import `reflections` (docs/architecture.md), yet a
group's page shows the group's dilemmas, open actions and running sessions. The
higher app registers a gatherer for the page in its `AppConfig.ready`; the view
calls `gather`, which runs the gatherers registered for that page and returns
what they found for the page's context. Templates then only format what they
are given: no query runs while a page renders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.http import HttpRequest

type Gatherer = Callable[..., Mapping[str, object]]

_gatherers: dict[str, list[Gatherer]] = {}


def register(page: str, gatherer: Gatherer) -> None:
    """Adds what `gatherer` finds to the context of `page` (a view's name)."""
    found = _gatherers.setdefault(page, [])
    if gatherer not in found:
        found.append(gatherer)


def gather(page: str, request: HttpRequest, **objects: object) -> dict[str, object]:
    """What the gatherers registered for `page` find for this request."""
    context: dict[str, object] = {}
    for gatherer in _gatherers.get(page, ()):
        context.update(gatherer(request, **objects))
    return context
