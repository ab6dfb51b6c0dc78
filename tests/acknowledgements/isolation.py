"""URL argument factories for tests/test_tenant_isolation.py (confirmations).

Each organisation gets a value base of its own whose version 2 is in force
and asks its members to confirm, with version 1 before it.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from organisations.models import Organisation
from tests.values.helpers import adopt, fill, make_draft
from values.models import ValueBase

NUMBER = 2
VIEWS = [
    "acknowledgements:changes",
    "acknowledgements:acknowledge",
    "acknowledgements:confirmations",
    "acknowledgements:remind",
    "acknowledgements:confirmations_csv",
]


def _base(org: Organisation) -> ValueBase:
    base, created = ValueBase.objects.get_or_create(
        organisation=org,
        slug=f"confirmed-{org.slug}",
        defaults={"name": "Värdegrund att bekräfta"},
    )
    if created:
        first = make_draft(base, 1)
        fill(first)
        adopt(first, datetime.date(2024, 1, 1))
        second = first.start_next_draft(author=None)
        adopt(second, timezone.localdate() - datetime.timedelta(days=3))
    return base


def base_slug(org: Organisation) -> str:
    return _base(org).slug


def number(org: Organisation) -> int:
    _base(org)
    return NUMBER


def factories() -> dict:
    registry = {f"{name}.base": base_slug for name in VIEWS}
    registry.update({f"{name}.number": number for name in VIEWS})
    return registry
