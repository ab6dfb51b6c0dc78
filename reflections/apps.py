from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = _("Reflections")

    def ready(self) -> None:
        from . import models  # noqa: F401  (connects the many-to-many guard)
