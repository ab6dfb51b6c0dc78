"""Saving: a parsed Document as a new draft, keys matched to the previous version."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Protocol, TypedDict

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from guidelines.models import Audience, Guideline, LeadIn
from lib.markdown import first_words, to_plain
from organisations.models import Organisation
from values.models import (
    Commitment,
    CoreValue,
    LegalBasis,
    Section,
    ValueBase,
    Version,
    VersionContent,
    key_from,
    unique_key,
)

from .document import Document, FormatError, ValueItem, value_references
from .parse import parse

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def import_draft(*, value_base: ValueBase, text: str, author: User | None) -> Version:
    """Save a file as a new draft of the value base; nothing is saved on error."""
    document = parse(text, organisation=value_base.organisation)
    return save_draft(value_base=value_base, document=document, author=author)


@transaction.atomic
def save_draft(
    *, value_base: ValueBase, document: Document, author: User | None
) -> Version:
    """Save a checked document as a new draft; items without a key get the key
    of the same item in the latest version (see match_keys)."""
    _refuse_a_second_draft(value_base)
    # Guidelines may name a value without a key by the key its title makes;
    # found before match_keys() gives that value its lasting key.
    references = value_references(document)
    linked = [[references[key] for key in item.values] for item in document.guidelines]
    match_keys(document, value_base.latest_adopted())
    number = (value_base.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = Version.objects.create(
        value_base=value_base,
        number=number,
        title=document.title,
        change_summary=document.summary,
        author=author,
    )
    _save_sections(version, document)
    values = _save_values(version, document)
    audiences = _audiences(value_base.organisation, document)
    _save_lead_ins(version, document, audiences)
    _save_guidelines(version, document, audiences, values, linked)
    return version


def _refuse_a_second_draft(value_base: ValueBase) -> None:
    """A FormatError when the value base has a draft already."""
    # Locking the value base makes a concurrent import or "start a draft" wait here
    # instead of failing on the one-draft constraint half-way through.
    ValueBase.objects.select_for_update().filter(pk=value_base.pk).first()
    if value_base.versions.filter(status=Version.Status.DRAFT).exists():
        raise FormatError(
            [
                (
                    0,
                    _(
                        "This value base already has a draft. Adopt or discard "
                        "it before importing a new one."
                    ),
                )
            ]
        )


def _save_sections(version: Version, document: Document) -> None:
    """The sections and the legal bases."""
    for section in document.sections:
        Section(
            version=version,
            key=section.key,
            title=section.title,
            body=section.body,
            position=section.position,
        ).save()
    for basis in document.legal_bases:
        LegalBasis(
            version=version,
            key=basis.key,
            law=basis.law,
            reference=basis.reference,
            text=basis.text,
            position=basis.position,
        ).save()


def _save_values(version: Version, document: Document) -> dict[int, CoreValue]:
    """The values with their commitments; the saved values by their items' ids."""
    values: dict[int, CoreValue] = {}
    for value_item in document.values:
        value = CoreValue(
            version=version,
            key=value_item.key,
            title=value_item.title,
            description=value_item.description,
            easy_read=value_item.easy_read,
            position=value_item.position,
        )
        value.save()
        values[id(value_item)] = value
        for entry in value_item.commitments:
            Commitment(
                value=value, key=entry.key, text=entry.text, position=entry.position
            ).save()
    return values


def _save_lead_ins(
    version: Version, document: Document, audiences: dict[str, Audience]
) -> None:
    for audience in document.audiences:
        if audience.lead_in:
            LeadIn(
                version=version,
                key=audience.key,
                audience=audiences[audience.key],
                text=audience.lead_in,
            ).save()


def _save_guidelines(
    version: Version,
    document: Document,
    audiences: dict[str, Audience],
    values: dict[int, CoreValue],
    linked: list[list[ValueItem]],
) -> None:
    """The guidelines, each linked to the values it names (`linked`, in order)."""
    for item, targets in zip(document.guidelines, linked, strict=True):
        guideline = Guideline(
            version=version,
            key=item.key,
            audience=audiences[item.audience],
            title=item.title,
            text=item.text,
            example=item.example,
            position=item.position,
            public=item.public,
        )
        guideline.save()
        guideline.related_values.set([values[id(target)] for target in targets])
        item.values = [target.key for target in targets]


def _audiences(organisation: Organisation, document: Document) -> dict[str, Audience]:
    """The organisation's audiences by key, adding those only the file defines."""
    existing = {a.key: a for a in Audience.objects.filter(organisation=organisation)}
    last = max((a.position for a in existing.values()), default=0)
    for item in document.audiences:
        if item.key not in existing:
            last += 1
            existing[item.key] = Audience.objects.create(
                organisation=organisation, key=item.key, name=item.name, position=last
            )
    return existing


# Keys for items that came without one

# Texts at least this similar are one commitment or untitled guideline, edited.
SIMILAR = 0.6
WORD_RE = re.compile(r"\w+")


def _normal(text: str) -> str:
    return " ".join(to_plain(text).casefold().split())


class _Previous(TypedDict):
    """The items of the version before, by kind."""

    section: list[Section]
    legal: list[LegalBasis]
    value: list[CoreValue]
    guideline: list[Guideline]


class _Unkeyed(Protocol):
    """An item of the document, which may still lack its key."""

    key: str


def match_keys(document: Document, previous: Version | None) -> None:
    """Give every item without a key one, so that comparing versions shows what
    really changed.

    An item takes the key of the item of the same kind in `previous` with the same
    title (sections, legal bases, values, titled guidelines) or the same or a
    very similar text (commitments, untitled guidelines). Items found nowhere
    get a key made from their title ("Självbestämmande" -> "sjalvbestammande")
    that no item of `previous` has, so that a new item is never taken for an
    old one.
    """
    old: _Previous = {"section": [], "legal": [], "value": [], "guideline": []}
    if previous is not None:
        old = {
            "section": list(previous.sections.all()),
            "legal": list(previous.legal_bases.all()),
            "value": list(previous.values.prefetch_related("commitments")),
            "guideline": list(previous.guidelines.all()),
        }
    _match(document.sections, old["section"], lambda i: i.title, lambda i: i.title)
    _match(
        document.legal_bases,
        old["legal"],
        lambda i: f"{i.law} {i.reference}",
        lambda i: f"{i.law} {i.reference}",
    )
    _match(document.values, old["value"], lambda i: i.title, lambda i: i.title)
    old_values = {value.key: value for value in old["value"]}
    for value in document.values:
        before = old_values.get(value.key)
        _match(
            value.commitments,
            list(before.commitments.all()) if before is not None else [],
            lambda i: i.text,
            lambda i: i.text,
            similar=True,
        )
    # Titled guidelines are found by title, untitled ones by their text; a new
    # key is never one that any guideline of either kind had.
    old_keys = {g.key for g in old["guideline"]}
    explicit = {g.key for g in document.guidelines if g.key}
    titled = [g for g in document.guidelines if g.title]
    _match(
        titled,
        [g for g in old["guideline"] if g.title],
        lambda i: i.title,
        lambda i: i.title,
        explicit=explicit,
        reserved=old_keys,
    )
    _match(
        [g for g in document.guidelines if not g.title],
        [g for g in old["guideline"] if not g.title],
        lambda i: i.text,
        lambda i: i.text,
        similar=True,
        explicit=explicit | {g.key for g in titled},
        reserved=old_keys,
    )


def _match[I: _Unkeyed, O: VersionContent](
    items: Sequence[I],
    old_items: Sequence[O],
    new_text: Callable[[I], str],
    old_text: Callable[[O], str],
    *,
    similar: bool = False,
    explicit: AbstractSet[str] = frozenset(),
    reserved: AbstractSet[str] = frozenset(),
) -> None:
    """Keys for `items` without one: see match_keys().

    `explicit`: keys that other items already hold, so not to be matched again;
    `reserved`: keys a new item must not take.
    """
    used = {item.key for item in items if item.key} | explicit
    free = [o for o in old_items if o.key not in used]
    by_text: dict[str, list[O]] = {}
    for candidate in free:
        by_text.setdefault(_normal(old_text(candidate)), []).append(candidate)
    unmatched: list[I] = []
    for item in items:
        if item.key:
            continue
        same = by_text.get(_normal(new_text(item)))
        if same:
            found = same.pop(0)
            item.key = found.key
            free.remove(found)
        else:
            unmatched.append(item)
    if similar:
        for item in unmatched[:]:
            words = WORD_RE.findall(_normal(new_text(item)))
            best: O | None = None
            best_ratio = SIMILAR
            for candidate in free:
                ratio = difflib.SequenceMatcher(
                    a=words,
                    b=WORD_RE.findall(_normal(old_text(candidate))),
                    autojunk=False,
                ).ratio()
                if ratio >= best_ratio:
                    best, best_ratio = candidate, ratio
            if best is not None:
                item.key = best.key
                free.remove(best)
                unmatched.remove(item)
    taken = used | reserved | {o.key for o in old_items}
    taken |= {item.key for item in items if item.key}
    for item in unmatched:
        base = key_from(first_words(new_text(item), 6).rstrip("…")) or "item"
        item.key = unique_key(base, taken)
        taken.add(item.key)
