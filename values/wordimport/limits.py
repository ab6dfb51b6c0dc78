"""What a Word import accepts, and the time a reading may take.

The reading looks these up on this module when it runs (`limits.MAX_PARTS`),
so that a test or a benchmark may change one for a while.
"""

from __future__ import annotations

import time

from django.utils.translation import gettext as _

# A value base is a few pages; Word files with a logo or two stay far below.
MAX_DOCX_BYTES = 10 * 1024 * 1024
# What the parts of the file may unpack to: a guard against "zip bombs".
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Every part is a row of the preview form; Django accepts 1000 fields a request.
MAX_PARTS = 180
# Far more than any value base has (a long one has a few hundred), and what
# reads in a few seconds: see bench/word_import.py.
MAX_PARAGRAPHS = 20_000
# A request never reads a document for longer than this: a file made to be
# slow to read is refused instead of holding a web worker for minutes.
TIME_BUDGET_SECONDS = 10.0


class WordError(Exception):
    """The upload is not a Word document that can be read; the message says why."""


class Deadline:
    """The time a reading may take, checked inside its loops."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise WordError(
                _(
                    "The document is too complex to be read in time. Import it in "
                    "smaller parts, or save it again from Word without tables and "
                    "text boxes, and upload that file."
                )
            )


def no_deadline() -> Deadline:
    """A deadline that is never reached, for reading outside a request."""
    return Deadline(float("inf"))
