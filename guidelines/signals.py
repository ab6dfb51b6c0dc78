from __future__ import annotations

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Guideline


@receiver(m2m_changed, sender=Guideline.related_values.through)
def refuse_changes_to_adopted_links(sender, instance, action, **kwargs) -> None:
    """A guideline's links to values are part of the version's text.

    `instance` is the guideline, or the value when changed from the value's side;
    both belong to the same version.
    """
    if action.startswith("pre_"):
        instance.version.check_editable()
