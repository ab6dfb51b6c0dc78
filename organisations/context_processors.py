from __future__ import annotations

from django.http import HttpRequest

from .models import Membership


def organisation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_membership": getattr(request, "membership", None),
        "current_organisation": getattr(request, "organisation", None),
        # Lazy: only pages that show the organisation switcher run the query.
        "my_memberships": lambda: list(Membership.objects.for_user(user)),
    }
