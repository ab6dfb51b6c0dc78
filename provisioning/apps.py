from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisioningConfig(AppConfig):
    name = "provisioning"
    verbose_name = _("Provisioning from the identity provider")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        from . import signin

        def logged_in(sender: object, user: Any, **kwargs: Any) -> None:
            sociallogin = kwargs.get("sociallogin")
            if sociallogin is not None:
                signin.signed_in(user, sociallogin)

        user_logged_in.connect(logged_in, weak=False, dispatch_uid="provisioning")
