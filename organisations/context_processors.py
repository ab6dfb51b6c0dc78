from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import pagecache
from .navigation import account_urls, organisation_urls


def organisation(request: HttpRequest) -> dict[str, Any]:
    """The current organisation and membership, and the header's addresses.

    The person's own part of the header (name, organisation switcher) comes
    from `{% person_menu %}`, which reads the memberships `member_required`
    already loaded.
    """
    context: dict[str, Any] = {"account_urls": account_urls()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    organisation = getattr(request, "organisation", None)
    context.update(
        current_membership=getattr(request, "membership", None),
        current_organisation=organisation,
        nav=organisation_urls(organisation.slug) if organisation is not None else {},
        **pagecache.context(request),
    )
    return context
