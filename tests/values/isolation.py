"""URL argument factories for tests/test_tenant_isolation.py (value base pages).

Each organisation gets one value base with an adopted version 1 and a draft 2,
created on first use; the same objects answer every argument of one address.
"""

from __future__ import annotations

import datetime

from organisations.models import Organisation
from values.models import ValueBase, Version

from .helpers import adopt, fill, make_draft

READ_NUMBER = 1
DRAFT_NUMBER = 2
DRAFT_VIEWS = [
    "values:draft_edit",
    "values:draft_details",
    "values:item_add",
    "values:item_edit",
    "values:item_delete",
    "values:item_move",
    "values:adopt",
    "values:discard",
]


def _base(org: Organisation) -> ValueBase:
    base, created = ValueBase.objects.get_or_create(
        organisation=org,
        slug=f"values-{org.slug}",
        defaults={"name": "Isolation value base"},
    )
    if created:
        first = make_draft(base, READ_NUMBER)
        fill(first)
        adopt(first, datetime.date(2024, 1, 1))
        first.start_next_draft(author=None)
    return base


def base_slug(org: Organisation) -> str:
    return _base(org).slug


def read_number(org: Organisation) -> int:
    _base(org)
    return READ_NUMBER


def draft_number(org: Organisation) -> int:
    _base(org)
    return DRAFT_NUMBER


def value_key(org: Organisation) -> str:
    _base(org)
    return "dignity"


def guideline_key(org: Organisation) -> str:
    _base(org)
    return "respect-clients"


def kind(org: Organisation) -> str:
    return "value"


def draft_value_id(org: Organisation) -> int:
    draft = Version.objects.get(value_base=_base(org), number=DRAFT_NUMBER)
    return draft.values.get(key="dignity").pk


def factories() -> dict:
    registry = {
        "base": base_slug,
        "number": read_number,
        "key": value_key,
        "kind": kind,
        "item_id": draft_value_id,
        "guidelines:detail.key": guideline_key,
        "guidelines:history.key": guideline_key,
    }
    registry.update({f"{name}.number": draft_number for name in DRAFT_VIEWS})
    return registry
