"""One version of the value base as a Word document (.docx), with its formatting.

The texts' Markdown (emphasis, strong emphasis, lists, nested lists, links) is
written as Word formatting: bold and italic runs, bulleted lists by level and
hyperlinks, never as the characters that mark it up.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import docx
from django.utils import formats
from django.utils.translation import gettext as _
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from guidelines.models import by_audience
from lib.markdown import parse_tokens

from .models import Version
from .textformat import EASY_READ_MARKERS, EXAMPLE_MARKERS, PUBLIC_MARKERS

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph
    from markdown_it.token import Token

# Word's own list styles, by depth; deeper lists use the last.
LIST_STYLES = ["List Bullet", "List Bullet 2", "List Bullet 3"]


def export_docx(version: Version) -> bytes:
    # The lines that mark an example, an easy-read text and a public guideline
    # are written in the organisation's language, which import reads back.
    language = version.value_base.organisation.language
    document = docx.Document()
    document.core_properties.title = version.title
    document.add_paragraph(version.title, style="Title")
    if not version.is_draft:
        document.add_paragraph(_adoption(version), style="Subtitle")
    for section in version.sections.all():
        document.add_heading(section.title, level=1)
        add_markdown(document, section.body)
    legal_bases = list(version.legal_bases.all())
    if legal_bases:
        document.add_heading(_("Legal basis"), level=1)
        for basis in legal_bases:
            heading = basis.law + (f", {basis.reference}" if basis.reference else "")
            document.add_heading(heading, level=2)
            add_markdown(document, basis.text)
    values = list(version.values.prefetch_related("commitments"))
    if values:
        document.add_heading(_("Core values"), level=1)
        for value in values:
            document.add_heading(value.title, level=2)
            add_markdown(document, value.description)
            if value.easy_read:
                _label(document, EASY_READ_MARKERS, language)
                add_markdown(document, value.easy_read)
            for commitment in value.commitments.all():
                add_markdown(document, commitment.text, list_level=0)
    guidelines = version.guidelines.select_related("audience")
    lead_ins = version.lead_ins.select_related("audience")
    groups = by_audience(guidelines, lead_ins)
    if groups:
        document.add_heading(_("Ethical guidelines"), level=1)
    for audience, lead_in, items in groups:
        document.add_heading(audience.name, level=2)
        if lead_in is not None:
            add_markdown(document, lead_in.text)
        for guideline in items:
            if guideline.title:
                document.add_heading(guideline.title, level=3)
                add_markdown(document, guideline.text)
            else:
                add_markdown(document, guideline.text, list_level=0)
            if guideline.example:
                _label(document, EXAMPLE_MARKERS, language)
                add_markdown(document, guideline.example)
            if guideline.public:
                _label(document, PUBLIC_MARKERS, language)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _label(document: Document, markers: dict[str, str], language: str) -> None:
    label = document.add_paragraph()
    label.add_run(markers.get(language, markers["en"])).italic = True


def _adoption(version: Version) -> str:
    # Asked for versions that are no drafts, and those carry their dates.
    assert version.adopted_on is not None and version.effective_from is not None
    return _(
        "Version %(number)s, adopted on %(adopted_on)s by %(body)s, in force from "
        "%(start)s."
    ) % {
        "number": version.number,
        "adopted_on": formats.date_format(version.adopted_on, "DATE_FORMAT"),
        "body": version.adopted_by,
        "start": formats.date_format(version.effective_from, "DATE_FORMAT"),
    }


def add_markdown(
    document: Document, text: str, *, list_level: int | None = None
) -> None:
    """Paragraphs for a Markdown text; with `list_level`, the text is one list
    item at that level (a commitment, an untitled guideline)."""
    depth = -1 if list_level is None else list_level
    paragraph = None
    first_in_item = list_level is not None
    for token in parse_tokens(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            first_in_item = True
        elif token.type == "inline":
            if depth >= 0 and first_in_item:
                style = LIST_STYLES[min(depth, len(LIST_STYLES) - 1)]
                paragraph = document.add_paragraph(style=style)
                first_in_item = False
            else:
                paragraph = document.add_paragraph()
            _add_inline(paragraph, token.children or [])


def _add_inline(paragraph: Paragraph, children: Sequence[Token]) -> None:
    bold = italic = 0
    url: str | None = None
    link_runs: list[tuple[str, bool, bool]] = []
    for child in children:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "em_open":
            italic += 1
        elif child.type == "em_close":
            italic -= 1
        elif child.type == "link_open":
            href = child.attrGet("href")  # markdown-it keeps attributes as text
            url, link_runs = (None if href is None else str(href)), []
        elif child.type == "link_close":
            _hyperlink(paragraph, url, link_runs)
            url = None
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break()
        elif child.type in ("text", "code_inline"):
            if url is not None:
                link_runs.append((child.content, bold > 0, italic > 0))
                continue
            run = paragraph.add_run(child.content)
            run.bold = bold > 0 or None
            run.italic = italic > 0 or None


def _hyperlink(
    paragraph: Paragraph, url: str | None, runs: list[tuple[str, bool, bool]]
) -> None:
    if not url:
        for text, bold, italic in runs:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold or None, italic or None
        return
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    for text, bold, italic in runs:
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "Hyperlink")
        properties.append(style)
        if bold:
            properties.append(OxmlElement("w:b"))
        if italic:
            properties.append(OxmlElement("w:i"))
        run.append(properties)
        element = OxmlElement("w:t")
        element.text = text
        element.set(qn("xml:space"), "preserve")
        run.append(element)
        hyperlink.append(run)
    paragraph._p.append(hyperlink)
