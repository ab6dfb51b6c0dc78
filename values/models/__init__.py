"""The value base: a legal-style document adopted on a date and never rewritten.

A ValueBase has numbered Versions. A version is a *draft* while editors work on
it, then *adopted* (on a date, by a body, effective from a date), and finally
*superseded* when a later version is adopted. Adopted and superseded versions,
and everything in them, are immutable: model saves and deletes, QuerySet
updates and deletes, the admin and the forms all refuse, and on PostgreSQL
database triggers refuse too (see migration 0002).

Items keep a stable `key` across versions so that versions can be compared and
a guideline's history followed.

The models live in modules by topic: `versions` (the value base, its versions and
their adoption), `content` (what a version holds), `errors` (what refuses a change
to history) and `keys`. This package re-exports them: import from `values.models`.
"""

from __future__ import annotations

from .content import (
    Commitment,
    CommitmentQuerySet,
    ContentQuerySet,
    CoreValue,
    LegalBasis,
    Section,
    SectionQuerySet,
    VersionContent,
)
from .errors import (
    AdoptionError,
    CitedElsewhereError,
    CitingReflection,
    ImmutableVersionError,
    RetroactiveWithoutReasonError,
)
from .keys import KEY_BASE_LENGTH, PLAIN_KEY_RE, TRANSLITERATION, key_from, unique_key
from .versions import (
    Coming,
    ValueBase,
    ValueBaseQuerySet,
    Version,
    VersionQuerySet,
    content_copied,
)

__all__ = [
    "KEY_BASE_LENGTH",
    "PLAIN_KEY_RE",
    "TRANSLITERATION",
    "AdoptionError",
    "CitedElsewhereError",
    "CitingReflection",
    "Coming",
    "Commitment",
    "CommitmentQuerySet",
    "ContentQuerySet",
    "CoreValue",
    "ImmutableVersionError",
    "LegalBasis",
    "RetroactiveWithoutReasonError",
    "Section",
    "SectionQuerySet",
    "ValueBase",
    "ValueBaseQuerySet",
    "Version",
    "VersionContent",
    "VersionQuerySet",
    "content_copied",
    "key_from",
    "unique_key",
]
