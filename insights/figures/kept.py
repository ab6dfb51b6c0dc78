"""The insights' figures kept in the cache, per organisation and period.

What is kept is each table's figures as the database gave them: counts,
means, months, titles and unit ids, the same in every language. The tables,
their words and charts are made from them for each page or export, in its
language, and the units' names come from the units read for the request.

An entry is kept under a key made of the organisation's id, the table, and
all the figures depend on besides the rows: the units in view, the period,
the organisation's today (overdue actions), time zone and evaluation minimum.
It carries the two stamps it was made under (lib/stamps.py), read before the
rows:

- the organisation's *insights stamp*, raised by every write that changes a
  figure (insights/receivers.py): a write in one organisation leaves every
  other organisation's figures in place;
- the organisation's page generation (organisations.pagecache), raised when
  its value base changes: the titles of the values and guidelines cited and
  the value base's name are figures too.

A cache that cannot say what the stamps are (Redis away, core/cache.py) gives
no stamp: the figures are gathered from the database and not kept, so Redis
failing costs the time of the queries and never a page or a write. With a
cache local to each of several processes nothing is kept (stamps.enabled).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.cache import cache

from core.replica import primary_reads
from lib import stamps
from organisations.pagecache import generation_key

if TYPE_CHECKING:
    from .period import Insights

# A day at most: an entry made today is of no use tomorrow (the key has the day).
TIMEOUT = 24 * 3600
# Raised when what is kept changes shape, so that entries of the code before
# are never read by the code after.
SHAPE = 1

# (insights stamp, page generation), and the figures.
Entry = tuple[tuple[int | None, int | None], Any]


def stamp_key(organisation_id: int) -> str:
    return f"insights:stamp:{organisation_id}"


def figures_changed(organisation_id: int | None) -> None:
    """Retire the organisation's kept figures, now and when this commits."""
    if organisation_id is not None:
        stamps.raise_stamp(stamp_key(organisation_id))


def entry_key(period: Insights, table: str) -> str:
    organisation = period.organisation
    made_of = json.dumps(
        [
            SHAPE,
            sorted(period.unit_ids),
            period.start.isoformat(),
            period.end.isoformat(),
            period.today.isoformat(),
            organisation.time_zone,
            organisation.evaluation_minimum,
        ]
    )
    digest = hashlib.sha256(made_of.encode()).hexdigest()[:32]
    # The organisation's id in the clear: no other organisation's key is it.
    return f"insights:figures:{organisation.pk}:{table}:{digest}"


def figures(
    period: Insights, tables: Sequence[str], gather: Callable[[str], Any]
) -> dict[str, Any]:
    """The figures of these tables, kept or gathered (and then kept).

    One round trip to the cache for the stamps and every table asked for.
    """
    if not stamps.enabled():
        return {table: gather(table) for table in tables}
    organisation = period.organisation
    stamp_keys = (stamp_key(organisation.pk), generation_key(organisation.slug))
    keys = {table: entry_key(period, table) for table in tables}
    found = cache.get_many([*stamp_keys, *keys.values()])
    made_under = (
        stamps.current(found, stamp_keys[0]),
        stamps.current(found, stamp_keys[1]),
    )
    keeping = None not in made_under
    result: dict[str, Any] = {}
    missing = []
    for table, key in keys.items():
        entry: Entry | None = found.get(key)
        if keeping and entry is not None and entry[0] == made_under:
            result[table] = entry[1]
        else:
            missing.append(table)
    if not missing:
        return result
    # What is kept for others is made from the primary: figures from a lagging
    # replica would be kept under the stamp of a write they do not show.
    with primary_reads():
        made = {table: gather(table) for table in missing}
    if keeping:
        cache.set_many(
            {keys[table]: (made_under, value) for table, value in made.items()},
            TIMEOUT,
        )
    return {**result, **made}
