"""The Markdown subset of value-base texts, as safe HTML and as plain text.

Texts may use emphasis, strong emphasis, lists (nested too) and links; anything
else (headings, raw HTML, images, code) is shown as the characters typed. The
parser is markdown-it (CommonMark) with only those rules switched on, and its
output goes through nh3, an HTML sanitiser, so that whatever the parser lets
through, only these tags, and links to web and mail addresses, reach a page.
"""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

RULES = ["list", "emphasis", "link", "autolink", "escape", "newline", "entity"]
TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


@functools.cache
def _parser() -> MarkdownIt:
    # A single line break is kept as one, as the texts were written line by line.
    return MarkdownIt("zero", {"breaks": True}).enable(RULES)


def parse_tokens(text: str) -> list[Token]:
    """The text as markdown-it tokens, for writers of other formats (Word)."""
    return _parser().parse(text or "")


def to_html(text: str) -> str:
    """Sanitised HTML of a text; safe to put in a page as it is."""
    if not text:
        return ""
    return nh3.clean(
        _parser().render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def to_plain(text: str) -> str:
    """The words of a text without its markup, for excerpts and comparisons.

    Paragraphs and list items end up on lines of their own.
    """
    if not text:
        return ""
    lines: list[str] = []
    current: list[str] = []
    for token in _parser().parse(text):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    current.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    current.append("\n")
        elif token.type in ("paragraph_close", "list_item_close") and current:
            lines.append("".join(current))
            current = []
    if current:
        lines.append("".join(current))
    return "\n".join(lines)


def first_words(text: str, words: int = 8) -> str:
    """The first words of a text's plain form, with an ellipsis if cut."""
    plain = " ".join(to_plain(text).split())
    parts = plain.split(" ")
    if len(parts) <= words:
        return plain
    return " ".join(parts[:words]) + "…"
