"""URL argument factories for tests/test_tenant_isolation.py (the directory page)."""

from __future__ import annotations

from typing import Any

from organisations.models import Organisation
from provisioning.models import IdentityMapping, ScimToken


def _token_uuid(org: Organisation) -> Any:
    token = ScimToken.objects.for_organisation(org).in_use().first()
    if token is None:
        token = ScimToken.issue(org, f"Directory of {org.slug}", None)[0]
    return token.uuid


def _mapping_id(org: Organisation) -> int:
    mapping, _ = IdentityMapping.objects.get_or_create(
        organisation=org, source="group", value=f"group-{org.slug}", role="staff"
    )
    return mapping.pk


def factories() -> dict[str, Any]:
    return {"token_uuid": _token_uuid, "mapping_id": _mapping_id}
