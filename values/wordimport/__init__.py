"""A value base kept in Word (.docx) read into parts that become a draft.

- `reading` opens the file within its limits (`limits`) and reads its
  paragraphs into blocks: headings from their styles, their outline level, or
  from bold or larger text; list items with their level; the Markdown of
  their text (`inline`) and the styles behind them (`styles`);
- `guessing` reads the blocks as a person would and guesses what each part
  is: a section, a legal basis, a value and its commitments, an audience and
  its guidelines, or something to leave out;
- the editor sees the parts, may change the kind of any of them, and
  `building.build_document()` makes a text-format `Document` of the result,
  which `textformat.save_draft()` saves like any imported file.
"""

from __future__ import annotations

from . import limits
from .building import build_document
from .guessing import guess
from .limits import (
    MAX_DOCX_BYTES,
    MAX_PARAGRAPHS,
    MAX_PARTS,
    MAX_UNPACKED_BYTES,
    TIME_BUDGET_SECONDS,
    WordError,
)
from .parts import KIND_CHOICES, KINDS, Block, Part, Reading
from .reading import check_file, read_blocks, read_docx

__all__ = [
    "KINDS",
    "KIND_CHOICES",
    "MAX_DOCX_BYTES",
    "MAX_PARAGRAPHS",
    "MAX_PARTS",
    "MAX_UNPACKED_BYTES",
    "TIME_BUDGET_SECONDS",
    "Block",
    "Part",
    "Reading",
    "WordError",
    "build_document",
    "check_file",
    "guess",
    "limits",
    "read_blocks",
    "read_docx",
]
