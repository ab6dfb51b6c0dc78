from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from organisations.models import Membership

        from .receivers import end_feeds_of_inactive_members

        post_save.connect(end_feeds_of_inactive_members, sender=Membership)
