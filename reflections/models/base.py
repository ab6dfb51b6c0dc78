"""What every part of a reflection shares: fixed once the reflection is signed off."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.locking import LockedRowsQuerySet
from reflections import builtin

if TYPE_CHECKING:
    from .sessions import Reflection
    from .steps import ReflectionStep


class LockedReflectionError(Exception):
    """Raised on any attempt to change a signed-off reflection."""


class StepKind(models.TextChoices):
    TEXT = builtin.TEXT, _("Free text")
    PERSPECTIVES = builtin.PERSPECTIVES, _("Perspectives: parties, values, norms")
    OPTIONS = builtin.OPTIONS, _("List of options")
    POSITIONS = builtin.POSITIONS, _("Individual positions, revealed together")
    AGREEMENTS = builtin.AGREEMENTS, _("Agreements and actions")


class PartQuerySet[P: ReflectionPart](LockedRowsQuerySet[P]):
    """Refuses bulk changes that would touch a signed-off reflection."""

    lock_error = LockedReflectionError
    lock_message = "This reflection is signed off."
    reflection_path = "reflection"

    def locked(self) -> Self:
        return self.filter(**{f"{self.reflection_path}__status": "signed_off"})

    def bulk_create(self, objs: Iterable[P], *args: Any, **kwargs: Any) -> list[P]:
        objs = list(objs)
        for obj in objs:
            obj.get_reflection().check_open()
        return super().bulk_create(objs, *args, **kwargs)


class ReflectionPart(models.Model):
    """Shared behaviour of everything recorded in a reflection: fixed at sign-off."""

    class Meta:
        abstract = True

    def get_reflection(self) -> Reflection:
        """The reflection this part belongs to (through its step, for some).

        Each concrete part says how it reaches its reflection; the abstract
        base has none to give.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must say how it reaches its reflection."
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.get_reflection().check_open()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.get_reflection().check_open()
        return super().delete(*args, **kwargs)


class StepPartQuerySet[P: StepPart](PartQuerySet[P]):
    reflection_path = "step__reflection"


class StepPart(ReflectionPart):
    # Each kind of step part has its foreign key to the step.
    step: models.ForeignKey[ReflectionStep]

    class Meta:
        abstract = True

    def get_reflection(self) -> Reflection:
        return self.step.reflection
