"""Small query expressions more than one app's lists use."""

from __future__ import annotations

from django.db.models import Count, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet[Model], key: str) -> Coalesce:
    """An annotation: how many of `rows` point at the outer row through `key`.

    A correlated subquery rather than Count over a join: a page of rows then
    counts for that page only, several counts do not multiply each other's
    rows, and no DISTINCT is needed.
    """
    return Coalesce(
        Subquery(
            rows.filter(**{key: OuterRef("pk")})
            .order_by()
            .values(key)
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )
