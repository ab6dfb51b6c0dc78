"""An independent SCIM conformance checker (scim2-tester) against the live server.

The checker discovers the service from its own endpoints, then creates, reads,
lists, replaces, patches and deletes Users and Groups over HTTP with
scim2-client, and judges every answer by RFC 7643 and RFC 7644.
"""

from __future__ import annotations

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from .scim import issue

pytestmark = pytest.mark.django_db(transaction=True)

FAILED = (
    {Status.ERROR, Status.CRITICAL} if hasattr(Status, "CRITICAL") else {Status.ERROR}
)


def test_scim2_tester_finds_no_error(live_server, org):
    token = issue(org, "Conformance")
    with httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    ) as http:
        client = SyncSCIMClient(http)
        results = check_server(client)
    failures = [
        f"{r.title}: {r.reason} {r.data or ''}" for r in results if r.status in FAILED
    ]
    assert results
    assert not failures, "\n".join(failures)
