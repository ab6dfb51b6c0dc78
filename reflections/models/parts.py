"""What a step records besides its notes: perspectives, options, positions."""

from __future__ import annotations

from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership
from values.models import CoreValue

from .base import StepPart, StepPartQuerySet
from .steps import ReflectionStep


class Perspective(StepPart):
    """A row of the perspectives table: a party, their values and norms."""

    step = models.ForeignKey(
        ReflectionStep, on_delete=models.CASCADE, related_name="perspectives"
    )
    party = models.CharField(_("party"), max_length=200)
    values = models.ManyToManyField(
        CoreValue, blank=True, related_name="+", verbose_name=_("values at stake")
    )
    norms = models.TextField(_("norms (we should ...)"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = StepPartQuerySet.as_manager()

    class Meta:
        ordering = ["step", "created", "pk"]
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")

    def __str__(self) -> str:
        return self.party


@receiver(m2m_changed, sender=Perspective.values.through)
def _perspective_values_fixed(
    sender: type[models.Model], instance: models.Model, action: str, **kwargs: object
) -> None:
    if action.startswith("pre_") and isinstance(instance, Perspective):
        instance.get_reflection().check_open()


class Option(StepPart):
    step = models.ForeignKey(
        ReflectionStep, on_delete=models.CASCADE, related_name="options"
    )
    text = models.CharField(_("option"), max_length=500)
    created = models.DateTimeField(auto_now_add=True)

    objects = StepPartQuerySet.as_manager()

    class Meta:
        ordering = ["step", "created", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text[:60]


class Position(StepPart):
    """One participant's own written position, private until revealed."""

    step = models.ForeignKey(
        ReflectionStep, on_delete=models.CASCADE, related_name="positions"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("your position"))
    changed = models.DateTimeField(auto_now=True)

    objects = StepPartQuerySet.as_manager()

    class Meta:
        ordering = ["step", "changed", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "membership"], name="reflections_one_position_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.step}"
