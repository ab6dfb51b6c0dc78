"""Load the demo value bases (see demo_content.py); idempotent."""

from __future__ import annotations

from django.db import transaction

from guidelines.models import Audience, Guideline
from organisations.models import Organisation
from values.models import Commitment, CoreValue, LegalBasis, Section, ValueBase, Version

from .demo_content import VALUE_BASES, Changes, GuidelineRow, ValueRow


def _add_values(version: Version, values: list[ValueRow]) -> None:
    start = version.values.count()
    for position, (key, title, description, commitments) in enumerate(
        values, start=start + 1
    ):
        value = CoreValue.objects.create(
            version=version,
            key=key,
            title=title,
            description=description,
            position=position,
        )
        for c_position, (c_key, text) in enumerate(commitments, start=1):
            Commitment.objects.create(
                value=value, key=c_key, text=text, position=c_position
            )


def _add_guidelines(
    version: Version, guidelines: list[GuidelineRow], audiences: dict[str, Audience]
) -> None:
    start = version.guidelines.count()
    for position, (key, audience, title, text, example, value_keys) in enumerate(
        guidelines, start=start + 1
    ):
        guideline = Guideline.objects.create(
            version=version,
            key=key,
            audience=audiences[audience],
            title=title,
            text=text,
            example=example,
            position=position,
        )
        guideline.related_values.set(version.values.filter(key__in=value_keys))


def _apply(version: Version, changes: Changes, audiences: dict[str, Audience]) -> None:
    version.change_summary = changes.get("summary", "")
    version.save(update_fields=["change_summary"])
    for key, (title, body) in changes.get("change_sections", {}).items():
        section = version.sections.get(key=key)
        section.title, section.body = title, body
        section.save()
    for key, (title, description) in changes.get("change_values", {}).items():
        value = version.values.get(key=key)
        value.title, value.description = title, description
        value.save()
    for value_key, commitments in changes.get("add_commitments", {}).items():
        value = version.values.get(key=value_key)
        start = value.commitments.count()
        for position, (key, text) in enumerate(commitments, start=start + 1):
            Commitment.objects.create(
                value=value, key=key, text=text, position=position
            )
    for key, (text, example) in changes.get("change_guidelines", {}).items():
        guideline = version.guidelines.get(key=key)
        guideline.text, guideline.example = text, example
        guideline.save()
    _add_values(version, changes.get("add_values", []))
    _add_guidelines(version, changes.get("add_guidelines", []), audiences)


@transaction.atomic
def load_demo_value_base(organisation: Organisation) -> ValueBase | None:
    """Two adopted versions and a draft; does nothing if the base has versions."""
    if organisation.slug not in VALUE_BASES:
        return None
    slug, first, revisions, draft_changes = VALUE_BASES[organisation.slug]
    base, _ = ValueBase.objects.get_or_create(
        organisation=organisation, slug=slug, defaults={"name": first["title"]}
    )
    if base.versions.exists():
        return base
    audiences = {a.key: a for a in Audience.objects.for_organisation(organisation)}
    version = Version.objects.create(
        value_base=base,
        number=1,
        title=first["title"],
        change_summary=first["summary"],
    )
    for position, (key, title, body) in enumerate(first["sections"], start=1):
        Section.objects.create(
            version=version, key=key, title=title, body=body, position=position
        )
    for position, (key, law, reference, text) in enumerate(first["legal"], start=1):
        LegalBasis.objects.create(
            version=version,
            key=key,
            law=law,
            reference=reference,
            text=text,
            position=position,
        )
    _add_values(version, first["values"])
    _add_guidelines(version, first["guidelines"], audiences)
    # What the public page shows; copied to each later version with the rest.
    for key, text in first.get("easy_read", {}).items():
        version.values.filter(key=key).update(easy_read=text)
    version.guidelines.filter(key__in=first.get("public_guidelines", [])).update(
        public=True
    )
    # The demo's history was adopted before members were asked to confirm
    # their reading; the next version adopted asks, as a new adoption does.
    version.adopt(
        adopted_on=first["adopted_on"],
        adopted_by=first["adopted_by"],
        effective_from=first["effective_from"],
        asks_acknowledgement=False,
    )
    for changes in revisions:
        version = version.start_next_draft(author=None)
        _apply(version, changes, audiences)
        version.adopt(
            adopted_on=changes["adopted_on"],
            adopted_by=changes["adopted_by"],
            effective_from=changes["effective_from"],
            asks_acknowledgement=False,
        )
    draft = version.start_next_draft(author=None)
    _apply(draft, draft_changes, audiences)
    return base
