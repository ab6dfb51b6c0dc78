from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from .client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People are invited by their organisation's administrators.
        return False

    def get_client_ip(self, request) -> str:
        # Rate limits count per client: see accounts.client_ip.
        return client_ip(request) or super().get_client_ip(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # An identity provider may only sign in people an admin has added; the
        # account is matched on the verified e-mail address.
        return False
