"""The one way into an organisation's pages.

Every view under /o/<org>/ is wrapped in `member_required`: it resolves the
organisation from the address through the signed-in person's own active
memberships (so another organisation's address answers 404), checks the
capability the view needs (403), applies two-factor policy and activates the
organisation's time zone. The tenant-isolation test walks the URLconf and fails
for any organisation view that is not wrapped.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Membership

if TYPE_CHECKING:
    from .models import Organisation


class OrgRequest(HttpRequest):
    membership: Membership
    organisation: Organisation


def user_has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def _organisation_language(request: HttpRequest, membership: Membership):
    """The organisation's language, for people who have not chosen one."""
    if request.user.language or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return contextlib.nullcontext()
    return translation.override(membership.organisation.language)


def member_required(capability: str = "read") -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, org: str, *args, **kwargs) -> HttpResponse:
            membership = (
                Membership.objects.for_user(request.user)
                .filter(organisation__slug=org)
                .first()
            )
            if membership is None:
                raise Http404
            if membership.needs_mfa and not user_has_totp(request.user):
                messages.warning(
                    request,
                    _(
                        "Your organisation asks people in your role to sign in "
                        "with two factors. Set up an authenticator app to go on."
                    ),
                )
                return redirect("mfa_activate_totp")
            if not membership.can(capability):
                raise PermissionDenied
            request.membership = membership
            request.organisation = membership.organisation
            # For this request only: the thread serves other organisations next.
            with (
                timezone.override(membership.organisation.time_zone),
                _organisation_language(request, membership),
            ):
                return view(request, *args, **kwargs)

        wrapper.required_capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator
