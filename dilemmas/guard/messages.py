"""Messages that say where an identifier is, without repeating it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from .kinds import SENTENCES, IdentifierMatch

_CONTEXT_WORDS = 4
_CONTEXT_CHARS = 40
# Context is looked for this far from a match, however long the line.
_CONTEXT_WINDOW = 200


def _masked(text: str, start: int, end: int, ordered: list[IdentifierMatch]) -> str:
    """text[start:end] with every identifier in it replaced by "[…]".

    `ordered` is sorted by position and never overlaps itself.
    """
    pieces, position = [], start
    first = bisect.bisect_right(ordered, start, key=lambda m: m.end)
    for m in (ordered[i] for i in range(first, len(ordered))):
        if m.start >= end:
            break
        if m.end <= start:
            continue
        pieces.append(text[position : max(m.start, position)])
        pieces.append("[…]")
        position = max(position, min(m.end, end))
    pieces.append(text[position:end])
    return "".join(pieces)


def _context(words: list[str], *, from_end: bool, more: bool) -> str:
    chosen = words[-_CONTEXT_WORDS:] if from_end else words[:_CONTEXT_WORDS]
    snippet = " ".join(chosen)
    if len(snippet) > _CONTEXT_CHARS:
        snippet = (
            snippet[-_CONTEXT_CHARS:].lstrip()
            if from_end
            else snippet[:_CONTEXT_CHARS].rstrip()
        )
        chosen = []  # cut: always mark it
    if more or len(chosen) < len(words):
        snippet = f"…{snippet}" if from_end else f"{snippet}…"
    return snippet


def _excerpt(piece: str, *, from_end: bool, more: bool) -> str:
    """The end (or start) of `piece` nearest the match, cut at a space, as it
    stands in the text."""
    if len(piece) > _CONTEXT_CHARS:
        piece = piece[-_CONTEXT_CHARS:] if from_end else piece[:_CONTEXT_CHARS]
        space = piece.find(" ") if from_end else piece.rfind(" ")
        if space > 0:
            piece = piece[space + 1 :] if from_end else piece[:space]
        more = True
    if more and piece.strip():
        piece = f"…{piece}" if from_end else f"{piece}…"
    return piece


@dataclass(frozen=True)
class Place:
    """One identifier found: the message saying where, and an excerpt of the
    text around it (other identifiers in the excerpt masked) to mark it in."""

    message: str
    before: str
    found: str
    after: str


def describe(text: str, matches: list[IdentifierMatch]) -> list[str]:
    """One message per match, saying where it is without repeating it."""
    return [place.message for place in places(text, matches)]


def places(text: str, matches: list[IdentifierMatch]) -> list[Place]:
    """One place per match: where it is, and the words around it."""
    ordered = sorted(matches, key=lambda m: m.start)
    line_breaks = [m.start() for m in re.finditer("\n", text)]
    found = []
    for match in matches:
        line = bisect.bisect_left(line_breaks, match.start)
        line_start = line_breaks[line - 1] + 1 if line else 0
        line_end = line_breaks[line] if line < len(line_breaks) else len(text)
        place: dict[str, int | str] = {
            "line": line + 1,
            "first": match.start - line_start + 1,
            "last": match.end - line_start,
        }
        since = max(line_start, match.start - _CONTEXT_WINDOW)
        until = min(line_end, match.end + _CONTEXT_WINDOW)
        before = _masked(text, since, match.start, ordered).split()
        after = _masked(text, match.end, until, ordered).split()
        if before:
            place["context"] = _context(before, from_end=True, more=since > line_start)
            where = gettext(
                "line %(line)d, characters %(first)d–%(last)d (after “%(context)s”)"
            )
        elif after:
            place["context"] = _context(after, from_end=False, more=until < line_end)
            where = gettext(
                "line %(line)d, characters %(first)d–%(last)d (before “%(context)s”)"
            )
        else:
            where = gettext("line %(line)d, characters %(first)d–%(last)d")
        found.append(
            Place(
                message=str(SENTENCES[match.kind]) % {"place": where % place},
                before=_excerpt(
                    _masked(text, since, match.start, ordered),
                    from_end=True,
                    more=since > line_start,
                ),
                found=text[match.start : match.end],
                after=_excerpt(
                    _masked(text, match.end, until, ordered),
                    from_end=False,
                    more=until < line_end,
                ),
            )
        )
    return found
