"""One version of a value base as a plain-text file, and back.

The format is Markdown with a small front-matter header; docs/value-base-format.md
describes it for the people who write such files by hand. In short:

    ---
    format: etikrum-value-base 1
    title: Vår värdegrund
    ---

    ## section background: Bakgrund
    ## legal sol-1-1: Socialtjänstlagen | 1 kap. 1 §
    ## value dignity: Människors lika värde      (commitments: "- [key] text")
    ## audience clients: I mötet med brukare
    ## guideline respect: Bemötande              (audience:, values:, Example:)

`export_version()` writes a version, `parse()` reads a file into a `Document`
(collecting every error it can, each with its line number) and `import_draft()`
saves a parsed file as a new draft. `render(parse(export_version(v)))` gives the
exported text back unchanged, so export followed by import reproduces a version.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from guidelines.models import Audience, Guideline, LeadIn
from lib.markdown import first_words, to_plain
from organisations.models import Organisation

from .models import (
    Commitment,
    CoreValue,
    LegalBasis,
    Section,
    ValueBase,
    Version,
    key_from,
    unique_key,
)

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
# Field lines that may follow a block heading, per kind of block.
BLOCK_FIELDS = {
    "section": ("position",),
    "legal": ("position",),
    "value": ("position",),
    "audience": (),
    "guideline": ("audience", "values", "position"),
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


# Export


def document_from_version(version: Version) -> Document:
    """The content of a version as a Document, in a constant number of queries."""
    values = list(version.values.prefetch_related("commitments"))
    guidelines = list(
        version.guidelines.select_related("audience").prefetch_related("related_values")
    )
    lead_ins = {
        lead_in.audience_id: lead_in
        for lead_in in version.lead_ins.select_related("audience")
    }
    audiences: dict[int, Audience] = {}
    for item in [*guidelines, *lead_ins.values()]:
        audiences.setdefault(item.audience_id, item.audience)
    return Document(
        title=version.title,
        number=version.number,
        adopted_on=version.adopted_on,
        adopted_by=version.adopted_by,
        effective_from=version.effective_from,
        summary=version.change_summary,
        sections=[
            SectionItem(s.key, s.title, s.body, s.position)
            for s in version.sections.all()
        ],
        legal_bases=[
            LegalItem(b.key, b.law, b.reference, b.text, b.position)
            for b in version.legal_bases.all()
        ],
        values=[
            ValueItem(
                v.key,
                v.title,
                v.description,
                v.position,
                [
                    CommitmentItem(c.key, c.text, c.position)
                    for c in v.commitments.all()
                ],
            )
            for v in values
        ],
        audiences=[
            AudienceItem(a.key, a.name, lead_ins[a.pk].text if a.pk in lead_ins else "")
            for a in sorted(audiences.values(), key=lambda a: (a.position, a.name))
        ],
        guidelines=[
            GuidelineItem(
                g.key,
                g.title,
                g.audience.key,
                [v.key for v in sorted(g.related_values.all(), key=_value_order)],
                g.text,
                g.example,
                g.position,
            )
            for g in guidelines
        ],
    )


def _value_order(value: CoreValue) -> tuple[int, int]:
    return (value.position, value.pk)


def export_version(version: Version) -> str:
    language = version.value_base.organisation.language
    return render(document_from_version(version), language=language)


def render(document: Document, *, language: str = "en") -> str:
    """The file text of a document; the inverse of parse()."""
    out = ["---", f"format: {FORMAT} {FORMAT_VERSION}", f"title: {document.title}"]
    if document.number is not None:
        out.append(f"version: {document.number}")
    if document.adopted_on is not None:
        out.append(f"adopted-on: {document.adopted_on.isoformat()}")
    if document.adopted_by:
        out.append(f"adopted-by: {_one_line(document.adopted_by)}")
    if document.effective_from is not None:
        out.append(f"effective-from: {document.effective_from.isoformat()}")
    summary = _clean_text(document.summary).strip()
    if "\n" in summary:
        out.append("summary:")
        out.extend(f"  {line}" if line else "" for line in summary.split("\n"))
    elif summary:
        out.append(f"summary: {summary}")
    out.append("---")

    def block(
        kind: str, key: str, heading: str, fields: list[str], text: list[str]
    ) -> None:
        out.append("")
        out.append(
            f"## {kind} {key}: {heading}".rstrip()
            if key
            else f"## {kind}: {heading}".rstrip()
        )
        out.extend(fields)
        if text:
            out.append("")
            out.extend(text)

    numbering = _Numbering()
    for section in document.sections:
        block(
            "section",
            section.key,
            _one_line(section.title),
            numbering.fields(section.position),
            _text_lines(section.body, BLOCK_FIELDS["section"]),
        )
    numbering = _Numbering()
    for basis in document.legal_bases:
        heading = _one_line(basis.law)
        if basis.reference:
            heading += f" | {_one_line(basis.reference)}"
        block(
            "legal",
            basis.key,
            heading,
            numbering.fields(basis.position),
            _text_lines(basis.text, BLOCK_FIELDS["legal"]),
        )
    numbering = _Numbering()
    for value in document.values:
        text = _text_lines(value.description, BLOCK_FIELDS["value"], items=True)
        commitment_numbering = _Numbering()
        if value.commitments and text:
            text.append("")
        for commitment in value.commitments:
            text.extend(_item_lines(commitment, commitment_numbering))
        block(
            "value",
            value.key,
            _one_line(value.title),
            numbering.fields(value.position),
            text,
        )
    for audience in document.audiences:
        block(
            "audience",
            audience.key,
            _one_line(audience.name),
            [],
            _text_lines(audience.lead_in, BLOCK_FIELDS["audience"]),
        )
    numbering = _Numbering()
    for guideline in document.guidelines:
        fields = [f"audience: {guideline.audience}"]
        if guideline.values:
            fields.append(f"values: {', '.join(guideline.values)}")
        fields.extend(numbering.fields(guideline.position))
        text = _text_lines(
            guideline.text, BLOCK_FIELDS["guideline"], example_marker=True
        )
        example = _clean_text(guideline.example)
        if example:
            if text:
                text.append("")
            text.append(EXAMPLE_MARKERS.get(language, EXAMPLE_MARKERS["en"]))
            text.extend(_escape(line) for line in example.split("\n"))
        block("guideline", guideline.key, _one_line(guideline.title), fields, text)
    return "\n".join(out) + "\n"


class _Numbering:
    """Positions are written only where counting 1, 2, 3... would get them wrong."""

    def __init__(self) -> None:
        self.expected = 1

    def fields(self, position: int) -> list[str]:
        lines = [] if position == self.expected else [f"position: {position}"]
        self.expected = position + 1
        return lines

    def marker(self, position: int) -> str:
        marker = "" if position == self.expected else f" @{position}"
        self.expected = position + 1
        return marker


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clean_text(text: str) -> str:
    """Text as the file keeps it: Unix line ends, no trailing spaces or blank edges."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _escape(line: str) -> str:
    return "\\" + line if line.startswith("\\") or _is_heading(line) else line


def _is_heading(line: str) -> bool:
    return line == "##" or line.startswith(("## ", "##\t"))


def _is_field(line: str, names: Iterable[str]) -> bool:
    match = HEADER_FIELD_RE.match(line)
    return bool(match) and match["name"].lower() in names


def _text_lines(
    text: str,
    field_names: tuple[str, ...],
    *,
    items: bool = False,
    example_marker: bool = False,
) -> list[str]:
    """Lines of a block's text, with a backslash before any the parser would misread."""
    text = _clean_text(text)
    if not text:
        return []
    lines = []
    for index, line in enumerate(text.split("\n")):
        if (
            line.startswith("\\")
            or _is_heading(line)
            or (index == 0 and _is_field(line, field_names))
            or (items and ITEM_RE.match(line))
            or (example_marker and EXAMPLE_RE.match(line))
        ):
            line = "\\" + line
        lines.append(line)
    return lines


def _item_lines(commitment: CommitmentItem, numbering: _Numbering) -> list[str]:
    first, *rest = _clean_text(commitment.text).lstrip().split("\n")
    marker = numbering.marker(commitment.position)
    prefix = f"- [{commitment.key}{marker}] " if commitment.key or marker else "- "
    # Without a bracket, a text starting with "[" would read as one.
    if first.startswith("\\") or (prefix == "- " and first.startswith("[")):
        first = "\\" + first
    return [prefix + first] + [f"  {line}" if line else "" for line in rest]


# Parsing


def decode(data: bytes) -> str:
    """The text of an uploaded file, or a FormatError saying what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise FormatError([(0, _too_large())])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(
            [(line, _("This line is not UTF-8 text. Save the file as UTF-8."))]
        ) from None


def _too_large() -> str:
    return _("The file is too large (at most %(size)s MB).") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def parse_bytes(data: bytes, *, organisation: Organisation | None = None) -> Document:
    return parse(decode(data), organisation=organisation)


def parse(text: str, *, organisation: Organisation | None = None) -> Document:
    """Read a file; with an organisation, also check audiences against its own."""
    if len(text) > MAX_BYTES:
        raise FormatError([(0, _too_large())])
    parser = _Parser(text)
    document = parser.parse()
    if organisation is not None:
        parser.errors.extend(_audience_errors(document, organisation))
    if parser.errors:
        raise FormatError(parser.errors)
    return document


def validate(document: Document, *, organisation: Organisation) -> None:
    """Raise FormatError if guidelines name audiences the organisation lacks."""
    errors = _audience_errors(document, organisation)
    if errors:
        raise FormatError(errors)


def _audience_errors(
    document: Document, organisation: Organisation
) -> list[tuple[int, str]]:
    defined = {a.key for a in document.audiences}
    wanted = {g.audience for g in document.guidelines if g.audience} - defined
    if not wanted:
        return []
    existing = set(
        Audience.objects.filter(organisation=organisation, key__in=wanted).values_list(
            "key", flat=True
        )
    )
    return [
        (
            g.audience_line,
            _(
                "The audience “%(key)s” is neither defined in this file "
                "(## audience %(key)s: name) nor in the organisation."
            )
            % {"key": g.audience},
        )
        for g in document.guidelines
        if g.audience in wanted - existing
    ]


class _Parser:
    def __init__(self, text: str):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if self.lines and self.lines[0].startswith("\ufeff"):
            self.lines[0] = self.lines[0][1:]
        self.errors: list[tuple[int, str]] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    def parse(self) -> Document:
        for number, line in enumerate(self.lines, start=1):
            if "\x00" in line:
                # PostgreSQL refuses NUL in text; say so here rather than fail later.
                self.error(number, _("This line contains a NUL character."))
        document, start = self.parse_header()
        self.parse_blocks(document, start)
        self.check_references(document)
        return document

    # The header

    def parse_header(self) -> tuple[Document, int]:
        document = Document(title="")
        index = 0
        while index < len(self.lines) and not self.lines[index].strip():
            index += 1
        if index == len(self.lines) or self.lines[index].strip() != "---":
            self.error(
                index + 1 if index < len(self.lines) else 1,
                _(
                    "The file must start with a header between two lines of "
                    "“---”, beginning with “format: %(format)s”."
                )
                % {"format": f"{FORMAT} {FORMAT_VERSION}"},
            )
            return document, index
        opening = index + 1
        values: dict[str, list[str]] = {}
        lines: dict[str, int] = {}
        current: str | None = None
        index += 1
        closed = False
        while index < len(self.lines):
            line = self.lines[index]
            number = index + 1
            index += 1
            if line.rstrip() == "---":  # Indented, it belongs to the summary.
                closed = True
                break
            if not line.strip() or line[0] in " \t":
                if current is None:
                    if line.strip():
                        self.error(number, _("Indented line without a header field."))
                elif current != "summary" and line.strip():
                    self.error(
                        number, _("Only the summary may run over several lines.")
                    )
                else:
                    # Two spaces mark a continuation; further indentation is text.
                    line = line[2:] if line.startswith("  ") else line.lstrip()
                    values[current].append(line.rstrip())
                continue
            match = HEADER_FIELD_RE.match(line)
            if match is None:
                self.error(number, _("Expected a header field such as “title: …”."))
                current = None
                continue
            name = match["name"].lower()
            if name not in HEADER_FIELDS:
                self.error(
                    number,
                    _("Unknown header field “%(name)s”. Known fields: %(known)s.")
                    % {"name": match["name"], "known": ", ".join(HEADER_FIELDS)},
                )
                current = None
                continue
            if name in values:
                self.error(
                    number,
                    _("The header field “%(name)s” is given twice.") % {"name": name},
                )
            values[name] = [match["value"].rstrip()] if match["value"].strip() else []
            lines[name] = number
            current = name
        if not closed:
            self.error(
                opening, _("The header is not closed: end it with a line “---”.")
            )
            return document, len(self.lines)
        document.header_lines = lines
        self.read_header(document, values, lines, opening)
        return document, index

    def read_header(
        self,
        document: Document,
        values: dict[str, list[str]],
        lines: dict[str, int],
        opening: int,
    ) -> None:
        def single(name: str) -> str:
            return " ".join(values.get(name, [])).strip()

        format_value = single("format")
        expected = f"{FORMAT} {FORMAT_VERSION}"
        if "format" not in values:
            self.error(
                opening,
                _("The header must say “format: %(format)s”.") % {"format": expected},
            )
        elif " ".join(format_value.split()) != expected:
            self.error(
                lines["format"],
                _("Unknown format “%(value)s”; this file must be “%(format)s”.")
                % {"value": format_value, "format": expected},
            )
        document.title = single("title")
        if not document.title:
            self.error(lines.get("title", opening), _("The header must give a title."))
        elif len(document.title) > MAX_TITLE:
            self.error(lines["title"], _too_long(MAX_TITLE))
        if "version" in values:
            number = single("version")
            if number.isascii() and number.isdigit() and int(number) > 0:
                document.number = int(number)
            else:
                self.error(
                    lines["version"],
                    _("The version must be a whole number such as 3."),
                )
        for name, attribute in (
            ("adopted-on", "adopted_on"),
            ("effective-from", "effective_from"),
        ):
            if name in values:
                try:
                    day = datetime.date.fromisoformat(single(name))
                except ValueError:
                    self.error(
                        lines[name],
                        _(
                            "“%(value)s” is not a date; write it as "
                            "year-month-day, e.g. 2025-01-31."
                        )
                        % {"value": single(name)},
                    )
                else:
                    setattr(document, attribute, day)
        document.adopted_by = single("adopted-by")
        if len(document.adopted_by) > MAX_TITLE:
            self.error(lines["adopted-by"], _too_long(MAX_TITLE))
        document.summary = "\n".join(values.get("summary", [])).strip("\n")

    # The blocks

    def parse_blocks(self, document: Document, start: int) -> None:
        block: tuple[int, re.Match[str]] | None = None
        body: list[tuple[int, str]] = []
        # Text before the first heading is reported once; text under a rejected
        # heading is not reported again.
        outside_reported = False
        rejected = False
        for index in range(start, len(self.lines)):
            number, line = index + 1, self.lines[index]
            if not _is_heading(line.rstrip() or line):
                if block is not None:
                    body.append((number, line))
                elif line.strip() and not rejected and not outside_reported:
                    outside_reported = True
                    self.error(
                        number,
                        _(
                            "Text outside a block. Start a block with a heading "
                            "such as “## section background: Background”."
                        ),
                    )
                continue
            if block is not None:
                self.read_block(document, *block, body)
            block, body, rejected = None, [], True
            match = HEADING_RE.match(line.rstrip())
            if match is None:
                self.error(
                    number,
                    _(
                        "A block heading reads “## kind key: title”, "
                        "e.g. “## value dignity: Human dignity”."
                    ),
                )
            elif match["kind"].lower() not in KINDS:
                self.error(
                    number,
                    _("Unknown kind of block “%(kind)s”. Known kinds: %(known)s.")
                    % {"kind": match["kind"], "known": ", ".join(KINDS)},
                )
            else:
                block, rejected = (number, match), False
        if block is not None:
            self.read_block(document, *block, body)

    def read_block(
        self,
        document: Document,
        number: int,
        match: re.Match[str],
        body: list[tuple[int, str]],
    ) -> None:
        kind = match["kind"].lower()
        heading = (match["rest"] or "").strip()
        limit = MAX_AUDIENCE_KEY if kind == "audience" else MAX_KEY
        key = self.read_key(number, match["key"] or "", limit)
        fields, text = self.split_fields(kind, body)
        position = self.position(kind, fields)
        if kind == "section":
            self.require(number, heading, _("A section needs a heading."))
            body = _unescape(text)
            if not body:
                self.error(number, _("A section needs text under its heading."))
            document.sections.append(SectionItem(key, heading, body, position, number))
        elif kind == "legal":
            law, _bar, reference = heading.partition("|")
            law, reference = law.strip(), reference.strip()
            self.require(number, law, _("A legal basis needs the name of the law."))
            if len(reference) > MAX_REFERENCE:
                self.error(number, _too_long(MAX_REFERENCE))
            provision = _unescape(text)
            if not provision:
                self.error(number, _("A legal basis needs text under its heading."))
            document.legal_bases.append(
                LegalItem(key, law, reference, provision, position, number)
            )
        elif kind == "value":
            description, commitments = self.split_items(text)
            self.require(number, heading, _("A value needs a title."))
            document.values.append(
                ValueItem(
                    key, heading, _unescape(description), position, commitments, number
                )
            )
        elif kind == "audience":
            if not key:
                self.error(
                    number,
                    _(
                        "An audience needs a key, which guidelines use to refer "
                        "to it: “## audience clients: Staff meeting clients”."
                    ),
                )
            self.require(number, heading, _("An audience needs a name."))
            document.audiences.append(
                AudienceItem(key, heading, _unescape(text), number)
            )
        else:
            self.read_guideline(document, number, key, heading, fields, text, position)

    def read_key(self, number: int, given: str, limit: int) -> str:
        """The key as stored: "Chefer-på-enheten" is kept as "chefer-pa-enheten"."""
        if not given:
            return ""
        key = key_from(given)
        if not key:
            self.error(
                number,
                _("“%(key)s” cannot be used as a key: it needs letters or digits.")
                % {"key": given},
            )
        elif len(key) > limit:
            self.error(
                number,
                _("The key “%(key)s” is too long: at most %(limit)s characters.")
                % {"key": given, "limit": limit},
            )
        return key

    def require(self, number: int, heading: str, message: str) -> None:
        if not heading:
            self.error(number, message)
        elif len(heading) > MAX_TITLE:
            self.error(number, _too_long(MAX_TITLE))

    def split_fields(
        self, kind: str, body: list[tuple[int, str]]
    ) -> tuple[dict[str, tuple[int, str]], list[tuple[int, str]]]:
        """Field lines right under a heading, then the block's text."""
        fields: dict[str, tuple[int, str]] = {}
        names = BLOCK_FIELDS[kind]
        index = 0
        while index < len(body):
            number, line = body[index]
            match = HEADER_FIELD_RE.match(line)
            if not line.strip():
                index += 1
                continue
            if match is None or match["name"].lower() not in names:
                break
            name = match["name"].lower()
            if name in fields:
                self.error(number, _("“%(name)s” is given twice.") % {"name": name})
            fields[name] = (number, match["value"].strip())
            index += 1
        return fields, body[index:]

    def position(self, kind: str, fields: dict[str, tuple[int, str]]) -> int:
        if "position" not in fields:
            return -1  # Numbered once the block's siblings are known.
        number, value = fields["position"]
        if not (value.isascii() and value.isdigit()):
            self.error(number, _("The position must be a whole number."))
            return -1
        return int(value)

    def split_items(
        self, text: list[tuple[int, str]]
    ) -> tuple[list[tuple[int, str]], list[CommitmentItem]]:
        """A value's description, then its commitments as a list."""
        description: list[tuple[int, str]] = []
        commitments: list[CommitmentItem] = []
        current: list[str] | None = None
        blank_since_item = False
        for number, line in text:
            match = ITEM_RE.match(line)
            if match is not None:
                key = self.read_key(number, match["key"] or "", MAX_KEY)
                first = (match["text"] or "").strip()
                if first.startswith("\\"):
                    first = first[1:]
                position = int(match["position"]) if match["position"] else -1
                current = [first]
                commitments.append(CommitmentItem(key, "", position, number))
                blank_since_item = False
            elif current is None:
                description.append((number, line))
            elif not line.strip():
                current.append("")
                blank_since_item = True
            elif line.startswith((" ", "\t")) or not blank_since_item:
                current.append(line[2:] if line.startswith("  ") else line.strip())
            else:
                self.error(
                    number,
                    _(
                        "Text after the commitments: indent it by two spaces to "
                        "continue the commitment above, or move it above the list."
                    ),
                )
            if current is not None:
                commitments[-1].text = _clean_text("\n".join(current))
        for commitment in commitments:
            if not commitment.text:
                self.error(commitment.line, _("A commitment needs text."))
        _number(commitments)
        return description, commitments

    def read_guideline(
        self,
        document: Document,
        number: int,
        key: str,
        heading: str,
        fields: dict[str, tuple[int, str]],
        text: list[tuple[int, str]],
        position: int,
    ) -> None:
        # The title is optional: a guideline without one is shown by its first words.
        if len(heading) > MAX_TITLE:
            self.error(number, _too_long(MAX_TITLE))
        audience_line, audience = fields.get("audience", (number, ""))
        if not audience:
            self.error(
                audience_line,
                _(
                    "A guideline needs an audience: add a line "
                    "“audience: key” under its heading."
                ),
            )
        audience = key_from(audience) or audience
        values_line, values = fields.get("values", (number, ""))
        keys = [
            key_from(v.strip()) or v.strip() for v in values.split(",") if v.strip()
        ]
        main: list[tuple[int, str]] = []
        example: list[tuple[int, str]] | None = None
        for line_number, line in text:
            match = EXAMPLE_RE.match(line)
            if example is None and match is not None:
                example = [(line_number, match["text"])] if match["text"] else []
            elif example is None:
                main.append((line_number, line))
            else:
                example.append((line_number, line))
        if not heading and not _unescape(main):
            self.error(
                number,
                _("A guideline without a title needs its text under the heading."),
            )
        document.guidelines.append(
            GuidelineItem(
                key,
                heading,
                audience,
                keys,
                _unescape(main),
                _unescape(example or []),
                position,
                number,
                audience_line,
                values_line,
            )
        )

    # Checks across blocks

    def check_references(self, document: Document) -> None:
        for items, name in (
            (document.sections, _("section")),
            (document.legal_bases, _("legal basis")),
            (document.values, _("value")),
            (document.audiences, _("audience")),
            (document.guidelines, _("guideline")),
        ):
            self.check_unique(items, name)
            if items is not document.audiences:
                _number(items)
        for value in document.values:
            self.check_unique(value.commitments, _("commitment"))
        value_keys = set(_value_references(document))
        for guideline in document.guidelines:
            seen: set[str] = set()
            for key in guideline.values:
                if key not in value_keys:
                    self.error(
                        guideline.values_line,
                        _("No value in this file has the key “%(key)s”.")
                        % {"key": key},
                    )
                elif key in seen:
                    self.error(
                        guideline.values_line,
                        _("The value “%(key)s” is listed twice.") % {"key": key},
                    )
                seen.add(key)

    def check_unique(self, items: list, name: str) -> None:
        first: dict[str, int] = {}
        for item in items:
            if not item.key:
                continue
            if item.key in first:
                self.error(
                    item.line,
                    _("The key “%(key)s” is used by another %(kind)s on line %(line)s.")
                    % {"key": item.key, "kind": name, "line": first[item.key]},
                )
            else:
                first[item.key] = item.line


def _too_long(limit: int) -> str:
    return _("This is too long: at most %(limit)s characters.") % {"limit": limit}


def _number(items: list) -> None:
    """Give items without an explicit position the one after their predecessor's."""
    expected = 1
    for item in items:
        if item.position < 0:
            item.position = expected
        expected = item.position + 1


def _unescape(lines: list[tuple[int, str]]) -> str:
    return _clean_text(
        "\n".join(line[1:] if line.startswith("\\") else line for _n, line in lines)
    )


# Import


@transaction.atomic
def import_draft(*, value_base: ValueBase, text: str, author) -> Version:
    """Save a file as a new draft of the value base; nothing is saved on error."""
    document = parse(text, organisation=value_base.organisation)
    return save_draft(value_base=value_base, document=document, author=author)


@transaction.atomic
def save_draft(*, value_base: ValueBase, document: Document, author) -> Version:
    """Save a checked document as a new draft; items without a key get the key
    of the same item in the latest version (see match_keys)."""
    organisation = value_base.organisation
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
    # Guidelines may name a value without a key by the key its title makes;
    # found before match_keys() gives that value its lasting key.
    references = _value_references(document)
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
    for item in document.sections:
        Section(
            version=version,
            key=item.key,
            title=item.title,
            body=item.body,
            position=item.position,
        ).save()
    for item in document.legal_bases:
        LegalBasis(
            version=version,
            key=item.key,
            law=item.law,
            reference=item.reference,
            text=item.text,
            position=item.position,
        ).save()
    values: dict[int, CoreValue] = {}
    for item in document.values:
        value = CoreValue(
            version=version,
            key=item.key,
            title=item.title,
            description=item.description,
            position=item.position,
        )
        value.save()
        values[id(item)] = value
        for entry in item.commitments:
            Commitment(
                value=value, key=entry.key, text=entry.text, position=entry.position
            ).save()
    audiences = _audiences(organisation, document)
    for item in document.audiences:
        if item.lead_in:
            LeadIn(
                version=version,
                key=item.key,
                audience=audiences[item.key],
                text=item.lead_in,
            ).save()
    for item, targets in zip(document.guidelines, linked, strict=True):
        guideline = Guideline(
            version=version,
            key=item.key,
            audience=audiences[item.audience],
            title=item.title,
            text=item.text,
            example=item.example,
            position=item.position,
        )
        guideline.save()
        guideline.related_values.set([values[id(target)] for target in targets])
        item.values = [target.key for target in targets]
    return version


def _value_references(document: Document) -> dict[str, ValueItem]:
    """The values by the keys a guideline may name them with: a value's own key,
    or for a value without one the key its title makes ("Makt och ansvar" ->
    makt-och-ansvar)."""
    references = {v.key: v for v in document.values if v.key}
    for value in document.values:
        if not value.key:
            references.setdefault(key_from(value.title), value)
    return references


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
    old: dict[str, list] = {"section": [], "legal": [], "value": [], "guideline": []}
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


def _match(
    items,
    old_items,
    new_text,
    old_text,
    *,
    similar: bool = False,
    explicit: set[str] = frozenset(),
    reserved: set[str] = frozenset(),
) -> None:
    """Keys for `items` without one: see match_keys().

    `explicit`: keys that other items already hold, so not to be matched again;
    `reserved`: keys a new item must not take.
    """
    used = {item.key for item in items if item.key} | explicit
    free = [o for o in old_items if o.key not in used]
    by_text: dict[str, list] = {}
    for candidate in free:
        by_text.setdefault(_normal(old_text(candidate)), []).append(candidate)
    unmatched = []
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
            best, best_ratio = None, SIMILAR
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
