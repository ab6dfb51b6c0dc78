"""The value base's pages cost the same number of queries for a short or long
document and for few or many versions (whole-page caches cleared first)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.lists import queries_for

from .helpers import adopt, fill, make_base, make_draft
from .test_speed import _grow

MOST_QUERIES = 12
# Above it today, built without their caches; held at the present count so that
# any new query shows. Compare reads both versions whole. Every page asks once
# whether a version adopted ahead is to be announced.
ABOVE = {"in force": 14, "in force, every audience": 14, "version": 14, "compare": 21}


def _value_base(org, slug: str, *, size: int, versions: int):
    """A value base of `versions` adopted versions, each with `size` more items."""
    base = make_base(org, slug=slug)
    version = make_draft(base, 1)
    items = fill(version)
    _grow(version, items["audience"], size)
    adopt(version, datetime.date(2020, 1, 1))
    for number in range(2, versions + 1):
        version = version.start_next_draft(author=None)
        adopt(version, datetime.date(2020 + number, 1, 1))
    return base, version


def _pages(org, base, latest) -> dict[str, str]:
    kwargs = {"org": org.slug, "base": base.slug}
    version = {**kwargs, "number": latest.number}
    return {
        "in force": reverse("values:in_force", kwargs=kwargs),
        "in force, every audience": reverse("values:in_force", kwargs=kwargs)
        + "?audience=all",
        "versions": reverse("values:version_list", kwargs=kwargs),
        "version": reverse("values:version_detail", kwargs=version),
        "value": reverse("values:value_detail", kwargs={**version, "key": "dignity"}),
        "search": reverse("values:search", kwargs=kwargs) + "?q=respekt",
        "compare": reverse("values:compare", kwargs=kwargs),
        "guidelines for me": reverse("guidelines:for_me", kwargs=kwargs)
        + "?audience=all",
        "guideline": reverse(
            "guidelines:detail", kwargs={**version, "key": "respect-clients"}
        ),
        "guideline history": reverse(
            "guidelines:history", kwargs={**kwargs, "key": "respect-clients"}
        ),
    }


def _measure(client, org, base, latest) -> dict[str, int]:
    counts = {}
    for name, url in _pages(org, base, latest).items():
        client.get(url)
        cache.clear()
        counts[name] = queries_for(client, url)
    return counts


@pytest.mark.django_db
def test_value_base_pages_do_not_query_more_for_a_longer_history(client, org, staff):
    client.force_login(staff.user)
    small = _measure(client, org, *_value_base(org, "liten", size=2, versions=2))
    large = _measure(client, org, *_value_base(org, "stor", size=30, versions=5))

    grew = {
        name: (small[name], large[name]) for name in small if small[name] != large[name]
    }
    assert not grew, f"queries (small, large): {grew}"
    over = {n: q for n, q in large.items() if q > ABOVE.get(n, MOST_QUERIES)}
    assert not over, f"more than the limit: {over}"
