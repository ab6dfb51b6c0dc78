from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.adapters import SocialAccountAdapter as AccountsSocialAccountAdapter

from . import signin


class SocialAccountAdapter(AccountsSocialAccountAdapter):
    """Sign-up stays closed, except where an organisation lets its identity
    provider decide membership and the person's claims match a rule."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return signin.may_join(sociallogin)

    def save_user(
        self, request: HttpRequest, sociallogin: Any, form: Any = None
    ) -> Any:
        # The organisation vouches for its identity provider's addresses: the
        # new account's address counts as proven, as for an existing account
        # the provider signs in (SOCIALACCOUNT_EMAIL_AUTHENTICATION).
        for address in sociallogin.email_addresses:
            address.verified = True
        return super().save_user(request, sociallogin, form)
