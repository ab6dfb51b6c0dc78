from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top floor: pages that gather from many apps, and the demo loader.

    Nothing below imports this app (docs/architecture.md).
    """

    name = "home"
    verbose_name = _("Home")
