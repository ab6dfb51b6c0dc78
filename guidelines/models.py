from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, TenantQuerySet


class Audience(models.Model):
    """Who a guideline speaks to, e.g. staff meeting clients, or managers.

    Defined per organisation; members belong to one or more audiences.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audiences"
    )
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("guideline audience")
        verbose_name_plural = _("guideline audiences")
        constraints = [
            # The key is how versions of the value base refer to an audience.
            models.UniqueConstraint(
                fields=["organisation", "key"], name="guidelines_audience_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name
