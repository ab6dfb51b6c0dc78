"""Paragraph styles, worked out once per style, and the levels they give.

python-docx finds a paragraph's style, its default and the style it is based
on by searching all the document's styles each time; a document has a few
dozen styles and thousands of paragraphs, so what the reading needs of a style
is worked out once per style here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph

HEADING_STYLE_RE = re.compile(r"^(?:heading|rubrik|overskrift)\s*(\d)$", re.IGNORECASE)
LIST_STYLE_RE = re.compile(r"^list(?:\s+\w+)*?(?:\s+(\d))?$", re.IGNORECASE)

# python-docx's XML elements carry no types.
Element = Any


@dataclass
class Style:
    """What the reading needs of a paragraph style and the styles it is based on."""

    name: str | None
    heading: int | None  # from the name of a style in its chain
    outline: tuple[str | None] | None  # (w:val,) of the first w:outlineLvl
    numbering: tuple[str | None, str | None] | None  # (numId, ilvl) of the first
    list_named: bool  # a style in the chain is named "List …"
    list_level: int  # from the style's own name, "List Bullet 2" is 1
    size: float  # the font size the chain sets in points, 0 if none
    bold: bool  # the chain makes the text bold

    @property
    def is_title(self) -> bool:
        return (self.name or "").lower() in ("title", "titel")

    @property
    def is_subtitle(self) -> bool:
        return (self.name or "").lower() in ("subtitle", "undertitel")


class Styles:
    """The paragraph styles of one document, each worked out once."""

    def __init__(self, document: Any) -> None:
        self._by_id: dict[str, Element] = {}
        self._default: Element = None
        for element in document.styles.element.iterchildren(qn("w:style")):
            style_id = element.styleId
            if style_id is not None and style_id not in self._by_id:
                self._by_id[style_id] = element
            if element.type == WD_STYLE_TYPE.PARAGRAPH and element.default:
                self._default = element  # Word takes the last default.
        self._styles: dict[str | None, Style | None] = {}

    def of(self, paragraph: Paragraph) -> Style | None:
        """The paragraph's style, as `paragraph.style` finds it."""
        style_id: str | None = paragraph._p.style
        if style_id not in self._styles:
            element = self._by_id.get(style_id) if style_id else None
            if element is None or element.type != WD_STYLE_TYPE.PARAGRAPH:
                element = self._default
            self._styles[style_id] = self._work_out(element)
        return self._styles[style_id]

    def _chain(self, element: Element) -> Iterator[Element]:
        """The style and those it is based on; a loop of styles ends the chain."""
        seen = set()
        while element is not None and id(element) not in seen:
            seen.add(id(element))
            yield element
            based_on = element.basedOn
            element = self._by_id.get(based_on.val) if based_on is not None else None

    def _work_out(self, element: Element) -> Style | None:
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
        outline: tuple[str | None] | None = next(
            (
                found
                for style in chain
                if (found := own_p_pr_value(style, "w:outlineLvl")) is not None
            ),
            None,
        )
        numbering: tuple[str | None, str | None] | None = next(
            (num for style in chain if (num := own_num_pr(style)) is not None),
            None,
        )
        size: float = next((pt for style in chain if (pt := _own_size(style))), 0.0)
        bold = next(
            (b for style in chain if (b := _own_bold(style)) is not None), False
        )
        match = LIST_STYLE_RE.match(names[0] or "")
        return Style(
            name=names[0],
            heading=heading,
            outline=outline,
            numbering=numbering,
            list_named=any((name or "").lower().startswith("list") for name in names),
            list_level=int(match[1]) - 1 if match and match[1] else 0,
            size=size,
            bold=bold,
        )


def _ui_name(element: Element) -> str | None:
    name: str | None = element.name_val
    return None if name is None else str(BabelFish.internal2ui(name))


def _own_size(element: Element) -> float:
    """The font size a style sets itself, in points (w:sz is in half points)."""
    r_pr = element.find(qn("w:rPr"))
    size = r_pr.find(qn("w:sz")) if r_pr is not None else None
    value = size.get(qn("w:val")) if size is not None else None
    if value and value.isascii() and value.isdigit():
        return int(value) / 2
    return 0.0


def _own_bold(element: Element) -> bool | None:
    """Whether a style sets its text in bold itself, or None if it says nothing."""
    r_pr = element.find(qn("w:rPr"))
    found = r_pr.find(qn("w:b")) if r_pr is not None else None
    if found is None:
        return None
    return found.get(qn("w:val")) not in ("0", "false", "off")


def own_p_pr_value(element: Element, tag: str) -> tuple[str | None] | None:
    """(w:val,) of a paragraph property set on this element itself, else None."""
    p_pr = element.find(qn("w:pPr"))
    if p_pr is None:
        return None
    found = p_pr.find(qn(tag))
    return None if found is None else (found.get(qn("w:val")),)


def own_num_pr(element: Element) -> tuple[str | None, str | None] | None:
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


def heading_level(paragraph: Paragraph, style: Style | None) -> int | None:
    if style is not None and style.heading is not None:
        return style.heading
    found = own_p_pr_value(paragraph._p, "w:outlineLvl")
    if found is None and style is not None:
        found = style.outline
    outline = found[0] if found is not None else None
    if outline and outline.isascii() and outline.isdigit() and int(outline) < 9:
        return int(outline) + 1
    return None


def list_level(paragraph: Paragraph, style: Style | None) -> int | None:
    numbering = own_num_pr(paragraph._p)
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
