from __future__ import annotations

import ipaddress
import os
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Warning, register


@register(deploy=True)
def check_site_url(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[Warning]:
    """Links in e-mails and calendar files are built from SITE_URL, not a request."""
    url = urlsplit(settings.SITE_URL)
    if url.scheme == "https" and url.hostname not in {"127.0.0.1", "localhost", "::1"}:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}; links in invitations, password "
            "e-mails and calendar files would point there.",
            hint="Set SITE_URL to the public https:// address of the site.",
            id="etikrum.W001",
        )
    ]


@register()
def check_shared_cache(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[Warning]:
    """Rate limits live in the cache: each process would count on its own."""
    try:
        processes = int(os.environ.get("WEB_CONCURRENCY", "1"))
    except ValueError:
        processes = 1
    backend = settings.CACHES["default"]["BACKEND"]
    if processes <= 1 or "redis" in backend.lower():
        return []
    warnings = [
        Warning(
            f"WEB_CONCURRENCY is {processes} but the cache is local to each "
            "process: sign-in rate limits would count per process, letting an "
            "attacker try that many times more passwords.",
            hint="Set REDIS_URL so that every web process shares one cache.",
            id="etikrum.W002",
        )
    ]
    if settings.SESSION_ENGINE.endswith(("cached_db", "cache")):
        warnings.append(
            Warning(
                f"WEB_CONCURRENCY is {processes} and sessions are kept in a cache "
                "local to each process: a sign-out through one process would "
                "leave the person signed in through the others.",
                hint="Set REDIS_URL, or DJANGO_SESSION_STORE=db.",
                id="etikrum.W003",
            )
        )
    return warnings


@register()
def check_trusted_proxies(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[Error]:
    errors: list[Error] = []
    for entry in settings.TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"DJANGO_TRUSTED_PROXIES has {entry!r}, which is not an "
                    "address or a network.",
                    hint="Give addresses or networks such as 10.0.0.5 or 10.0.0.0/24.",
                    id="etikrum.E001",
                )
            )
    return errors
