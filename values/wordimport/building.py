"""The draft the parts make: a text-format `Document`, or errors at the parts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from guidelines.models import Audience
from values.models import key_from, unique_key
from values.textformat import (
    EASY_READ_RE,
    EXAMPLE_RE,
    MAX_AUDIENCE_KEY,
    MAX_REFERENCE,
    MAX_TITLE,
    PUBLIC_RE,
    AudienceItem,
    CommitmentItem,
    Document,
    GuidelineItem,
    LegalItem,
    SectionItem,
    ValueItem,
    marker_text,
)

from .parts import Part


def build_document(
    title: str, parts: list[Part], audiences: Iterable[Audience]
) -> Document | None:
    """The parts as a document, or None after noting each part's errors in it.

    `audiences` are the organisation's own; an audience part names one of them
    by key, or gets a new audience named after its title.
    """
    builder = _Builder(Document(title=title), {a.key: a for a in audiences})
    for part in parts:
        builder.add(part)
    return builder.document if builder.ok else None


class _Builder:
    def __init__(self, document: Document, existing: dict[str, Audience]) -> None:
        self.document = document
        self.existing = existing
        self.taken = set(existing)
        self.value: ValueItem | None = None
        self.audience: AudienceItem | None = None
        self.ok = True

    def error(self, part: Part, message: str) -> None:
        part.errors.append(message)
        self.ok = False

    def add(self, part: Part) -> None:
        part.errors = []
        title = " ".join(part.title.split())
        text = part.text.strip()
        if part.kind not in ("value", "commitment", "skip"):
            self.value = None  # Commitments follow their value directly.
        if part.kind != "skip" and len(title) > MAX_TITLE:
            self.error(
                part,
                _("The title is too long: at most %(limit)s characters.")
                % {"limit": MAX_TITLE},
            )
        adders = {
            "section": self.section,
            "legal": self.legal,
            "value": self.value_,
            "commitment": self.commitment,
            "audience": self.audience_,
            "guideline": self.guideline,
        }
        if part.kind in adders:
            adders[part.kind](part, title, text)

    def section(self, part: Part, title: str, text: str) -> None:
        if not title:
            self.error(part, _("A section needs a title."))
        if not text:
            self.error(
                part, _("A section needs text; leave it out or choose another kind.")
            )
        sections = self.document.sections
        sections.append(SectionItem("", title, text, len(sections) + 1))

    def legal(self, part: Part, title: str, text: str) -> None:
        law, _bar, reference = title.partition("|")
        if not law.strip():
            self.error(part, _("A legal basis needs the name of the law as its title."))
        if len(reference.strip()) > MAX_REFERENCE:
            self.error(
                part,
                _("The reference is too long: at most %(limit)s characters.")
                % {"limit": MAX_REFERENCE},
            )
        if not text:
            self.error(part, _("A legal basis needs the text of the provision."))
        bases = self.document.legal_bases
        bases.append(
            LegalItem("", law.strip(), reference.strip(), text, len(bases) + 1)
        )

    def value_(self, part: Part, title: str, text: str) -> None:
        if not title:
            self.error(part, _("A value needs a title."))
        values = self.document.values
        description, easy_read = split_at_marker(text, EASY_READ_RE)
        self.value = ValueItem(
            "", title, description, len(values) + 1, easy_read=easy_read
        )
        values.append(self.value)

    def commitment(self, part: Part, title: str, text: str) -> None:
        words = f"{title}\n\n{text}" if title and text else (title or text)
        if self.value is None:
            self.error(
                part,
                _("A commitment belongs to a value: make a part above it a value."),
            )
        elif not words:
            self.error(part, _("A commitment needs text."))
        else:
            commitments = self.value.commitments
            commitments.append(CommitmentItem("", words, len(commitments) + 1))

    def audience_(self, part: Part, title: str, text: str) -> None:
        if not title:
            self.error(part, _("An audience needs a name: write it as the title."))
            return
        if part.audience in self.existing:
            key = part.audience
            name = self.existing[key].name
        else:
            key = unique_key(
                key_from(title)[:MAX_AUDIENCE_KEY] or "audience", self.taken
            )
            self.taken.add(key)
            name = title
        # The text of an audience part is the sentence that opens its guidelines.
        self.audience = AudienceItem(key, name, text)
        self.document.audiences.append(self.audience)

    def guideline(self, part: Part, title: str, text: str) -> None:
        if self.audience is None:
            self.error(
                part,
                _("A guideline is for an audience: make a part above it an audience."),
            )
            return
        text, public = split_public(text)
        body, example = split_at_marker(text, EXAMPLE_RE)
        if not title and not body:
            self.error(part, _("A guideline needs text."))
        guidelines = self.document.guidelines
        guidelines.append(
            GuidelineItem(
                "",
                title if text else "",
                self.audience.key,
                [],
                body if text else title,
                example,
                len(guidelines) + 1,
                public=public,
            )
        )


def split_at_marker(text: str, marker: re.Pattern[str]) -> tuple[str, str]:
    """A text and what follows a marker line in it, such as "Exempel:" before a
    guideline's example or "Lättläst:" before a value's easy-read text."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        first = marker_text(marker, line)
        if first is not None:
            after = "\n".join([first, *lines[index + 1 :]]).strip()
            return "\n".join(lines[:index]).strip(), after
    return text, ""


def split_public(text: str) -> tuple[str, bool]:
    """A guideline's text without its line "Offentlig: ja", and whether it had one."""
    lines = text.split("\n")
    kept = [line for line in lines if marker_text(PUBLIC_RE, line) is None]
    return "\n".join(kept).strip(), len(kept) < len(lines)
