from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from . import access, pagecache
        from .models import Membership, Organisation, Unit

        def organisation_changed(sender, instance, **kwargs) -> None:
            # Name, language and time zone show on every kept page, and the
            # organisation is part of everyone's kept memberships.
            pagecache.organisation_changed(instance.slug)
            access.organisations_changed()

        def unit_changed(sender, instance, **kwargs) -> None:
            access.organisations_changed()

        def membership_changed(sender, instance, **kwargs) -> None:
            access.memberships_changed(instance.user_id)

        def person_changed(sender, instance, **kwargs) -> None:
            access.memberships_changed(instance.pk)

        for signal in (post_save, post_delete):
            signal.connect(organisation_changed, sender=Organisation, weak=False)
            signal.connect(unit_changed, sender=Unit, weak=False)
            signal.connect(membership_changed, sender=Membership, weak=False)
            signal.connect(person_changed, sender=settings.AUTH_USER_MODEL, weak=False)
