from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from . import auditing
from .client_ip import client_ip


# allauth ships no type information, so its adapters are untyped to the checker.
class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People are invited by their organisation's administrators.
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: str) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # The rate limit refuses before the password is even checked.
            auditing.locked_out(request, credentials)
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: str) -> None:
        auditing.password_failed(request, credentials)

    def get_client_ip(self, request: HttpRequest) -> str:
        # Rate limits count per client: see accounts.client_ip.
        ip: str = client_ip(request) or super().get_client_ip(request)
        return ip


# Untyped to the checker for the same reason (allauth ships no types).
class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        # An identity provider may only sign in people an admin has added; the
        # account is matched on the verified e-mail address.
        return False
