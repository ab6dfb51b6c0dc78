"""Stamps in the shared cache, raised when what a kept entry was made of changes.

An entry keeps the stamp it was made under, read *before* the rows it was made
from; a reader serves it only while the stamp is unchanged. A change raises
the stamp at once and again when its transaction commits, so that an entry
made from the old rows in the meantime is never served either.

This holds only if every web process sees the same cache (Redis). With a cache
local to each process and several processes, a change in one would go unseen
in the others: everything kept by stamp stays off then (see etikrum.W002).
"""

from __future__ import annotations

import functools
import os
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


@functools.cache
def _shared(backend: str, processes: str) -> bool:
    if "dummy" in backend.lower():
        return False
    local = "locmem" in backend.lower() or "filebased" in backend.lower()
    try:
        several = int(processes) > 1
    except ValueError:
        several = False
    return not (local and several)


def enabled() -> bool:
    return _shared(
        str(settings.CACHES["default"]["BACKEND"]),
        os.environ.get("WEB_CONCURRENCY", "1"),
    )


def _raise(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        # Never set, or evicted: any new number retires what was kept under it.
        cache.set(key, secrets.randbits(48), None)


def raise_stamp(key: str) -> None:
    """Now, for the rest of this transaction, and once more when it commits."""
    _raise(key)
    transaction.on_commit(functools.partial(_raise, key))


def current(found: dict[str, int | None], key: str) -> int | None:
    """The stamp under `key`, from the values of a `get_many`, set if missing.

    None when the cache cannot say (Redis is away, core/cache.py): nothing may
    be kept or served under it then, since a change made meanwhile could not
    raise it.
    """
    stamp = found.get(key)
    if stamp is None:
        cache.add(key, secrets.randbits(48), None)
        stamp = cache.get(key)
    return stamp
