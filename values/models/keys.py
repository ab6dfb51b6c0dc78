"""Keys of the value base's items: stable across versions, made from titles."""

from __future__ import annotations

import re

from django.utils.text import slugify

# Letters that Unicode does not decompose into a base letter and a mark; the
# others (å, ä, ö, é, ü…) lose their marks in slugify().
TRANSLITERATION = str.maketrans(
    {"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ß": "ss", "đ": "d", "ł": "l"}
)
# Keys as they have always been written; kept exactly as given.
PLAIN_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KEY_BASE_LENGTH = 60


def key_from(text: str) -> str:
    """A key made from a title or a key in any letters: "Chefer på enheten" ->
    "chefer-pa-enheten". Empty when nothing in it is a letter a-z or a digit."""
    if PLAIN_KEY_RE.match(text):
        return text
    return slugify(text.translate(TRANSLITERATION))[:KEY_BASE_LENGTH].strip("-_")


def unique_key(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not taken yet."""
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key
