"""What a version holds: sections, legal bases, core values and commitments.

Keyed, ordered, and as fixed as the version they are in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.locking import LockedRowsQuerySet
from lib.markdown import to_plain

from .errors import ImmutableVersionError
from .keys import key_from, unique_key
from .versions import Version

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable


class ContentQuerySet[C: VersionContent](LockedRowsQuerySet[C]):
    """Refuses bulk changes that would touch an adopted version."""

    lock_error = ImmutableVersionError
    lock_message = "Content of adopted versions is fixed."
    version_path = "version"

    def locked(self) -> Self:
        return self.exclude(**{f"{self.version_path}__status": Version.Status.DRAFT})

    def bulk_create(self, objs: Iterable[C], *args: Any, **kwargs: Any) -> list[C]:
        for obj in objs:
            obj.get_version().check_editable()
        return super().bulk_create(objs, *args, **kwargs)


class VersionContent(models.Model):
    """Shared behaviour of everything inside a version: keyed, ordered, immutable."""

    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Raised on every save; an edit form sends the revision it started from so a
    # second editor saving over the first gets a conflict instead of a silent loss.
    revision = models.PositiveIntegerField(default=1, editable=False)

    if TYPE_CHECKING:
        # Every concrete model but Commitment sits directly in a version;
        # Commitment overrides get_version and siblings.
        version: models.ForeignKey[Version | Combinable, Version]
        version_id: int

    class Meta:
        abstract = True

    def get_version(self) -> Version:
        return self.version

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.get_version().check_editable()
        if not self.key:
            self.key = self.make_key()
        if self.pk is not None:
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.get_version().check_editable()
        return super().delete(*args, **kwargs)

    def key_source(self) -> str:
        return ""

    def siblings(self) -> models.QuerySet[VersionContent]:
        """The items among which this one's key must be unique."""
        return type(self)._default_manager.filter(Q(version_id=self.version_id))

    def make_key(self) -> str:
        base = key_from(self.key_source()) or str(self._meta.model_name)
        return unique_key(base, set(self.siblings().values_list("key", flat=True)))


class SectionQuerySet[C: VersionContent](ContentQuerySet[C]):
    pass


class Section(VersionContent):
    """Free text: background, who we are here for, what a value base is."""

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"))

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="values_section_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def key_source(self) -> str:
        return self.title


class LegalBasis(VersionContent):
    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="legal_bases"
    )
    law = models.CharField(_("law"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    text = models.TextField(_("text"))

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="values_legal_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law} {self.reference}".strip()

    def key_source(self) -> str:
        return f"{self.law} {self.reference}"


class CoreValue(VersionContent):
    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="values"
    )
    title = models.CharField(_("value"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Shown on the public page beside the value, for readers who want the value
    # in plain words; part of the version like the rest of its text.
    easy_read = models.TextField(_("easy-read text"), blank=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("core value")
        verbose_name_plural = _("core values")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="values_value_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def key_source(self) -> str:
        return self.title


class CommitmentQuerySet(ContentQuerySet["Commitment"]):
    version_path = "value__version"


class Commitment(VersionContent):
    """A concrete promise under a core value ("we listen before we decide")."""

    value = models.ForeignKey(
        CoreValue, on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.TextField(_("commitment"))

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["value", "position", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["value", "key"], name="values_commitment_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_version(self) -> Version:
        return self.value.version

    def siblings(self) -> models.QuerySet[VersionContent]:
        return Commitment.objects.filter(value_id=self.value_id)

    def key_source(self) -> str:
        return " ".join(to_plain(self.text).split()[:5])
