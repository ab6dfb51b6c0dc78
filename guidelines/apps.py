from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidelinesConfig(AppConfig):
    name = "guidelines"
    verbose_name = _("Ethical guidelines")

    def ready(self) -> None:
        from . import signals  # noqa: F401
