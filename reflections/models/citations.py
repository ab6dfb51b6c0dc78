"""The values and guidelines of the pinned version that a reflection cites."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guidelines.models import Guideline
from values.models import CoreValue

from .base import PartQuerySet, ReflectionPart
from .sessions import Reflection


class Citation(ReflectionPart):
    """A value or guideline of the pinned version that the reflection leans on."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="citations"
    )
    value = models.ForeignKey(
        CoreValue, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guideline = models.ForeignKey(
        Guideline, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PartQuerySet.as_manager()

    class Meta:
        ordering = ["reflection", "pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False, guideline__isnull=True)
                | Q(value__isnull=True, guideline__isnull=False),
                name="reflections_citation_one_target",
            ),
        ]

    def get_reflection(self) -> Reflection:
        return self.reflection

    def __str__(self) -> str:
        return str(self.value or self.guideline)
