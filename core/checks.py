from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def check_site_url(app_configs, **kwargs) -> list[Warning]:
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
