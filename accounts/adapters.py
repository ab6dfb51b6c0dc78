from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError

from . import auditing
from .client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People are invited by their organisation's administrators.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # The rate limit refuses before the password is even checked.
            auditing.locked_out(request, credentials)
            raise

    def authentication_failed(self, request, **credentials) -> None:
        auditing.password_failed(request, credentials)

    def get_client_ip(self, request) -> str:
        # Rate limits count per client: see accounts.client_ip.
        return client_ip(request) or super().get_client_ip(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # An identity provider may only sign in people an admin has added; the
        # account is matched on the verified e-mail address.
        return False
