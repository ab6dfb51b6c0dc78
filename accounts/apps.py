from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import User


def _start_session(
    sender: type[Model], request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    from .middleware import remember_organisation_language, speak_their_language
    from .sessions import start

    if request is not None and hasattr(request, "session"):
        start(request, user)
        remember_organisation_language(request, user)
        # The request began in the browser's language; what the rest of it
        # writes (allauth's "signed in" message is stored as text) is in theirs.
        speak_their_language(request, user)


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import auditing
        from .backends import account_changed

        def user_changed(sender: type[Model], instance: User, **kwargs: object) -> None:
            account_changed(instance.pk)

        user_logged_in.connect(_start_session, dispatch_uid="etikrum_session_start")
        auditing.connect()
        for signal in (post_save, post_delete):
            signal.connect(user_changed, sender=self.get_model("User"), weak=False)


class EtikrumAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the two-factor site (accounts.admin_site)."""

    default = False

    default_site = "accounts.admin_site.EtikrumAdminSite"
