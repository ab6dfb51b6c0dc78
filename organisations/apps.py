from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import Model


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import access, pagecache
        from .models import Membership, Organisation, Unit

        def organisation_changed(
            sender: type[Organisation], instance: Organisation, **kwargs: object
        ) -> None:
            # Name, language and time zone show on every kept page, and the
            # organisation is part of everyone's kept memberships.
            pagecache.organisation_changed(instance.slug)
            access.organisations_changed()

        def unit_changed(sender: type[Unit], instance: Unit, **kwargs: object) -> None:
            access.organisations_changed()

        def membership_changed(
            sender: type[Membership], instance: Membership, **kwargs: object
        ) -> None:
            access.memberships_changed(instance.user_id)

        def person_changed(
            sender: type[Model], instance: Model, **kwargs: object
        ) -> None:
            access.memberships_changed(instance.pk)

        def audiences_changed(
            sender: type[Model],
            instance: Model,
            action: str,
            pk_set: set[int] | None,
            **kwargs: object,
        ) -> None:
            if not action.startswith("post_"):
                return
            if isinstance(instance, Membership):
                access.memberships_changed(instance.user_id)
            else:  # From the audience's side: any of these memberships.
                users = Membership.objects.filter(pk__in=pk_set or ())
                for user_id in users.values_list("user_id", flat=True):
                    access.memberships_changed(user_id)
                if action == "post_clear":
                    access.organisations_changed()

        for signal in (post_save, post_delete):
            signal.connect(organisation_changed, sender=Organisation, weak=False)
            signal.connect(unit_changed, sender=Unit, weak=False)
            signal.connect(membership_changed, sender=Membership, weak=False)
            signal.connect(person_changed, sender=settings.AUTH_USER_MODEL, weak=False)
        m2m_changed.connect(
            audiences_changed, sender=Membership.audiences.through, weak=False
        )
