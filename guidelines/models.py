from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, TenantQuerySet
from values.models import ContentQuerySet, CoreValue, Version, VersionContent


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


class GuidelineQuerySet(ContentQuerySet):
    def for_audiences(self, audiences):
        return self.filter(audience__in=audiences)


class Guideline(VersionContent):
    """An ethical guideline for one audience, tied to the values it serves."""

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="guidelines"
    )
    audience = models.ForeignKey(
        Audience,
        on_delete=models.PROTECT,
        related_name="guidelines",
        verbose_name=_("audience"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("guideline"))
    example = models.TextField(_("example"), blank=True)
    related_values = models.ManyToManyField(
        CoreValue,
        blank=True,
        related_name="guidelines",
        verbose_name=_("related values"),
    )

    objects = GuidelineQuerySet.as_manager()

    class Meta:
        ordering = ["version", "audience__position", "position", "pk"]
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="guidelines_guideline_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def key_source(self) -> str:
        return self.title
