from __future__ import annotations

from django.db import models
from django.db.models.signals import ModelSignal, m2m_changed, post_delete, post_save
from django.dispatch import receiver

from organisations import pagecache
from organisations.access import organisations_changed
from values.models import CoreValue, Version, content_copied
from values.signals import content_changed

from .models import Audience, Guideline, LeadIn


@receiver(m2m_changed, sender=Guideline.related_values.through)
def refuse_changes_to_adopted_links(
    sender: type[models.Model],
    instance: Guideline | CoreValue,
    action: str,
    **kwargs: object,
) -> None:
    """A guideline's links to values are part of the version's text.

    `instance` is the guideline, or the value when changed from the value's side;
    both belong to the same version.
    """
    if action.startswith("pre_"):
        instance.version.check_editable()


@receiver(content_copied, sender=Version)
def copy_guidelines_and_lead_ins(
    sender: type[Version],
    source: Version,
    target: Version,
    values: dict[int, CoreValue],
    **kwargs: object,
) -> None:
    """A new draft gets the copied version's guidelines, linked to its own values,
    and its lead-ins: each kind in one statement (Version.copy_content_from
    retires the kept pages once when it is done)."""
    originals = list(source.guidelines.prefetch_related("related_values"))
    copies = Guideline.objects.bulk_create(
        [
            Guideline(
                version=target,
                key=guideline.key,
                audience_id=guideline.audience_id,
                title=guideline.title,
                text=guideline.text,
                example=guideline.example,
                public=guideline.public,
                position=guideline.position,
            )
            for guideline in originals
        ]
    )
    links = Guideline.related_values.through
    links.objects.bulk_create(
        [
            links(guideline_id=copy.pk, corevalue_id=values[value.pk].pk)
            for guideline, copy in zip(originals, copies, strict=True)
            for value in guideline.related_values.all()
        ]
    )
    LeadIn.objects.bulk_create(
        [
            LeadIn(
                version=target,
                key=lead_in.key,
                audience_id=lead_in.audience_id,
                text=lead_in.text,
                position=lead_in.position,
            )
            for lead_in in source.lead_ins.all()
        ]
    )


@receiver(post_save, sender=Guideline)
@receiver(post_delete, sender=Guideline)
@receiver(post_save, sender=LeadIn)
@receiver(post_delete, sender=LeadIn)
def guideline_changed(
    sender: type[models.Model], instance: Guideline | LeadIn, **kwargs: object
) -> None:
    """Kept pages of the value base show the guidelines (organisations.pagecache)."""
    content_changed(instance)


@receiver(m2m_changed, sender=Guideline.related_values.through)
def guideline_links_changed(
    sender: type[models.Model],
    instance: Guideline | CoreValue,
    action: str,
    **kwargs: object,
) -> None:
    if action.startswith("post_"):
        content_changed(instance)


@receiver(post_save, sender=Audience)
@receiver(post_delete, sender=Audience)
def audience_changed(
    sender: type[Audience], instance: Audience, signal: ModelSignal, **kwargs: object
) -> None:
    pagecache.changed(instance.organisation_id)
    if signal is post_delete:
        # Kept memberships come with their audiences (organisations.access).
        organisations_changed()
