"""What a Word document is read into: blocks as they stand, parts as guessed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from lib.markdown import first_words

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
class Block:
    """One paragraph of the document as read: a heading, a paragraph or a list item."""

    type: str  # title, heading, paragraph, item
    level: int
    markdown: str
    plain: str
    bold: bool = False  # all its visible text is bold
    lead: str = ""  # the plain text of the bold words it opens with, if any
    size: float = 0.0  # its font size in points, 0 if the document's default
    typed: bool = False  # a heading typed in bold or larger text, not styled


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
