"""The client's address, for rate limits: X-Forwarded-For only from our proxies.

A request that comes straight from a client carries whatever X-Forwarded-For
the client wrote, so the header counts only when the connection comes from a
configured proxy (`DJANGO_TRUSTED_PROXIES`). Then the client is the nearest
address in the header that is not one of our proxies: each proxy appends the
address it saw, so everything left of that may be made up.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in proxies)


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote: str = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))

    def trusted(address: Address) -> bool:
        return any(address in network for network in networks)

    peer = _address(remote)
    if peer is None or not trusted(peer):
        return remote
    forwarded: list[str] = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(forwarded):
        address = _address(entry)
        if address is None:
            # A malformed hop: nothing left of it can be believed.
            break
        if not trusted(address):
            return str(address)
    return remote
