"""One version of a value base as a plain-text file, and back.

The format is Markdown with a small front-matter header; docs/value-base-format.md
describes it for the people who write such files by hand. In short:

    ---
    format: etikrum-value-base 1
    title: Vår värdegrund
    ---

    ## section background: Bakgrund
    ## legal sol-1-1: Socialtjänstlagen | 1 kap. 1 §
    ## value dignity: Människors lika värde  (Lättläst:, commitments: "- [key] text")
    ## audience clients: I mötet med brukare
    ## guideline respect: Bemötande          (audience:, values:, public:, Example:)

`export_version()` writes a version (export.py), `parse()` reads a file into a
`Document` (parse.py, the header in header.py; it collects every error it can,
each with its line number) and `import_draft()` saves a parsed file as a new
draft (save.py); document.py holds the parsed items and the format's names and
limits.
`render(parse(export_version(v)))` gives the exported text back unchanged, so
export followed by import reproduces a version.
"""

from __future__ import annotations

from .document import (
    EASY_READ_MARKERS,
    EASY_READ_RE,
    EXAMPLE_MARKERS,
    EXAMPLE_RE,
    FORMAT,
    FORMAT_VERSION,
    KINDS,
    MAX_AUDIENCE_KEY,
    MAX_BYTES,
    MAX_KEY,
    MAX_REFERENCE,
    MAX_TITLE,
    PUBLIC_MARKERS,
    PUBLIC_RE,
    AudienceItem,
    CommitmentItem,
    Document,
    FormatError,
    GuidelineItem,
    LegalItem,
    SectionItem,
    ValueItem,
    marker_text,
)
from .export import document_from_version, export_version, render
from .parse import decode, parse, parse_bytes, validate
from .save import import_draft, match_keys, save_draft

__all__ = [
    "EASY_READ_MARKERS",
    "EASY_READ_RE",
    "EXAMPLE_MARKERS",
    "EXAMPLE_RE",
    "FORMAT",
    "FORMAT_VERSION",
    "KINDS",
    "MAX_AUDIENCE_KEY",
    "MAX_BYTES",
    "MAX_KEY",
    "MAX_REFERENCE",
    "MAX_TITLE",
    "PUBLIC_MARKERS",
    "PUBLIC_RE",
    "AudienceItem",
    "CommitmentItem",
    "Document",
    "FormatError",
    "GuidelineItem",
    "LegalItem",
    "SectionItem",
    "ValueItem",
    "decode",
    "document_from_version",
    "export_version",
    "import_draft",
    "marker_text",
    "match_keys",
    "parse",
    "parse_bytes",
    "render",
    "save_draft",
    "validate",
]
