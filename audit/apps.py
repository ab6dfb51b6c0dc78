from __future__ import annotations

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _tighten(sender: AppConfig, using: str, **kwargs: object) -> None:
    from .roles import tighten_append_only_tables

    tighten_append_only_tables(connections[using])


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)

        # After every migrate: the audit tables stay append-only for the
        # application's role whatever default privileges gave it.
        post_migrate.connect(_tighten, sender=self, dispatch_uid="audit_tighten")
