"""The parsed value-base file: its items, the format's names and limits, its errors."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from values.models import key_from

FORMAT = "etikrum-value-base"
FORMAT_VERSION = "1"
# Real value bases are a few pages; a megabyte is far beyond any of them and keeps
# a careless upload from tying up a web process.
MAX_BYTES = 1024 * 1024

KINDS = ("section", "legal", "value", "audience", "guideline")
# "## kind key: title"; a heading with nothing after the kind ("## guideline")
# is an item without key or title.
HEADING_RE = re.compile(
    r"^##\s+(?P<kind>[^\s:]+)"
    r"(?:(?:\s+(?P<key>[^\s:]+))?\s*:[ \t]*(?P<rest>.*)|\s*)$"
)
HEADER_FIELD_RE = re.compile(r"^(?P<name>[A-Za-z][A-Za-z-]*)\s*:[ \t]*(?P<value>.*)$")
ITEM_RE = re.compile(
    r"^-(?:\s+(?:\[(?P<key>[^\]\s@]*)(?:\s*@(?P<position>\d+))?\]\s*)?(?P<text>.*))?$"
)
# The example of a guideline starts with a line "Example:" in any of the
# interface languages; export writes it in the organisation's language.
EXAMPLE_MARKERS = {"en": "Example:", "sv": "Exempel:", "da": "Eksempel:"}
EXAMPLE_RE = re.compile(
    r"^(?:example|exempel|eksempel)\s*:[ \t]*(?P<text>.*)$", re.IGNORECASE
)
# A value's easy-read text (shown on the public page) follows its description
# after a line "Easy read:" in any of the interface languages, before its
# commitments; export writes it in the organisation's language.
EASY_READ_MARKERS = {"en": "Easy read:", "sv": "Lättläst:", "da": "Letlæst:"}
EASY_READ_RE = re.compile(
    r"^(?:easy[- ]?read|lättläst|letlæst)\s*:[ \t]*(?P<text>.*)$", re.IGNORECASE
)
# A guideline shown on the public page has the field line "public: yes"; in a
# Word document, a line of its own "Public: yes" in any interface language.
PUBLIC_VALUES = {"yes": True, "true": True, "no": False, "false": False}
PUBLIC_MARKERS = {"en": "Public: yes", "sv": "Offentlig: ja", "da": "Offentlig: ja"}
PUBLIC_RE = re.compile(r"^(?:public|offentlig)\s*:[ \t]*(?:yes|ja)$", re.IGNORECASE)
# Field lines that may follow a block heading, per kind of block.
BLOCK_FIELDS = {
    "section": ("position",),
    "legal": ("position",),
    "value": ("position",),
    "audience": (),
    "guideline": ("audience", "values", "position", "public"),
}
HEADER_FIELDS = (
    "format",
    "title",
    "version",
    "adopted-on",
    "adopted-by",
    "effective-from",
    "summary",
)
# Mirrors the model fields' max_length: SQLite would store longer text silently.
MAX_TITLE = 200
MAX_REFERENCE = 100
MAX_KEY = 80
MAX_AUDIENCE_KEY = 60


class FormatError(Exception):
    """A file that cannot be imported; `errors` lists (line number, message).

    Line 0 means the file as a whole.
    """

    def __init__(self, errors: Iterable[tuple[int, str]]):
        self.errors = sorted(errors, key=lambda error: error[0])
        super().__init__(
            "; ".join(f"line {line}: {message}" for line, message in self.errors)
        )


class Keyed(Protocol):
    """An item of the document with its key and the line it starts on."""

    @property
    def key(self) -> str: ...

    @property
    def line(self) -> int: ...


class Placed(Protocol):
    """An item of the document with its position among its kind."""

    position: int


# The parsed document. `line` fields point back into the file for later checks
# and do not take part in equality.


@dataclass
class SectionItem:
    key: str
    title: str
    body: str
    position: int
    line: int = field(default=0, compare=False)


@dataclass
class LegalItem:
    key: str
    law: str
    reference: str
    text: str
    position: int
    line: int = field(default=0, compare=False)


@dataclass
class CommitmentItem:
    key: str
    text: str
    position: int
    line: int = field(default=0, compare=False)


@dataclass
class ValueItem:
    key: str
    title: str
    description: str
    position: int
    commitments: list[CommitmentItem] = field(default_factory=list)
    line: int = field(default=0, compare=False)
    # In plain words, for the public page; empty when the editor wrote none.
    easy_read: str = ""


@dataclass
class AudienceItem:
    key: str
    name: str
    # The sentence that opens the audience's guidelines ("As staff you shall:").
    lead_in: str = ""
    line: int = field(default=0, compare=False)


@dataclass
class GuidelineItem:
    key: str
    title: str
    audience: str
    values: list[str]
    text: str
    example: str
    position: int
    line: int = field(default=0, compare=False)
    audience_line: int = field(default=0, compare=False)
    values_line: int = field(default=0, compare=False)
    # Shown on the public page; guidelines are internal unless marked.
    public: bool = False


@dataclass
class Document:
    title: str
    number: int | None = None
    adopted_on: datetime.date | None = None
    adopted_by: str = ""
    effective_from: datetime.date | None = None
    summary: str = ""
    sections: list[SectionItem] = field(default_factory=list)
    legal_bases: list[LegalItem] = field(default_factory=list)
    values: list[ValueItem] = field(default_factory=list)
    audiences: list[AudienceItem] = field(default_factory=list)
    guidelines: list[GuidelineItem] = field(default_factory=list)
    # Where each header field was found, for messages about them after parsing.
    header_lines: dict[str, int] = field(default_factory=dict, compare=False)


def clean_text(text: str) -> str:
    """Text as the file keeps it: Unix line ends, no trailing spaces or blank edges."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def marker_text(marker: re.Pattern[str], line: str) -> str | None:
    """The text after a marker line as a document may show it, in italics or
    bold ("*Exempel:* text"), or None if the line is no such marker."""
    shown = line.strip().lstrip("*_")
    match = marker.match(shown) or marker.match(shown.rstrip("*_").rstrip())
    if match is None:
        return None
    text = match.groupdict().get("text") or ""
    return text.lstrip("*_").strip() if text.rstrip("*_").strip() else ""


def is_heading(line: str) -> bool:
    return line == "##" or line.startswith(("## ", "##\t"))


def value_references(document: Document) -> dict[str, ValueItem]:
    """The values by the keys a guideline may name them with: a value's own key,
    or for a value without one the key its title makes ("Makt och ansvar" ->
    makt-och-ansvar)."""
    references = {v.key: v for v in document.values if v.key}
    for value in document.values:
        if not value.key:
            references.setdefault(key_from(value.title), value)
    return references
