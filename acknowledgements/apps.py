from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcknowledgementsConfig(AppConfig):
    name = "acknowledgements"
    verbose_name = _("Confirmations of reading")
