"""Search within one version of the value base.

PostgreSQL: full text search with the organisation's language configuration
(swedish, danish, english), ranked, with highlighted fragments. SQLite: plain
case-insensitive filtering with the same highlighting, so the page behaves the
same in development.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guidelines.models import Guideline

from .models import Commitment, CoreValue, LegalBasis, Section, Version

TEXT_SEARCH_CONFIG = {"sv": "swedish", "da": "danish", "en": "english"}

# Private-use characters mark matches inside the database's headline; the text is
# escaped first and only then are the markers turned into <mark> tags.
START, STOP = "\ue000", "\ue001"


@dataclass
class Hit:
    kind: str
    item: object
    key: str
    title: str
    fragment: SafeString
    rank: float


def _highlight_markers(text: str) -> SafeString:
    # Safe: the text is escaped before the only markup, our <mark> tags, goes in.
    return mark_safe(  # noqa: S308
        escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    )


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escape `text` and wrap every occurrence of a search term in <mark>."""
    if not terms:
        return _highlight_markers(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)
    return _highlight_markers(marked)


def _excerpt(text: str, terms: list[str], width: int = 220) -> str:
    lowered = text.lower()
    positions = [lowered.find(t.lower()) for t in terms if t.lower() in lowered]
    start = max(0, min(positions) - width // 3) if positions else 0
    snippet = text[start : start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(text) else "")


# What is searched for each kind of item: (model, fields, title of the hit).
def _sources(version: Version):
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


def _title(kind: str, item) -> str:
    if kind == "commitment":
        return item.value.title
    return str(item)


def search_version(version: Version, query: str, language: str) -> list[Hit]:
    query = query.strip()
    if not query:
        return []
    terms = [t for t in re.split(r"\s+", query.replace('"', " ")) if t]
    hits: list[Hit] = []
    if connection.vendor == "postgresql":
        config = TEXT_SEARCH_CONFIG.get(language, "simple")
        search_query = SearchQuery(query, config=config, search_type="websearch")
        for kind, queryset, fields in _sources(version):
            parts = [part for f in fields for part in (f, Value(" "))][:-1]
            document = (
                Concat(*parts, output_field=TextField())
                if len(parts) > 1
                else F(fields[0])
            )
            rows = (
                queryset.annotate(
                    found=SearchVector(*fields, config=config),
                    rank=SearchRank(SearchVector(*fields, config=config), search_query),
                    fragment=SearchHeadline(
                        document,
                        search_query,
                        config=config,
                        start_sel=START,
                        stop_sel=STOP,
                        max_words=40,
                        min_words=15,
                    ),
                )
                .filter(found=search_query)
                .order_by("-rank")
            )
            hits.extend(
                Hit(
                    kind,
                    row,
                    _key(kind, row),
                    _title(kind, row),
                    _highlight_markers(row.fragment),
                    row.rank,
                )
                for row in rows
            )
    else:
        for kind, queryset, fields in _sources(version):
            condition = Q()
            for term in terms:
                term_q = Q()
                for field in fields:
                    term_q |= Q(**{f"{field}__icontains": term})
                condition &= term_q
            for row in queryset.filter(condition):
                text = " ".join(str(getattr(row, f)) for f in fields)
                score = sum(text.lower().count(t.lower()) for t in terms)
                hits.append(
                    Hit(
                        kind,
                        row,
                        _key(kind, row),
                        _title(kind, row),
                        highlight(_excerpt(text, terms), terms),
                        float(score),
                    )
                )
    hits.sort(key=lambda hit: -hit.rank)
    return hits


def _key(kind: str, item) -> str:
    if kind == "commitment":
        return item.value.key
    return item.key
