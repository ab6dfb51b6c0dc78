"""A paragraph's runs as Markdown: bold, italic and links are kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
LINE_START_SPECIAL = re.compile(r"^(\s*)([-+#>]|\d+[.)])(\s)")


@dataclass
class Inline:
    """A paragraph's text as Markdown and as plain text, and how it looks."""

    markdown: str
    plain: str
    bold: bool  # all its visible text is bold
    lead: str  # the plain text of its opening bold words, if it has any
    size: float  # the largest font size of its runs in points, 0 if unset


@dataclass
class _Piece:
    text: str
    bold: bool
    italic: bool
    url: str | None
    size: float


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _pieces(paragraph: Paragraph, style_bold: bool) -> list[_Piece]:
    pieces: list[_Piece] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            url = item.url
            runs = item.runs
        else:
            url, runs = None, [item]
        for run in runs:
            r_pr = run._r.rPr  # cheaper than run.font, made anew for every run
            size = r_pr.sz_val if r_pr is not None else None
            pieces.append(
                _Piece(
                    run.text,
                    style_bold if run.bold is None else run.bold,
                    bool(run.italic),
                    url,
                    size.pt if size is not None else 0.0,
                )
            )
    return pieces


def read_inline(paragraph: Paragraph, *, style_bold: bool = False) -> Inline:
    """The paragraph as Markdown, as plain text, and how its text looks; runs
    that say nothing of bold are as bold as the paragraph's style."""
    pieces = _pieces(paragraph, style_bold)
    plain = "".join(piece.text for piece in pieces)
    visible = [piece for piece in pieces if piece.text.strip()]
    all_bold = bool(visible) and all(piece.bold for piece in visible)
    lead = ""
    if visible and visible[0].bold and not all_bold:
        lead = "".join(
            piece.text for piece in _while_bold(pieces) if piece.text
        ).strip()
    # Runs with the same formatting and link are joined before marking them up.
    merged: list[_Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.url) == (
            piece.bold,
            piece.italic,
            piece.url,
        ):
            last.text += piece.text
        else:
            merged.append(_Piece(piece.text, piece.bold, piece.italic, piece.url, 0))
    markdown = "".join(
        _mark(p.text, bold=p.bold and not all_bold, italic=p.italic, url=p.url)
        for p in merged
    )
    markdown = markdown.replace("\n", " ").replace("\t", " ")
    markdown = LINE_START_SPECIAL.sub(r"\1\\\2\3", markdown)
    size = max((piece.size for piece in visible), default=0.0)
    return Inline(markdown, plain.replace("\t", " "), all_bold, lead, size)


def _while_bold(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces up to the first visible one that is not bold."""
    out = []
    for piece in pieces:
        if piece.text.strip() and not piece.bold:
            break
        out.append(piece)
    return out


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
