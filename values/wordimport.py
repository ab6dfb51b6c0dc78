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
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

import docx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.table import Table, _Cell
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
# Far more than any value base has (a long one has a few hundred), and what
# reads in a few seconds: see bench/word_import.py.
MAX_PARAGRAPHS = 20_000
# A request never reads a document for longer than this: a file made to be
# slow to read is refused instead of holding a web worker for minutes.
TIME_BUDGET_SECONDS = 10.0

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


class _Deadline:
    """The time a reading may take, checked inside its loops."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise WordError(
                _(
                    "The document is too complex to be read in time. Import it in "
                    "smaller parts, or save it again from Word without tables and "
                    "text boxes, and upload that file."
                )
            )


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
    deadline = _Deadline(TIME_BUDGET_SECONDS)
    paragraphs = sum(1 for _p in document.element.body.iter(qn("w:p")))
    if paragraphs > MAX_PARAGRAPHS:
        raise WordError(
            _(
                "The document has %(count)s paragraphs; at most %(limit)s can be "
                "imported. Import it in smaller parts, or use the text format."
            )
            % {"count": paragraphs, "limit": MAX_PARAGRAPHS}
        )
    blocks = list(_blocks(document, deadline))
    title = (document.core_properties.title or "").strip()
    reading = guess(blocks, title=title, deadline=deadline)
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


def _blocks(document, deadline: _Deadline | None = None):
    styles = _Styles(document)
    for item in document.iter_inner_content():
        if deadline is not None:
            deadline.check()
        if isinstance(item, Table):
            # Tables are read cell by cell, as paragraphs.
            for cell in _cells(item):
                for paragraph in cell.paragraphs:
                    if deadline is not None:
                        deadline.check()
                    block = _block(paragraph, styles)
                    if block is not None:
                        yield block
        else:
            block = _block(item, styles)
            if block is not None:
                yield block


def _cells(table: Table):
    """The cells of the table row by row, a merged cell once.

    python-docx's `row.cells` gives a cell spanning columns once per column and
    a cell merged down once per row, so its text would be read again for every
    row it covers: the reading of a table one column of which is merged down
    grows with the square of its rows. It also finds the cell above a merged
    one by searching the table each time.
    """
    for tr in table._tbl.tr_lst:
        for tc in tr.tc_lst:
            if tc.vMerge != "continue":  # merged into the cell above
                yield _Cell(tc, table)


def _block(paragraph: Paragraph, styles: _Styles) -> Block | None:
    markdown, plain, bold = _inline(paragraph)
    if not plain.strip():
        return None
    style = styles.of(paragraph)
    if style is not None and style.name in ("Title", "Subtitle"):
        return Block(
            "title" if style.name == "Title" else "paragraph", 0, markdown, plain
        )
    level = _heading_level(paragraph, style)
    if level is not None:
        return Block("heading", level, markdown, plain.strip(), bold)
    list_level = _list_level(paragraph, style)
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


# Paragraph styles. python-docx finds a paragraph's style, its default and
# the style it is based on by searching all the document's styles each time;
# a document has a few dozen styles and thousands of paragraphs, so what the
# reading needs of a style is worked out once per style here.


@dataclass
class _Style:
    """What the reading needs of a paragraph style and the styles it is based on."""

    name: str | None
    heading: int | None  # from the name of a style in its chain
    outline: tuple[str | None] | None  # (w:val,) of the first w:outlineLvl
    numbering: tuple[str | None, str | None] | None  # (numId, ilvl) of the first
    list_named: bool  # a style in the chain is named "List …"
    list_level: int  # from the style's own name, "List Bullet 2" is 1


class _Styles:
    """The paragraph styles of one document, each worked out once."""

    def __init__(self, document) -> None:
        self._by_id: dict[str, Any] = {}  # python-docx's CT_Style, untyped
        self._default = None
        for element in document.styles.element.iterchildren(qn("w:style")):
            style_id = element.styleId
            if style_id is not None and style_id not in self._by_id:
                self._by_id[style_id] = element
            if element.type == WD_STYLE_TYPE.PARAGRAPH and element.default:
                self._default = element  # Word takes the last default.
        self._styles: dict[str | None, _Style | None] = {}

    def of(self, paragraph: Paragraph) -> _Style | None:
        """The paragraph's style, as `paragraph.style` finds it."""
        style_id = paragraph._p.style
        if style_id not in self._styles:
            element = self._by_id.get(style_id) if style_id else None
            if element is None or element.type != WD_STYLE_TYPE.PARAGRAPH:
                element = self._default
            self._styles[style_id] = self._work_out(element)
        return self._styles[style_id]

    def _chain(self, element):
        """The style and those it is based on; a loop of styles ends the chain."""
        seen = set()
        while element is not None and id(element) not in seen:
            seen.add(id(element))
            yield element
            based_on = element.basedOn
            element = self._by_id.get(based_on.val) if based_on is not None else None

    def _work_out(self, element) -> _Style | None:
        if element is None:
            return None
        chain = list(self._chain(element))
        names = [_ui_name(style) for style in chain]
        heading = None
        for name in names:
            match = HEADING_STYLE_RE.match(name or "")
            if match:
                heading = int(match[1])
                break
        outline = next(
            (
                found
                for style in chain
                if (found := _own_p_pr_value(style, "w:outlineLvl")) is not None
            ),
            None,
        )
        numbering = next(
            (found for style in chain if (found := _own_num_pr(style)) is not None),
            None,
        )
        match = LIST_STYLE_RE.match(names[0] or "")
        return _Style(
            name=names[0],
            heading=heading,
            outline=outline,
            numbering=numbering,
            list_named=any((name or "").lower().startswith("list") for name in names),
            list_level=int(match[1]) - 1 if match and match[1] else 0,
        )


def _ui_name(element) -> str | None:
    name = element.name_val
    return None if name is None else BabelFish.internal2ui(name)


def _own_p_pr_value(element, tag: str) -> tuple[str | None] | None:
    """(w:val,) of a paragraph property set on this element itself, else None."""
    p_pr = element.find(qn("w:pPr"))
    if p_pr is None:
        return None
    found = p_pr.find(qn(tag))
    return None if found is None else (found.get(qn("w:val")),)


def _own_num_pr(element) -> tuple[str | None, str | None] | None:
    """(numId, ilvl) of the numbering set on this element itself, else None."""
    p_pr = element.find(qn("w:pPr"))
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if num_pr is None:
        return None
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        ilvl.get(qn("w:val")) if ilvl is not None else None,
    )


def _heading_level(paragraph: Paragraph, style: _Style | None) -> int | None:
    if style is not None and style.heading is not None:
        return style.heading
    found = _own_p_pr_value(paragraph._p, "w:outlineLvl")
    if found is None and style is not None:
        found = style.outline
    outline = found[0] if found is not None else None
    if outline and outline.isascii() and outline.isdigit() and int(outline) < 9:
        return int(outline) + 1
    return None


def _list_level(paragraph: Paragraph, style: _Style | None) -> int | None:
    numbering = _own_num_pr(paragraph._p)
    if numbering is None and style is not None:
        numbering = style.numbering
    if numbering is not None:
        num_id, level = numbering
        if num_id == "0":
            return None  # Numbering switched off for this paragraph.
        if level and level.isascii() and level.isdigit():
            return min(int(level), 8)  # Word has nine list levels.
    elif style is None or not style.list_named:
        return None
    return style.list_level if style is not None else 0


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


def guess(
    blocks: list[Block], *, title: str = "", deadline: _Deadline | None = None
) -> Reading:
    """Parts from the blocks of a document, each with a guess of its kind."""
    units = _units(blocks)
    parts: list[Part] = []
    current: Part | None = None
    heading_levels = [b.level for b in blocks if b.type == "heading"]
    # Text added to a part is collected and joined once at the end: joining
    # it paragraph by paragraph copies the part's text each time, which takes
    # time quadratic in the text of a long part.
    added: dict[int, list[str]] = {}

    def add(part: Part, more: str) -> None:
        added.setdefault(id(part), []).append(more)

    for index, unit in enumerate(units):
        if deadline is not None:
            deadline.check()
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
                add(parts[-1], block.markdown)
            elif current is None:
                current = Part("skip", "", block.markdown, level=TEXT_LEVEL)
                parts.append(current)
            else:
                add(current, block.markdown)
        else:
            has_text = current is not None and bool(
                current.text or any(added.get(id(current), ()))
            )
            parts_from_list = _list_parts(unit, current, has_text=has_text)
            if parts_from_list is None:
                top = min(b.level for b in unit.blocks)
                if current is None:
                    current = Part("skip", "", level=TEXT_LEVEL)
                    parts.append(current)
                add(current, _nested_markdown(unit.blocks, top))
            else:
                parts.extend(parts_from_list)
                # Text after the list is not the audience's or value's own.
                current = None
    for part in parts:
        if id(part) in added:
            part.text = _join_all([part.text, *added[id(part)]])
    _guess_headings(parts, heading_levels)
    if not title:
        title = next((p.title for p in parts if p.title), "")
    return Reading(title=title[:MAX_TITLE], parts=parts)


def _list_parts(
    unit: _Unit, current: Part | None, *, has_text: bool
) -> list[Part] | None:
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
        current.kind == "audience" or (current.level < TEXT_LEVEL and not has_text)
    )
    if not (introduced and _is_sentence_list(unit)):
        return None
    if current.kind != "audience":
        current.kind = "audience"
    parts: list[Part] = []
    nested: list[list[Block]] = []  # the items nested under each part
    for block in unit.blocks:
        if block.level == top:
            parts.append(Part("guideline", "", block.markdown, origin="item"))
            nested.append([])
        elif nested:
            nested[-1].append(block)
    for part, below in zip(parts, nested, strict=True):
        if below:
            part.text += "\n" + _nested_markdown(below, top)
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


def _join_all(texts: list[str]) -> str:
    """The texts joined one by one with `_join`, in time linear in their length."""
    # `_join` leaves out what is empty until the first text, and keeps the rest.
    first = next((index for index, text in enumerate(texts) if text), len(texts))
    return "\n\n".join(texts[first:])


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
