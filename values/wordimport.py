"""A value base kept in Word (.docx) read into parts that become a draft.

`read_docx()` turns the document into a list of `Part`s, each with a guess of
what it is: headings become sections and values, lists become commitments or
guidelines, a sentence ending in a colon before a list of guidelines becomes
the audience they are for. The editor sees the parts, may change the kind of
any of them, and `build_document()` makes a text-format `Document` of the
result, which `textformat.save_draft()` saves like any imported file.

Formatting inside paragraphs (bold, italic, links) is kept as Markdown.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import docx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph

from guidelines.models import Audience
from lib.markdown import first_words

from .models import key_from, unique_key
from .textformat import (
    EXAMPLE_RE,
    MAX_AUDIENCE_KEY,
    MAX_REFERENCE,
    MAX_TITLE,
    AudienceItem,
    CommitmentItem,
    Document,
    GuidelineItem,
    LegalItem,
    SectionItem,
    ValueItem,
)

# A value base is a few pages; Word files with a logo or two stay far below.
MAX_DOCX_BYTES = 10 * 1024 * 1024
# What the parts of the file may unpack to: a guard against "zip bombs".
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Every part is a row of the preview form; Django accepts 1000 fields a request.
MAX_PARTS = 180

KIND_CHOICES = [
    ("section", gettext_lazy("Section")),
    ("legal", gettext_lazy("Legal basis")),
    ("value", gettext_lazy("Value")),
    ("commitment", gettext_lazy("Commitment")),
    ("audience", gettext_lazy("Audience")),
    ("guideline", gettext_lazy("Guideline")),
    ("skip", gettext_lazy("Leave out")),
]
KINDS = [kind for kind, _label in KIND_CHOICES]

HEADING_STYLE_RE = re.compile(r"^(?:heading|rubrik|overskrift)\s*(\d)$", re.IGNORECASE)
LIST_STYLE_RE = re.compile(r"^list(?:\s+\w+)*?(?:\s+(\d))?$", re.IGNORECASE)
# Bullets typed by hand, and those left by a conversion from PDF ("o" for ◦).
TYPED_BULLET_RE = re.compile(r"^(?P<bullet>[•◦▪‣∙·\-–*]|o(?=\s+\S))\s+(?P<rest>\S.*)$")
SECOND_LEVEL_BULLETS = {"◦", "▪", "o", "‣"}
# Words that make a group heading the heading of the core values.
VALUE_WORDS = ("värde", "værdi", "value", "grundvärdering", "grundværdi")
LEGAL_RE = re.compile(r"§|\blag(en)?\b|\blov(en)?\b|paragraf|\bact\b", re.IGNORECASE)
# At least this many words make a list item a sentence, such as a guideline.
SENTENCE_WORDS = 6


class WordError(Exception):
    """The upload is not a Word document that can be read; the message says why."""


@dataclass
class Block:
    """One paragraph of the document as read: a heading, a paragraph or a list item."""

    type: str  # heading, paragraph, item
    level: int
    markdown: str
    plain: str
    bold: bool = False


# How a part was read; its heading level is added to "heading".
ORIGINS = {
    "title": gettext_lazy("document title"),
    "heading": gettext_lazy("heading"),
    "bold": gettext_lazy("line in bold"),
    "lead-in": gettext_lazy("sentence before a list"),
    "item": gettext_lazy("list item"),
    "text": gettext_lazy("text"),
}
# Levels while guessing: headings 1-9, then text and list items below them all.
TEXT_LEVEL = 99
ITEM_LEVEL = 100


@dataclass
class Part:
    kind: str
    title: str
    text: str = ""
    origin: str = "text"  # a key of ORIGINS, "heading" with "heading:2"
    # For an audience: the key of an existing audience, or "" for a new one.
    audience: str = ""
    errors: list[str] = field(default_factory=list)
    level: int = field(default=ITEM_LEVEL, compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.title or first_words(self.text) or "–"

    @property
    def origin_display(self) -> str:
        name, _colon, level = self.origin.partition(":")
        label = str(ORIGINS.get(name, ""))
        return f"{label} {level}" if level else label


@dataclass
class Reading:
    title: str
    parts: list[Part]


# Reading the file


def check_file(data: bytes) -> None:
    """Raise WordError unless `data` is a .docx file we are willing to open."""
    if len(data) > MAX_DOCX_BYTES:
        raise WordError(
            _("The file is too large (at most %(size)s MB).")
            % {"size": MAX_DOCX_BYTES // (1024 * 1024)}
        )
    not_word = _(
        "This file cannot be read as a Word document. Save it in Word as "
        "“Word document (.docx)” and upload that file."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise WordError(not_word) from None
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        raise WordError(not_word)
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise WordError(not_word)


def read_docx(data: bytes, *, audiences: list[Audience] = ()) -> Reading:
    """The parts of a Word document, each with a guess of its kind."""
    check_file(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds of error on broken files.
        raise WordError(
            _(
                "This file cannot be read as a Word document. Save it in Word as "
                "“Word document (.docx)” and upload that file."
            )
        ) from None
    blocks = list(_blocks(document))
    title = (document.core_properties.title or "").strip()
    reading = guess(blocks, title=title)
    _match_audiences(reading.parts, audiences)
    if len(reading.parts) > MAX_PARTS:
        raise WordError(
            _(
                "The document has %(count)s parts; at most %(limit)s can be imported "
                "at once. Import it in two halves, or use the text format."
            )
            % {"count": len(reading.parts), "limit": MAX_PARTS}
        )
    return reading


def _blocks(document):
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # Tables are read cell by cell, as paragraphs.
            for row in item.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        block = _block(paragraph)
                        if block is not None:
                            yield block
        else:
            block = _block(item)
            if block is not None:
                yield block


def _block(paragraph: Paragraph) -> Block | None:
    markdown, plain, bold = _inline(paragraph)
    if not plain.strip():
        return None
    style = paragraph.style
    level = _heading_level(paragraph)
    if style is not None and style.name in ("Title", "Subtitle"):
        return Block(
            "title" if style.name == "Title" else "paragraph", 0, markdown, plain
        )
    if level is not None:
        return Block("heading", level, markdown, plain.strip(), bold)
    list_level = _list_level(paragraph)
    if list_level is not None:
        return Block("item", list_level, markdown.strip(), plain.strip(), bold)
    typed = TYPED_BULLET_RE.match(plain.strip())
    if typed:
        cut = len(plain) - len(plain.lstrip()) + len(typed["bullet"])
        level = 1 if typed["bullet"] in SECOND_LEVEL_BULLETS else 0
        return Block(
            "item",
            level,
            _cut_bullet(markdown, typed["bullet"]).strip(),
            plain.strip()[cut:].strip(),
            bold,
        )
    words = plain.split()
    # A short line all in bold, not a sentence: a heading typed by hand.
    if bold and len(words) <= 12 and not plain.rstrip().endswith((".", ",", ";")):
        return Block("heading", 9, markdown, plain.strip(), bold)
    return Block("paragraph", 0, markdown.strip(), plain.strip(), bold)


def _cut_bullet(markdown: str, bullet: str) -> str:
    stripped = markdown.lstrip()
    escaped = "\\" + bullet
    for prefix in (escaped, bullet):
        if stripped.startswith(prefix):
            return stripped[len(prefix) :]
    return stripped


def _style_chain(paragraph: Paragraph):
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def _heading_level(paragraph: Paragraph) -> int | None:
    for style in _style_chain(paragraph):
        match = HEADING_STYLE_RE.match(style.name or "")
        if match:
            return int(match[1])
    outline = _p_pr_value(paragraph, "w:outlineLvl")
    if outline and outline.isascii() and outline.isdigit() and int(outline) < 9:
        return int(outline) + 1
    return None


def _p_pr_value(paragraph: Paragraph, tag: str) -> str | None:
    """A paragraph property set on the paragraph or on one of its styles."""
    elements = [paragraph._p] + [style.element for style in _style_chain(paragraph)]
    for element in elements:
        p_pr = element.find(qn("w:pPr"))
        if p_pr is None:
            continue
        found = p_pr.find(qn(tag))
        if found is not None:
            return found.get(qn("w:val"))
    return None


def _list_level(paragraph: Paragraph) -> int | None:
    elements = [paragraph._p] + [style.element for style in _style_chain(paragraph)]
    for element in elements:
        p_pr = element.find(qn("w:pPr"))
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        if num_id is not None and num_id.get(qn("w:val")) == "0":
            return None  # Numbering switched off for this paragraph.
        ilvl = num_pr.find(qn("w:ilvl"))
        level = ilvl.get(qn("w:val")) if ilvl is not None else None
        if level and level.isascii() and level.isdigit():
            return min(int(level), 8)  # Word has nine list levels.
        break
    else:
        if not any(
            (style.name or "").lower().startswith("list")
            for style in _style_chain(paragraph)
        ):
            return None
    match = LIST_STYLE_RE.match(paragraph.style.name or "")
    if match and match[1]:
        return int(match[1]) - 1
    return 0


# Inline formatting as Markdown

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
LINE_START_SPECIAL = re.compile(r"^(\s*)([-+#>]|\d+[.)])(\s)")


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _inline(paragraph: Paragraph) -> tuple[str, str, bool]:
    """The paragraph as Markdown, as plain text, and whether all of it is bold."""
    pieces: list[tuple[str, bool, bool, str | None]] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            url = item.url
            for run in item.runs:
                pieces.append((run.text, bool(run.bold), bool(run.italic), url))
        else:
            pieces.append((item.text, bool(item.bold), bool(item.italic), None))
    plain = "".join(text for text, *_rest in pieces)
    visible = [(t, b) for t, b, _i, _u in pieces if t.strip()]
    all_bold = bool(visible) and all(b for _t, b in visible)
    # Runs with the same formatting and link are joined before marking them up.
    merged: list[list] = []
    for text, bold, italic, url in pieces:
        if merged and merged[-1][1:] == [bold, italic, url]:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic, url])
    out = []
    for text, bold, italic, url in merged:
        out.append(_mark(text, bold=bold and not all_bold, italic=italic, url=url))
    markdown = "".join(out).replace("\n", " ").replace("\t", " ")
    markdown = LINE_START_SPECIAL.sub(r"\1\\\2\3", markdown)
    return markdown, plain.replace("\t", " "), all_bold


def _mark(text: str, *, bold: bool, italic: bool, url: str | None) -> str:
    # Emphasis may not start or end with a space in Markdown: keep spaces outside.
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    marked = _escape(core)
    if italic:
        marked = f"*{marked}*"
    if bold:
        marked = f"**{marked}**"
    if url and url.startswith(("http://", "https://", "mailto:")):
        marked = f"[{marked}]({url.replace(')', '%29').replace(' ', '%20')})"
    return f"{lead}{marked}{trail}"


# Guessing what each part is


@dataclass
class _Unit:
    type: str  # title, heading, paragraph, list
    blocks: list[Block]


def _units(blocks: list[Block]) -> list[_Unit]:
    units: list[_Unit] = []
    for block in blocks:
        if block.type == "item" and units and units[-1].type == "list":
            units[-1].blocks.append(block)
        else:
            kind = "list" if block.type == "item" else block.type
            units.append(_Unit(kind, [block]))
    return units


def _is_value_list(unit: _Unit) -> bool:
    """Values with commitments: bold items, each followed by its commitments."""
    top = min(block.level for block in unit.blocks)
    heads = [block for block in unit.blocks if block.level == top]
    return any(block.bold for block in heads) and heads[0].bold


def _is_sentence_list(unit: _Unit) -> bool:
    top = min(block.level for block in unit.blocks)
    heads = [block for block in unit.blocks if block.level == top]
    sentences = [b for b in heads if len(b.plain.split()) >= SENTENCE_WORDS]
    return len(sentences) * 2 >= len(heads)


def _nested_markdown(blocks: list[Block], top: int) -> str:
    return "\n".join(
        "  " * (block.level - top) + "- " + block.markdown for block in blocks
    )


def guess(blocks: list[Block], *, title: str = "") -> Reading:
    """Parts from the blocks of a document, each with a guess of its kind."""
    units = _units(blocks)
    parts: list[Part] = []
    current: Part | None = None
    heading_levels = [b.level for b in blocks if b.type == "heading"]
    for index, unit in enumerate(units):
        following = units[index + 1] if index + 1 < len(units) else None
        block = unit.blocks[0]
        if unit.type == "title":
            title = title or block.plain.strip()
            current = Part("skip", block.plain.strip(), origin="title", level=0)
            parts.append(current)
        elif unit.type == "heading" and title and block.plain.strip() == title:
            # The document's title repeated as its first heading.
            current = Part("skip", title, origin="title", level=0)
            parts.append(current)
        elif unit.type == "heading":
            current = Part(
                "section",
                block.plain.rstrip(":").strip(),
                origin=f"heading:{block.level}" if block.level < 9 else "bold",
                level=block.level,
            )
            parts.append(current)
        elif unit.type == "paragraph":
            lead_in = (
                block.plain.rstrip().endswith(":")
                and following is not None
                and following.type == "list"
                and not _is_value_list(following)
                and _is_sentence_list(following)
            )
            if lead_in:
                current = Part(
                    "audience",
                    block.plain.rstrip().rstrip(":").strip(),
                    block.markdown,
                    origin="lead-in",
                    level=TEXT_LEVEL,
                )
                parts.append(current)
            elif (
                EXAMPLE_RE.match(block.plain.strip())
                and parts
                and (parts[-1].kind == "guideline")
            ):
                # "Exempel: …" right after a guideline is its example.
                parts[-1].text = _join(parts[-1].text, block.markdown)
            elif current is None:
                current = Part("skip", "", block.markdown, level=TEXT_LEVEL)
                parts.append(current)
            else:
                current.text = _join(current.text, block.markdown)
        else:
            parts_from_list = _list_parts(unit, current)
            if parts_from_list is None:
                top = min(b.level for b in unit.blocks)
                if current is None:
                    current = Part("skip", "", level=TEXT_LEVEL)
                    parts.append(current)
                current.text = _join(current.text, _nested_markdown(unit.blocks, top))
            else:
                parts.extend(parts_from_list)
                # Text after the list is not the audience's or value's own.
                current = None
    _guess_headings(parts, heading_levels)
    if not title:
        title = next((p.title for p in parts if p.title), "")
    return Reading(title=title[:MAX_TITLE], parts=parts)


def _list_parts(unit: _Unit, current: Part | None) -> list[Part] | None:
    """The list's items as parts of their own, or None to keep it as text."""
    top = min(b.level for b in unit.blocks)
    if _is_value_list(unit):
        parts = []
        for block in unit.blocks:
            if block.level == top and block.bold:
                part = Part("value", block.plain.strip(), origin="item")
            else:
                part = Part("commitment", "", block.markdown, origin="item")
            parts.append(part)
        return parts
    introduced = current is not None and (
        current.kind == "audience" or (current.level < TEXT_LEVEL and not current.text)
    )
    if not (introduced and _is_sentence_list(unit)):
        return None
    if current.kind != "audience":
        current.kind = "audience"
    parts: list[Part] = []
    for index, block in enumerate(unit.blocks):
        if block.level == top:
            part = Part("guideline", "", block.markdown, origin="item")
            parts.append(part)
            nested = []
            for below in unit.blocks[index + 1 :]:
                if below.level == top:
                    break
                nested.append(below)
            if nested:
                part.text += "\n" + _nested_markdown(nested, top)
    return parts


def _guess_headings(parts: list[Part], heading_levels: list[int]) -> None:
    """Sections by default; empty group headings left out; legal provisions;
    the headings under a heading about values become values."""
    under_values: int | None = None
    for index, part in enumerate(parts):
        level = part.level
        if level >= TEXT_LEVEL:
            continue
        if under_values is not None and level <= under_values:
            under_values = None
        following = parts[index + 1] if index + 1 < len(parts) else None
        next_level = following.level if following else ITEM_LEVEL
        if part.kind == "audience" or part.origin == "title":
            continue
        if not part.text and following is not None and next_level < TEXT_LEVEL:
            # A heading with nothing of its own over other headings groups them.
            part.kind = "skip"
            if next_level > level and any(
                word in part.title.lower() for word in VALUE_WORDS
            ):
                under_values = level
            continue
        if not part.text:
            part.kind = "skip"
        elif LEGAL_RE.search(part.title) or "§" in part.text[:40]:
            part.kind = "legal"
        elif under_values is not None and level > under_values:
            part.kind = "value"


def _join(text: str, more: str) -> str:
    return f"{text}\n\n{more}" if text else more


def _match_audiences(parts: list[Part], audiences) -> None:
    """An audience part names an existing audience when its name matches."""
    by_name = {" ".join(a.name.casefold().split()): a.key for a in audiences}
    for part in parts:
        if part.kind == "audience":
            part.audience = by_name.get(" ".join(part.title.casefold().split()), "")


# The draft the parts make


def build_document(title: str, parts: list[Part], audiences) -> Document | None:
    """The parts as a document, or None after noting each part's errors in it.

    `audiences` are the organisation's own; an audience part names one of them
    by key, or gets a new audience named after its title.
    """
    document = Document(title=title)
    existing = {a.key: a for a in audiences}
    taken = set(existing)
    value: ValueItem | None = None
    audience: AudienceItem | None = None
    ok = True

    def error(part: Part, message: str) -> None:
        nonlocal ok
        part.errors.append(message)
        ok = False

    for part in parts:
        part.errors = []
        title_ = " ".join(part.title.split())
        text = part.text.strip()
        if part.kind not in ("value", "commitment", "skip"):
            value = None  # Commitments follow their value directly.
        if part.kind != "skip" and len(title_) > MAX_TITLE:
            error(
                part,
                _("The title is too long: at most %(limit)s characters.")
                % {"limit": MAX_TITLE},
            )
        if part.kind == "section":
            if not title_:
                error(part, _("A section needs a title."))
            if not text:
                error(
                    part,
                    _("A section needs text; leave it out or choose another kind."),
                )
            document.sections.append(
                SectionItem("", title_, text, len(document.sections) + 1)
            )
        elif part.kind == "legal":
            law, _bar, reference = title_.partition("|")
            if not law.strip():
                error(part, _("A legal basis needs the name of the law as its title."))
            if len(reference.strip()) > MAX_REFERENCE:
                error(
                    part,
                    _("The reference is too long: at most %(limit)s characters.")
                    % {"limit": MAX_REFERENCE},
                )
            if not text:
                error(part, _("A legal basis needs the text of the provision."))
            document.legal_bases.append(
                LegalItem(
                    "",
                    law.strip(),
                    reference.strip(),
                    text,
                    len(document.legal_bases) + 1,
                )
            )
        elif part.kind == "value":
            if not title_:
                error(part, _("A value needs a title."))
            value = ValueItem("", title_, text, len(document.values) + 1)
            document.values.append(value)
        elif part.kind == "commitment":
            words = _join(title_, text) if title_ and text else (title_ or text)
            if value is None:
                error(
                    part,
                    _("A commitment belongs to a value: make a part above it a value."),
                )
            elif not words:
                error(part, _("A commitment needs text."))
            else:
                value.commitments.append(
                    CommitmentItem("", words, len(value.commitments) + 1)
                )
        elif part.kind == "audience":
            if not title_:
                error(part, _("An audience needs a name: write it as the title."))
                continue
            if part.audience in existing:
                key = part.audience
                name = existing[key].name
            else:
                key = unique_key(
                    key_from(title_)[:MAX_AUDIENCE_KEY] or "audience", taken
                )
                taken.add(key)
                name = title_
            # The text of an audience part is the sentence that opens its guidelines.
            audience = AudienceItem(key, name, text)
            document.audiences.append(audience)
        elif part.kind == "guideline":
            if audience is None:
                error(
                    part,
                    _(
                        "A guideline is for an audience: make a part above it "
                        "an audience."
                    ),
                )
                continue
            body, example = _split_example(text)
            if not title_ and not body:
                error(part, _("A guideline needs text."))
            document.guidelines.append(
                GuidelineItem(
                    "",
                    title_ if text else "",
                    audience.key,
                    [],
                    body if text else title_,
                    example,
                    len(document.guidelines) + 1,
                )
            )
    return document if ok else None


def _split_example(text: str) -> tuple[str, str]:
    """A guideline's text and the example after a line "Exempel:" (any language)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = EXAMPLE_RE.match(line.strip())
        if match:
            example = "\n".join([match["text"], *lines[index + 1 :]]).strip()
            return "\n".join(lines[:index]).strip(), example
    return text, ""
