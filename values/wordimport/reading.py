"""Reading a .docx file into blocks: headings, paragraphs and list items."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import docx
from django.utils.translation import gettext as _
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from guidelines.models import Audience

from . import limits
from .guessing import guess
from .inline import read_inline
from .limits import Deadline, WordError
from .parts import Block, Part, Reading
from .styles import Styles, heading_level, list_level

# Bullets typed by hand, and those left by a conversion from PDF ("o" for ◦).
TYPED_BULLET_RE = re.compile(r"^(?P<bullet>[•◦▪‣∙·\-–*]|o(?=\s+\S))\s+(?P<rest>\S.*)$")
SECOND_LEVEL_BULLETS = {"◦", "▪", "o", "‣"}
# A line typed as a heading is short and does not end as a sentence does.
TYPED_HEADING_WORDS = 12
# The size of text that leaves it to the document's default, as Word's is.
DEFAULT_SIZE = 11.0
# The level of a heading typed in bold in a document that also has heading styles.
TYPED_LEVEL = 9


def _not_word() -> WordError:
    return WordError(
        _(
            "This file cannot be read as a Word document. Save it in Word as "
            "“Word document (.docx)” and upload that file."
        )
    )


def check_file(data: bytes) -> None:
    """Raise WordError unless `data` is a .docx file we are willing to open."""
    if len(data) > limits.MAX_DOCX_BYTES:
        raise WordError(
            _("The file is too large (at most %(size)s MB).")
            % {"size": limits.MAX_DOCX_BYTES // (1024 * 1024)}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise _not_word() from None
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        raise _not_word()
    if sum(member.file_size for member in members) > limits.MAX_UNPACKED_BYTES:
        raise _not_word()


def read_docx(data: bytes, *, audiences: Iterable[Audience] = ()) -> Reading:
    """The parts of a Word document, each with a guess of its kind."""
    check_file(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds of error on broken files.
        raise _not_word() from None
    deadline = Deadline(limits.TIME_BUDGET_SECONDS)
    paragraphs = sum(1 for _p in document.element.body.iter(qn("w:p")))
    if paragraphs > limits.MAX_PARAGRAPHS:
        raise WordError(
            _(
                "The document has %(count)s paragraphs; at most %(limit)s can be "
                "imported. Import it in smaller parts, or use the text format."
            )
            % {"count": paragraphs, "limit": limits.MAX_PARAGRAPHS}
        )
    blocks = read_blocks(document, deadline)
    title = (document.core_properties.title or "").strip()
    reading = guess(blocks, title=title, deadline=deadline)
    match_audiences(reading.parts, audiences)
    if len(reading.parts) > limits.MAX_PARTS:
        raise WordError(
            _(
                "The document has %(count)s parts; at most %(limit)s can be imported "
                "at once. Import it in two halves, or use the text format."
            )
            % {"count": len(reading.parts), "limit": limits.MAX_PARTS}
        )
    return reading


def read_blocks(document: Any, deadline: Deadline | None = None) -> list[Block]:
    """The document's paragraphs as blocks, headings typed by hand found."""
    blocks = list(_blocks(document, deadline))
    _level_typed_headings(blocks)
    return blocks


def _blocks(document: Any, deadline: Deadline | None) -> Iterator[Block]:
    styles = Styles(document)
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


def _cells(table: Table) -> Iterator[_Cell]:
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


def _block(paragraph: Paragraph, styles: Styles) -> Block | None:
    style = styles.of(paragraph)
    inline = read_inline(paragraph, style_bold=style is not None and style.bold)
    plain = inline.plain.strip()
    if not plain:
        return None
    size = inline.size or (style.size if style is not None else 0.0)
    if style is not None and style.is_title:
        return Block("title", 0, inline.markdown.strip(), plain, size=size)
    if style is not None and style.is_subtitle:
        return Block("paragraph", 0, inline.markdown.strip(), plain, size=size)
    level = heading_level(paragraph, style)
    if level is not None:
        return Block("heading", level, inline.markdown, plain, inline.bold, size=size)
    markdown, item_level = inline.markdown.strip(), list_level(paragraph, style)
    typed = TYPED_BULLET_RE.match(plain)
    if item_level is None and typed:
        item_level = 1 if typed["bullet"] in SECOND_LEVEL_BULLETS else 0
        markdown, plain = _cut_bullet(markdown, typed["bullet"]).strip(), typed["rest"]
    kind = "paragraph" if item_level is None else "item"
    return Block(kind, item_level or 0, markdown, plain, inline.bold, inline.lead, size)


def _cut_bullet(markdown: str, bullet: str) -> str:
    stripped = markdown.lstrip()
    escaped = "\\" + bullet
    for prefix in (escaped, bullet):
        if stripped.startswith(prefix):
            return stripped[len(prefix) :]
    return stripped


def _looks_typed_heading(block: Block) -> bool:
    """A short line, not a sentence: what a heading typed by hand looks like."""
    words = block.plain.split()
    return (
        block.type == "paragraph"
        and 0 < len(words) <= TYPED_HEADING_WORDS
        and not block.plain.endswith((".", ",", ";", "!"))
    )


def _level_typed_headings(blocks: list[Block]) -> None:
    """Short lines in bold or in larger text become headings.

    In a document with heading styles they are headings under all the others.
    In one without, the larger text is the higher heading, as a reader takes
    it: the sizes used for such lines are ranked, and bold lines at the size
    of the text come last. The first line, in the largest size of all, is the
    document's title when no line is styled as one.
    """
    sizes = Counter(b.size for b in blocks if b.type in ("paragraph", "item"))
    body = (sizes.most_common(1)[0][0] if sizes else 0.0) or DEFAULT_SIZE
    typed = [
        b for b in blocks if _looks_typed_heading(b) and (b.bold or b.size > body + 1)
    ]
    if not typed:
        return
    styled = any(b.type in ("heading", "title") for b in blocks)
    ranks = sorted({b.size for b in typed if b.size > body + 1}, reverse=True)
    first = blocks[0]
    if (
        not styled
        and first in typed
        and ranks
        and first.size == ranks[0]
        and sum(1 for b in typed if b.size == ranks[0]) == 1
    ):
        first.type, first.level = "title", 0
        ranks = ranks[1:]
    for block in typed:
        if block.type != "paragraph":
            continue
        block.type, block.typed = "heading", True
        if styled:
            block.level = TYPED_LEVEL
        elif block.size > body + 1 and block.size in ranks:
            block.level = ranks.index(block.size) + 1
        else:
            block.level = len(ranks) + 1


def match_audiences(parts: list[Part], audiences: Iterable[Audience]) -> None:
    """An audience part names an existing audience when its name matches."""
    by_name = {" ".join(a.name.casefold().split()): a.key for a in audiences}
    for part in parts:
        if part.kind == "audience":
            part.audience = by_name.get(" ".join(part.title.casefold().split()), "")
