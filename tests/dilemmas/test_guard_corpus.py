"""The identifier guard over a corpus: everything found, nothing else flagged.

The corpus is in guard_corpus.py and guard_prose.py; bench/guard.py prints the
same figures (and the time it takes).
"""

from __future__ import annotations

from datetime import date

import pytest

from dilemmas.guard import find_identifiers

from .guard_corpus import HARMLESS, HARMLESS_TEXTS, POSITIVES, demo_texts, positive
from .guard_prose import DANISH, PROSE, SWEDISH

TODAY = date(2025, 6, 15)


def found(text: str) -> list[tuple[str, str]]:
    return [
        (m.kind, text[m.start : m.end]) for m in find_identifiers(text, today=TODAY)
    ]


def test_the_corpus_is_big_enough_and_covers_every_kind():
    assert len(POSITIVES) >= 150
    assert len(HARMLESS_TEXTS) >= 100
    assert {kind for kind, _text in POSITIVES} == {
        "se_personal_number",
        "se_coordination_number",
        "dk_cpr",
        "birth_date_with_digits",
        "phone",
        "email",
        "name",
        "address",
    }
    assert set(HARMLESS) >= {
        "dates",
        "times",
        "case numbers",
        "organisation numbers",
        "amounts",
        "scores",
        "law references",
        "addresses of offices",
        "postcodes and towns",
        "four digits twice",
    }
    assert len(SWEDISH) >= 20 and len(DANISH) >= 20


@pytest.mark.parametrize("entry", POSITIVES, ids=lambda entry: entry[1][:40])
def test_every_identifier_in_the_corpus_is_found_exactly(entry):
    text, kind, (start, end) = positive(entry)
    assert found(text) == [(kind, text[start:end])]


@pytest.mark.parametrize("text", HARMLESS_TEXTS, ids=lambda text: text[:40])
def test_nothing_harmless_is_flagged(text):
    assert found(text) == []


@pytest.mark.parametrize("text", PROSE, ids=lambda text: text[:40])
def test_ordinary_prose_is_not_flagged(text):
    assert found(text) == []


def test_the_demo_texts_are_not_flagged():
    texts = demo_texts()
    # Value bases, dilemmas, methods in three languages, tensions, meetings.
    assert len(texts) > 300
    assert [(text, found(text)) for text in texts if found(text)] == []
