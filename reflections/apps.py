from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = _("Reflections")

    def ready(self) -> None:
        from core import panels as pages

        from . import (
            models,  # noqa: F401  (connects the many-to-many guard)
            panels,
        )

        # What the group's and the meeting's pages show of the reflections.
        pages.register("meetings:group_detail", panels.group_page)
        pages.register("meetings:meeting_detail", panels.meeting_page)
