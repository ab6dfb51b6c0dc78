"""A real OpenID Connect provider in a process of its own (oidc-provider-mock).

It signs ID tokens with its own key, serves discovery, JWKS, the token and
userinfo endpoints over HTTP, and lets a test set each person's claims; the
product's allauth client talks to it as to Keycloak or Entra ID.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

import httpx2

from tests.redis_server import free_port


class IdentityProvider:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx2.get(f"{self.url}/.well-known/openid-configuration", timeout=1)
                break
            except httpx2.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("The identity provider did not start.") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def set_claims(self, sub: str, **claims: Any) -> None:
        response = httpx2.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def provider_settings(self, provider_id: str = "municipality") -> dict[str, Any]:
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": provider_id,
                        "name": "Norrby sign-in",
                        "client_id": "etikrum",
                        "secret": "test-client-secret",
                        "settings": {"server_url": self.url},
                    }
                ],
            }
        }

    def sign_in(self, client, sub: str, provider_id: str = "municipality"):
        """Signs `sub` in through the product's OIDC login, as a browser would.

        The product sends the browser to the provider; the person (here the
        test) approves there; the provider sends the browser back with a
        code, which the product exchanges at the provider's token endpoint.
        """
        start = client.post(f"/accounts/oidc/{provider_id}/login/")
        assert start.status_code == 302, start.content
        authorize = start["Location"]
        assert authorize.startswith(self.url)
        approved = httpx2.post(authorize, data={"sub": sub}, timeout=10)
        assert approved.status_code == 302, approved.text
        back = urlsplit(approved.headers["Location"])
        return client.get(f"{back.path}?{back.query}", follow=True)
