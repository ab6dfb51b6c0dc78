from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import pagecache
        from .models import Organisation

        def settings_changed(sender, instance, **kwargs) -> None:
            # Name, language and time zone show on every kept page.
            pagecache.changed(instance.pk)

        post_save.connect(settings_changed, sender=Organisation, weak=False)
        post_delete.connect(settings_changed, sender=Organisation, weak=False)
