"""Reflection methods as data: an organisation's methods and their steps."""

from __future__ import annotations

import uuid
from typing import Self

from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, TenantQuerySet
from reflections import builtin

from .base import StepKind


class MethodQuerySet(TenantQuerySet["Method"]):
    def seeded_for(self, organisation: Organisation) -> Self:
        """The organisation's methods, seeded with the built-in ones on first use."""
        if not self.model.objects.filter(organisation=organisation).exists():
            with transaction.atomic(), translation.override(organisation.language):
                for spec in builtin.METHODS:
                    method, created = Method.objects.get_or_create(
                        organisation=organisation,
                        key=spec["key"],
                        defaults={
                            "name": str(spec["name"]),
                            "description": str(spec["description"]),
                        },
                    )
                    if created:
                        MethodStep.objects.bulk_create(
                            MethodStep(
                                method=method,
                                position=position,
                                title=str(title),
                                guidance=str(guidance),
                                kind=kind,
                                minutes=minutes,
                                concludes=position == spec.get("concludes"),
                                person_view=position == spec.get("person_view"),
                            )
                            for position, (title, guidance, kind, minutes) in enumerate(
                                spec["steps"], start=1
                            )
                        )
        return self.for_organisation(organisation)


class Method(models.Model):
    """A reflection method of one organisation: ordered steps with guidance."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reflection_methods"
    )
    # Built-in methods carry their key so seeding stays idempotent.
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("adapted from"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MethodQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("reflection method")
        verbose_name_plural = _("reflection methods")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="reflections_method_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @transaction.atomic
    def copy(self, *, name: str) -> Method:
        """A new method of the same organisation to adapt, with the same steps."""
        method = Method.objects.create(
            organisation=self.organisation,
            key=f"copy-{uuid.uuid4().hex[:12]}",
            name=name,
            description=self.description,
            copied_from=self,
        )
        MethodStep.objects.bulk_create(
            MethodStep(
                method=method,
                position=step.position,
                title=step.title,
                guidance=step.guidance,
                kind=step.kind,
                minutes=step.minutes,
                concludes=step.concludes,
                person_view=step.person_view,
            )
            for step in self.steps.all()
        )
        return method


class MethodStep(models.Model):
    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("step"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    kind = models.CharField(
        _("kind of record"), max_length=20, choices=StepKind.choices
    )
    minutes = models.PositiveSmallIntegerField(
        _("time box in minutes"), null=True, blank=True
    )
    concludes = models.BooleanField(
        _("its notes are the conclusion"),
        default=False,
        help_text=_(
            "The notes of this step are offered as the conclusion at sign-off."
        ),
    )
    person_view = models.BooleanField(
        _("starts from the person's own view"),
        default=False,
        help_text=_(
            "The step shows what the person, their relatives or network and "
            "their representative want, as the case records it, and asks whose "
            "voice is missing, before the professionals' perspectives."
        ),
    )

    class Meta:
        ordering = ["method", "position", "pk"]
        verbose_name = _("method step")
        verbose_name_plural = _("method steps")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
