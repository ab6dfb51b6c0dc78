"""How hard a text is to read: Björnsson's LIX, with sentence and word length.

LIX = words / sentences + 100 * long words / words, where a long word has more
than six letters. It was made for Swedish and is used for Danish alike; for
English it is only a rough guide. The bands are the usual ones:

    under 25  very easy      (children's books)
    25-30     easy           (easy-read texts, fiction)
    30-40     medium         (newspapers)
    40-50     hard           (official texts)
    50-60     very hard      (specialist texts)
    60 and up extremely hard (legal and academic prose)

A word is a run of letters and digits (with inner hyphens and apostrophes);
a sentence ends at ".", "!", "?", ":" or ";" followed by space or the end, or
at a blank line. A text with words and no such mark is one sentence.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

LONG_WORD = 6

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# The end of a sentence: a stop and then space or the end; or a paragraph break.
_SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)|\n\s*\n")


class Band(enum.Enum):
    VERY_EASY = "very_easy"
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    VERY_HARD = "very_hard"
    EXTREMELY_HARD = "extremely_hard"


# The lower limit of each band, easiest first.
BANDS: tuple[tuple[float, Band], ...] = (
    (0, Band.VERY_EASY),
    (25, Band.EASY),
    (30, Band.MEDIUM),
    (40, Band.HARD),
    (50, Band.VERY_HARD),
    (60, Band.EXTREMELY_HARD),
)


def band_of(lix: float) -> Band:
    found = Band.VERY_EASY
    for lower, band in BANDS:
        if lix >= lower:
            found = band
    return found


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    long_words: int
    letters: int

    @property
    def lix(self) -> float:
        if not self.words:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words

    @property
    def band(self) -> Band:
        return band_of(self.lix)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def letters_per_word(self) -> float:
        return self.letters / self.words if self.words else 0.0

    @property
    def is_empty(self) -> bool:
        return self.words == 0


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def _letters(word: str) -> int:
    return sum(1 for character in word if character.isalnum())


def sentences_of(text: str) -> int:
    """How many sentences hold at least one word."""
    count = 0
    for part in _SENTENCE_END.split(text):
        if _WORD.search(part):
            count += 1
    return count


def measure(text: str) -> Readability:
    words = words_of(text)
    letters = [_letters(word) for word in words]
    return Readability(
        words=len(words),
        sentences=sentences_of(text) if words else 0,
        long_words=sum(1 for n in letters if n > LONG_WORD),
        letters=sum(letters),
    )
