"""Search within one version of the value base, in the language of its text.

Words are compared by their stems, so "brukaren" finds "brukare" and
"borgeren" finds "borgere". PostgreSQL: full text search with the
organisation's language configuration (swedish, danish, english), ranked.
SQLite: the same Snowball stemmers that PostgreSQL uses, from snowballstemmer,
applied to the version's texts in Python (a version is a few pages). On both,
the excerpt and its highlighted words are made here, from the words of the text
without its Markdown.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Protocol

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guidelines.models import Guideline
from lib.markdown import to_plain

from .models import (
    Commitment,
    CoreValue,
    LegalBasis,
    Section,
    Version,
    VersionContent,
)

TEXT_SEARCH_CONFIG = {"sv": "swedish", "da": "danish", "en": "english"}
WORD_RE = re.compile(r"\w+")
# Fields written in Markdown; searched and shown by their words.
MARKDOWN_FIELDS = {"body", "text", "description", "example"}

# Private-use characters mark matches while the excerpt is still plain text; it
# is escaped first and only then are the markers turned into <mark> tags.
START, STOP = "\ue000", "\ue001"


class Stemmer(Protocol):
    """What snowballstemmer's stemmers do (the library ships no types)."""

    def stemWords(self, words: list[str]) -> list[str]: ...  # noqa: N802


@dataclass
class Hit:
    kind: str
    item: object
    key: str
    title: str
    fragment: SafeString
    rank: float


@functools.cache
def _stemmer(language: str) -> Stemmer | None:
    name = TEXT_SEARCH_CONFIG.get(language)
    if not name:
        return None
    stemmer: Stemmer = snowballstemmer.stemmer(name)
    return stemmer


def stems(words: list[str], language: str) -> list[str]:
    stemmer = _stemmer(language)
    lowered = [word.lower() for word in words]
    return stemmer.stemWords(lowered) if stemmer else lowered


def _highlight_markers(text: str) -> SafeString:
    # Safe: the text is escaped before the only markup, our <mark> tags, goes in.
    return mark_safe(  # noqa: S308
        escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    )


def highlight(text: str, wanted: set[str], language: str) -> SafeString:
    """Escape `text` and wrap every word whose stem is wanted in <mark>."""

    def mark(match: re.Match[str]) -> str:
        word = match.group(0)
        if stems([word], language)[0] in wanted:
            return f"{START}{word}{STOP}"
        return word

    return _highlight_markers(WORD_RE.sub(mark, text))


def _excerpt(text: str, wanted: set[str], language: str, width: int = 220) -> str:
    text = " ".join(text.split())
    start = 0
    for match in WORD_RE.finditer(text):
        if stems([match.group(0)], language)[0] in wanted:
            start = max(0, match.start() - width // 3)
            break
    if start:
        # Begin at a word, not in the middle of one.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    snippet = text[start : start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(text) else "")


def _words_of(row: VersionContent, fields: list[str]) -> str:
    return " ".join(
        to_plain(str(getattr(row, f))) if f in MARKDOWN_FIELDS else str(getattr(row, f))
        for f in fields
    )


# What is searched for each kind of item: (model, fields, title of the hit).
def _sources(
    version: Version,
) -> list[tuple[str, models.QuerySet[VersionContent], list[str]]]:
    return [
        ("section", Section.objects.filter(version=version), ["title", "body"]),
        (
            "legal",
            LegalBasis.objects.filter(version=version),
            ["law", "reference", "text"],
        ),
        ("value", CoreValue.objects.filter(version=version), ["title", "description"]),
        (
            "commitment",
            Commitment.objects.filter(value__version=version).select_related("value"),
            ["text"],
        ),
        (
            "guideline",
            Guideline.objects.filter(version=version).select_related("audience"),
            ["title", "text", "example"],
        ),
    ]


def _title(kind: str, item: VersionContent) -> str:
    if kind == "commitment":
        assert isinstance(item, Commitment)  # see _sources
        return item.value.title
    return str(item)


def search_version(version: Version, query: str, language: str) -> list[Hit]:
    query = query.strip()
    terms = WORD_RE.findall(query)
    if not terms:
        return []
    wanted = set(stems(terms, language))
    hits: list[Hit] = []
    for kind, queryset, fields in _sources(version):
        if connection.vendor == "postgresql":
            config = TEXT_SEARCH_CONFIG.get(language, "simple")
            search_query = SearchQuery(query, config=config, search_type="websearch")
            vector = SearchVector(*fields, config=config)
            rows: list[tuple[VersionContent, float]] = [
                (row, row.rank)
                for row in queryset.annotate(
                    found=vector, rank=SearchRank(vector, search_query)
                ).filter(found=search_query)
            ]
        else:
            rows = []
            for row in queryset:
                found = stems(WORD_RE.findall(_words_of(row, fields)), language)
                if wanted <= set(found):
                    rows.append((row, float(sum(stem in wanted for stem in found))))
        for row, rank in rows:
            text = _words_of(row, fields)
            hits.append(
                Hit(
                    kind,
                    row,
                    _key(kind, row),
                    _title(kind, row),
                    highlight(_excerpt(text, wanted, language), wanted, language),
                    rank,
                )
            )
    hits.sort(key=lambda hit: -hit.rank)
    return hits


def _key(kind: str, item: VersionContent) -> str:
    if kind == "commitment":
        assert isinstance(item, Commitment)  # see _sources
        return item.value.key
    return item.key
