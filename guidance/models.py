from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership


class Dismissal(models.Model):
    """A member has put away the first-visit panel of their role.

    Kept per membership, not per person: someone who is staff in one
    organisation and facilitator in another is new to each.
    """

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="guidance_dismissal"
    )
    created = models.DateTimeField(_("dismissed"), auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("dismissed first visit")
        verbose_name_plural = _("dismissed first visits")

    def __str__(self) -> str:
        return str(self.membership)
