from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Session evaluations")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (the follow-up mail after sign-off)
