from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.markdown import first_words
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


class GuidelineQuerySet(ContentQuerySet["Guideline"]):
    def for_audiences(self, audiences: Iterable[Audience]) -> Self:
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
    # Many real guidelines are one sentence in a list, with no title of their own.
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("guideline"))
    example = models.TextField(_("example"), blank=True)
    # Guidelines are internal unless an editor marks one for the public page.
    public = models.BooleanField(_("show on the public page"), default=False)
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
        return self.title or first_words(self.text) or self.key

    def key_source(self) -> str:
        return self.title or first_words(self.text, 6).rstrip("…")


class LeadIn(VersionContent):
    """The sentence that opens an audience's guidelines in one version.

    "As staff meeting clients you shall:" belongs to the text of the version,
    so it is kept here rather than on the audience, which every version shares.
    """

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="lead_ins"
    )
    audience = models.ForeignKey(
        Audience,
        on_delete=models.PROTECT,
        related_name="lead_ins",
        verbose_name=_("audience"),
    )
    text = models.TextField(_("lead-in"))

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "audience__position", "audience__name", "pk"]
        verbose_name = _("lead-in")
        verbose_name_plural = _("lead-ins")
        constraints = [
            # One opening sentence per audience and version.
            models.UniqueConstraint(
                fields=["version", "audience"],
                name="guidelines_leadin_one_per_audience",
            ),
            models.UniqueConstraint(
                fields=["version", "key"], name="guidelines_leadin_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return str(self.audience)

    def key_source(self) -> str:
        return self.audience.key


def by_audience(
    guidelines: Iterable[Guideline], lead_ins: Iterable[LeadIn]
) -> list[tuple[Audience, LeadIn | None, list[Guideline]]]:
    """Guidelines under their audiences, each with its lead-in, in document order.

    Audiences come in the order of their first guideline; one with only a
    lead-in comes after them.
    """
    openings = {lead_in.audience_id: lead_in for lead_in in lead_ins}
    grouped: dict[int, tuple[Audience, LeadIn | None, list[Guideline]]] = {}
    for guideline in guidelines:
        grouped.setdefault(
            guideline.audience_id,
            (guideline.audience, openings.get(guideline.audience_id), []),
        )[2].append(guideline)
    for audience_id, lead_in in openings.items():
        grouped.setdefault(audience_id, (lead_in.audience, lead_in, []))
    return list(grouped.values())
