from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuesConfig(AppConfig):
    name = "values"
    verbose_name = _("Value base")

    def ready(self) -> None:
        from . import signals  # noqa: F401
