"""Helpers for the SCIM tests: a token and requests that carry it."""

from __future__ import annotations

import json
from typing import Any

from provisioning.models import ScimToken

SCIM = "/scim/v2"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def issue(org, name: str = "Entra ID") -> str:
    return ScimToken.issue(org, name, None)[1]


class Scim:
    """A client that speaks SCIM with one token."""

    def __init__(self, client, token: str):
        self.client = client
        self.token = token

    def _send(self, method: str, path: str, payload: Any = None):
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        if payload is not None:
            kwargs["data"] = json.dumps(payload)
            kwargs["content_type"] = "application/scim+json"
        return getattr(self.client, method)(SCIM + path, **kwargs)

    def get(self, path: str):
        return self._send("get", path)

    def post(self, path: str, payload: Any):
        return self._send("post", path, payload)

    def put(self, path: str, payload: Any):
        return self._send("put", path, payload)

    def patch(self, path: str, payload: Any):
        return self._send("patch", path, payload)

    def delete(self, path: str):
        return self._send("delete", path)


def entra_user(
    user_name: str = "ryan3@norrby.example", external_id: str = "0a21f0f2-8d2a"
) -> dict[str, Any]:
    """A user as Entra ID's provisioning service creates one (its documented body)."""
    return {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "externalId": external_id,
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {
            "formatted": "givenName familyName",
            "familyName": "familyName",
            "givenName": "givenName",
        },
        "roles": [],
    }
