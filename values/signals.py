"""Every change of a version or its content retires the organisation's kept pages.

See organisations/pagecache.py. Adopted content never changes, so in practice
these are drafts being edited, adopted or discarded.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from organisations import pagecache

from .models import (
    Commitment,
    CoreValue,
    LegalBasis,
    Section,
    ValueBase,
    Version,
    VersionContent,
)


def organisation_of_version(version_id: int) -> int | None:
    return (
        Version.objects.filter(pk=version_id)
        .values_list("value_base__organisation_id", flat=True)
        .first()
    )


def content_changed(instance: VersionContent) -> None:
    """`instance` is an item of a version (a section, a guideline...)."""
    version: Version | None = None
    if type(instance).version.is_cached(instance):
        version = instance.version
    if version is not None and Version.value_base.is_cached(version):
        pagecache.changed(version.value_base.organisation_id)
    elif instance.version_id is not None:
        pagecache.changed(organisation_of_version(instance.version_id))


@receiver(post_save, sender=ValueBase)
@receiver(post_delete, sender=ValueBase)
def value_base_changed(
    sender: type[models.Model], instance: ValueBase, **kwargs: object
) -> None:
    pagecache.changed(instance.organisation_id)


@receiver(post_save, sender=Version)
@receiver(post_delete, sender=Version)
def version_changed(
    sender: type[models.Model], instance: Version, **kwargs: object
) -> None:
    organisation_id: int | None
    try:
        organisation_id = instance.value_base.organisation_id
    except ObjectDoesNotExist:
        organisation_id = organisation_of_version(instance.pk)
    pagecache.changed(organisation_id)


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
@receiver(post_save, sender=LegalBasis)
@receiver(post_delete, sender=LegalBasis)
@receiver(post_save, sender=CoreValue)
@receiver(post_delete, sender=CoreValue)
def item_changed(
    sender: type[models.Model],
    instance: Section | LegalBasis | CoreValue,
    **kwargs: object,
) -> None:
    content_changed(instance)


@receiver(post_save, sender=Commitment)
@receiver(post_delete, sender=Commitment)
def commitment_changed(
    sender: type[models.Model], instance: Commitment, **kwargs: object
) -> None:
    if Commitment.value.is_cached(instance):
        content_changed(instance.value)
        return
    version_id = (
        CoreValue.objects.filter(pk=instance.value_id)
        .values_list("version_id", flat=True)
        .first()
    )
    if version_id is not None:
        pagecache.changed(organisation_of_version(version_id))
