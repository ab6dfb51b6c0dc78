"""Guessing what each part of a document is, as a reader of it would.

The blocks are taken in order, grouped into units (a heading, a paragraph, a
list of consecutive items), and each heading opens a scope that lasts until a
heading of the same or a higher level. What a unit becomes depends on its
scope, as it does for a person reading the document:

- under a heading about values ("Våra värden", "Værdier", "Values"), the
  headings one level down are values, and so are the items of a list in bold
  and paragraphs that open with a value in bold ("**Respekt.** Vi …",
  "Respekt – vi …"); the lists under a value are its commitments;
- a sentence ending in a colon before a list of sentences names an audience,
  and the list holds its guidelines; so does a heading with no text of its own
  (or, in a scope about guidelines, a heading with a short introduction);
- under a heading about guidelines, a heading with headings under it names
  an audience, and each of those headings is a guideline with its title;
- a heading's own text before its subheadings stays with it;
- a paragraph between two lists of guidelines is a guideline of the same
  audience, and the second list goes on with it; a paragraph after the last
  list goes back to the section around it;
- the document's title, repeated as a heading, is left out, but the text that
  follows it is kept as a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from values.textformat import EXAMPLE_RE, MAX_TITLE, PUBLIC_RE

from .limits import Deadline, no_deadline
from .parts import TEXT_LEVEL, Block, Part, Reading

# Headings that open a scope of values: "Våra värden", "Grundvärderingar",
# "Værdier", "Core values", "Ledord"; not "Värdegrund" or "Værdigrundlag".
VALUES_RE = re.compile(
    r"(?<!\w)(?:\w*värde(?:n|na|ord|orden)|\w*värderingar(?:na)?|\w*værdi(?:er|erne)"
    r"|\w*values|ledord(?:en)?|ledstjärnor(?:na)?|kerneværdi(?:er|erne)?)(?!\w)",
    re.IGNORECASE,
)
# Headings that open a scope of guidelines.
GUIDELINES_RE = re.compile(
    r"riktlinje|retningslinje|guideline|förhållningssätt|forventning|förväntning"
    r"|code of conduct|uppförande|adfærd",
    re.IGNORECASE,
)
LEGAL_RE = re.compile(r"§|\blag(en)?\b|\blov(en)?\b|paragraf|\bact\b", re.IGNORECASE)
# "Respekt – vi …": a value named before a dash.
NAMED_RE = re.compile(r"^(?P<name>[^–—.:]{1,40}?)\s+[–—-]\s+(?P<rest>\S.*)$")
# At least this many words make a list item a sentence, such as a guideline.
SENTENCE_WORDS = 6
# A value's name is a few words.
NAME_WORDS = 5
# A value named before a dash, without bold, is named in fewer.
NAMED_WORDS = 3


@dataclass
class _Unit:
    type: str  # title, heading, paragraph, list
    blocks: list[Block]

    @property
    def first(self) -> Block:
        return self.blocks[0]

    @property
    def top(self) -> int:
        return min(block.level for block in self.blocks)

    @property
    def heads(self) -> list[Block]:
        """The items at the list's top level."""
        top = self.top
        return [block for block in self.blocks if block.level == top]


@dataclass
class _Scope:
    """A heading and what is under it, until the next of its level or higher."""

    level: int
    part: Part | None
    values: bool = False  # its subheadings and bold lists are values
    guidelines: bool = False  # a short introduction still leads to guidelines
    value: bool = False  # the heading is a value: its lists are commitments
    subheadings: bool = False


def _units(blocks: list[Block]) -> list[_Unit]:
    units: list[_Unit] = []
    for block in blocks:
        if block.type == "item" and units and units[-1].type == "list":
            units[-1].blocks.append(block)
        else:
            kind = "list" if block.type == "item" else block.type
            units.append(_Unit(kind, [block]))
    return units


def _is_sentence_list(unit: _Unit) -> bool:
    """Most items are sentences, and not all of them open with a name in bold
    (a list of laws or terms, each explained, is text)."""
    heads = unit.heads
    if all(b.lead for b in heads):
        return False
    sentences = [b for b in heads if len(b.plain.split()) >= SENTENCE_WORDS]
    return len(sentences) * 2 >= len(heads)


def _named(block: Block) -> tuple[str, str] | None:
    """(name, rest) of a paragraph or item that opens with a value's name."""
    if block.lead and len(block.lead.split()) <= NAME_WORDS:
        name = block.lead.strip().rstrip(".:–—-").strip()
        rest = block.plain.strip()[len(block.lead) :].lstrip(" .:–—-")
        if name and rest:
            return name, _after_lead(block.markdown, rest)
    match = NAMED_RE.match(block.plain.strip())
    if match and len(match["name"].split()) <= NAMED_WORDS:
        return match["name"].strip(), _after_lead(block.markdown, match["rest"])
    return None


def _after_lead(markdown: str, rest: str) -> str:
    """The Markdown of the text after a lead-in, its first letter a capital."""
    index = markdown.find(rest[:12]) if rest else -1
    text = markdown[index:] if index >= 0 else rest
    return text[:1].upper() + text[1:]


def _is_name(block: Block) -> bool:
    """A value's name on a line of its own, in bold."""
    return block.bold and len(block.plain.split()) <= NAME_WORDS


def _is_value_list(unit: _Unit) -> bool:
    """Values in a list: it opens with a name in bold (the items after each
    name, nested or not, are its commitments), or every top item opens with
    a name."""
    heads = unit.heads
    if _is_name(heads[0]):
        return True
    return all(_named(b) is not None for b in heads)


def _about_values(unit: _Unit | None) -> bool:
    """A paragraph about values: "Våra värden är:", "Vores fire værdier er:"."""
    return (
        unit is not None
        and unit.type == "paragraph"
        and VALUES_RE.search(unit.first.plain) is not None
    )


def _nested_markdown(blocks: list[Block], top: int) -> str:
    return "\n".join(
        "  " * (block.level - top) + "- " + block.markdown for block in blocks
    )


def _children(unit: _Unit) -> list[tuple[Block, list[Block]]]:
    """Each top item of the list with the items nested under it."""
    out: list[tuple[Block, list[Block]]] = []
    top = unit.top
    for block in unit.blocks:
        if block.level == top:
            out.append((block, []))
        elif out:
            out[-1][1].append(block)
    return out


@dataclass
class _Guesser:
    title: str
    parts: list[Part] = field(default_factory=list)
    scopes: list[_Scope] = field(default_factory=list)
    # Where text read now goes, and whether a list of parts came just before.
    current: Part | None = None
    after: str = ""  # "guidelines", "commitments" or "values" after such a list
    audience: Part | None = None  # the audience a list of guidelines goes on with
    titled: Part | None = None  # the last part that is the document's title
    flat_values: int | None = None  # the level of headings read as values
    # Text added to a part is collected and joined once at the end: joining
    # it paragraph by paragraph copies the part's text each time, which takes
    # time quadratic in the text of a long part.
    added: dict[int, list[str]] = field(default_factory=dict)

    @property
    def scope(self) -> _Scope | None:
        return self.scopes[-1] if self.scopes else None

    def add(self, part: Part, more: str) -> None:
        self.added.setdefault(id(part), []).append(more)

    def has_text(self, part: Part) -> bool:
        return bool(part.text or self.added.get(id(part)))

    def new(self, part: Part) -> Part:
        self.parts.append(part)
        self.current = part
        self.after = ""
        return part

    # Units

    def title_unit(self, block: Block) -> None:
        self.title = self.title or block.plain
        self.titled = self.new(Part("skip", block.plain, origin="title", level=0))
        self.scopes = []

    def heading(self, block: Block) -> None:
        name = block.plain.rstrip(":").strip()
        if self.title and name == self.title.rstrip(":").strip():
            self.titled = self.new(Part("skip", name, origin="title", level=0))
            self.scopes, self.flat_values = [], None
            return
        self.note_flat_values(block.level)
        while self.scopes and self.scopes[-1].level >= block.level:
            self.scopes.pop()
        outer = self.scope
        if outer is not None:
            outer.subheadings = True
        origin = (
            "bold" if block.typed and block.level >= 9 else f"heading:{block.level}"
        )
        part = self.new(Part("section", name, origin=origin, level=block.level))
        scope = _Scope(block.level, part)
        flat = self.flat_values == block.level
        if GUIDELINES_RE.search(name) or (outer is not None and outer.guidelines):
            scope.guidelines = True
            self.flat_values = None
        elif VALUES_RE.search(name):
            scope.values = True  # a heading about values is not one of them
            self.flat_values = None
        elif (flat or (outer is not None and outer.values)) and not LEGAL_RE.search(
            name
        ):
            part.kind = "value"
            scope.value = True
        if self.titled_guideline(outer):
            # "Etiska riktlinjer" > "Medarbetare" > "Bemötande": the heading
            # between names the audience, the headings under it are guidelines
            # with their titles (how the product's own export lays them out).
            assert outer is not None and outer.part is not None
            outer.part.kind = "audience"
            part.kind = "guideline"
        self.scopes.append(scope)

    def titled_guideline(self, outer: _Scope | None) -> bool:
        """A heading two levels into a scope about guidelines, under a heading
        that is a section or already an audience."""
        return (
            outer is not None
            and outer.guidelines
            and len(self.scopes) >= 2
            and self.scopes[-2].guidelines
            and outer.part is not None
            and outer.part.kind in ("section", "audience")
        )

    def note_flat_values(self, level: int) -> None:
        """A heading about values with nothing under it, followed by headings of
        its own level: those headings are the values, as if one level down, until
        a heading about guidelines or values, or one of a higher level."""
        last = self.scopes[-1] if self.scopes else None
        if (
            last is not None
            and last.level == level
            and last.values
            and last.part is self.current
            and last.part is not None
            and not self.has_text(last.part)
        ):
            self.flat_values = level
        elif self.flat_values is not None and level < self.flat_values:
            self.flat_values = None

    def paragraph(self, block: Block, following: _Unit | None) -> None:
        scope = self.scope
        next_list = following is not None and following.type == "list"
        in_values = scope is not None and scope.values
        if (
            block.plain.endswith(":")
            and next_list
            and following is not None
            and not (
                (in_values or VALUES_RE.search(block.plain))
                and _is_value_list(following)
            )
            and not (scope is not None and scope.value)
            and _is_sentence_list(following)
        ):
            name = block.plain.rstrip(":").strip()
            self.new(
                Part("audience", name, block.markdown, "lead-in", level=TEXT_LEVEL)
            )
            return
        named = _named(block) if in_values else None
        if named is not None:
            self.new(Part("value", named[0], named[1], "text", level=TEXT_LEVEL))
            self.after = "value"
            return
        if (
            EXAMPLE_RE.match(block.plain) or PUBLIC_RE.match(block.plain)
        ) and self.after == "guidelines":
            # The guideline's example, or the line marking it public.
            self.add(self.parts[-1], block.markdown)
            return
        if (
            self.after == "guidelines"
            and following is not None
            and following.type == "list"
            and _is_sentence_list(following)
            and self.audience is not None
        ):
            # Between two lists of guidelines for one audience.
            self.new(Part("guideline", "", block.markdown, "text"))
            self.after = "guidelines"
            return
        self.add(self.home(), block.markdown)

    def home(self) -> Part:
        """The part text goes to: the current one, or after a list of parts the
        section around it."""
        if self.current is not None and self.after in ("", "value"):
            return self.current
        for scope in reversed(self.scopes):
            if scope.part is not None and scope.part.kind in ("section", "skip"):
                self.current, self.after = scope.part, ""
                return scope.part
        if self.titled is not None:
            self.current, self.after = self.titled, ""
            return self.titled
        return self.new(Part("skip", "", level=TEXT_LEVEL))

    def list_unit(self, unit: _Unit, previous: _Unit | None) -> None:
        scope = self.scope
        current = self.current
        if current is not None and current.kind == "value" and self.after != "":
            return self.commitments(unit)
        if scope is not None and scope.value and current is scope.part:
            return self.commitments(unit)
        in_values = scope is not None and scope.values
        if (in_values or _about_values(previous)) and _is_value_list(unit):
            if scope is not None:
                scope.values = False  # the values are read; what follows is not
            return self.values(unit)
        if self.introduces_guidelines(unit):
            return self.guidelines(unit)
        self.add(self.home(), _nested_markdown(unit.blocks, unit.top))

    def introduces_guidelines(self, unit: _Unit) -> bool:
        if not _is_sentence_list(unit):
            return False
        current, scope = self.current, self.scope
        if self.after == "guidelines" and self.audience is not None:
            return True  # a paragraph between lists came before
        if self.after or current is None:
            return False
        if current.kind == "audience":
            return True
        if current.kind == "guideline":
            return False  # a list in a titled guideline's text
        heading = scope is not None and current is scope.part
        if not heading or current.level >= TEXT_LEVEL:
            return False
        return not self.has_text(current) or (scope is not None and scope.guidelines)

    def guidelines(self, unit: _Unit) -> None:
        current = self.current
        if self.after == "guidelines" and self.audience is not None:
            audience = self.audience
        else:
            assert current is not None
            audience = current
            audience.kind = "audience"
        for head, below in _children(unit):
            text = head.markdown
            if below:
                text += "\n" + _nested_markdown(below, unit.top)
            self.parts.append(Part("guideline", "", text, origin="item"))
        self.current, self.after, self.audience = None, "guidelines", audience

    def commitments(self, unit: _Unit) -> None:
        for head, below in _children(unit):
            text = head.markdown
            if below:
                text += "\n" + _nested_markdown(below, unit.top)
            self.parts.append(Part("commitment", "", text, origin="item"))
        self.after = "commitments"

    def values(self, unit: _Unit) -> None:
        top, by_name = unit.top, _is_name(unit.heads[0])
        for block in unit.blocks:
            if block.level == top and _is_name(block):
                name = block.plain.rstrip(".:").strip()
                self.parts.append(Part("value", name, origin="item"))
            elif block.level == top and not by_name:
                named = _named(block) or (block.plain, "")
                self.parts.append(Part("value", named[0], named[1], origin="item"))
            else:
                self.parts.append(Part("commitment", "", block.markdown, "item"))
        self.current, self.after = None, "values"

    # The whole document

    def read(self, units: list[_Unit], deadline: Deadline) -> None:
        for index, unit in enumerate(units):
            deadline.check()
            following = units[index + 1] if index + 1 < len(units) else None
            if unit.type == "title":
                self.title_unit(unit.first)
            elif unit.type == "heading":
                self.heading(unit.first)
            elif unit.type == "paragraph":
                self.paragraph(unit.first, following)
            else:
                self.list_unit(unit, units[index - 1] if index else None)
        for part in self.parts:
            if id(part) in self.added:
                part.text = _join_all([part.text, *self.added[id(part)]])
        _settle(self.parts)


def guess(
    blocks: list[Block], *, title: str = "", deadline: Deadline | None = None
) -> Reading:
    """Parts from the blocks of a document, each with a guess of its kind."""
    guesser = _Guesser(title=title.strip())
    guesser.read(_units(blocks), deadline or no_deadline())
    title = guesser.title or next((p.title for p in guesser.parts if p.title), "")
    return Reading(title=title[:MAX_TITLE], parts=guesser.parts)


def _settle(parts: list[Part]) -> None:
    """What headings are once their text is known: a heading with no text is
    left out (it groups the headings under it), a heading about a law is a
    legal basis, and the document's title with text of its own is a section."""
    for part in parts:
        if part.origin == "title":
            if _more_than_a_line(part.text):
                part.kind = "section"
            continue
        if part.level >= TEXT_LEVEL or part.kind not in ("section", "value"):
            continue
        if not part.text and part.kind == "section":
            part.kind = "skip"  # a heading that groups the headings under it
        elif LEGAL_RE.search(part.title) or "§" in part.text[:40]:
            part.kind = "legal" if part.text else "skip"


def _more_than_a_line(text: str) -> bool:
    """More than a subtitle: a sentence, or more than one line."""
    text = text.strip()
    return bool(text) and ("\n" in text or text.endswith((".", "!", "?", ":")))


def _join_all(texts: list[str]) -> str:
    """The texts joined by blank lines, leaving out empty ones before the first."""
    first = next((index for index, text in enumerate(texts) if text), len(texts))
    return "\n\n".join(texts[first:])
