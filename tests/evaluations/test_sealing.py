"""Sealed answers: unreadable without the key, all of one length, keys rotated."""

from __future__ import annotations

import pytest

from evaluations.questionnaire import ITEMS
from evaluations.sealing import (
    COMMENT_MAX,
    SEALED_SIZE,
    SealError,
    open_sealed,
    seal,
)

from .helpers import scores


def test_a_sealed_answer_opens_to_what_was_given():
    given = scores(2, **{ITEMS[0].key: 4})

    opened = open_sealed(7, seal(7, scores=given, comment="Bra samtal, tack."))

    assert opened.scores == given
    assert opened.comment == "Bra samtal, tack."


def test_every_sealed_answer_has_the_same_length_and_no_plaintext():
    # The short comment is long enough that random bytes never hold it by chance
    # (three bytes such as "Ja." turn up in about one sealed answer of 16 KB in 1,000).
    short = "Ja, om alla får säga sitt först."
    comments = ["", short, "Långt " * 300, "\x1f" * COMMENT_MAX, "𝄞" * COMMENT_MAX]

    sealed = [seal(1, scores=scores(3), comment=c) for c in comments]

    assert {len(s) for s in sealed} == {SEALED_SIZE}
    for comment, s in zip(comments, sealed, strict=True):
        assert open_sealed(1, s).comment == comment
    assert short.encode() not in sealed[1]
    assert "Långt".encode() not in sealed[2]
    assert b"scores" not in sealed[2] and ITEMS[0].key.encode() not in sealed[2]
    # The same answer sealed twice looks different (a fresh nonce each time).
    assert seal(1, scores=scores(3), comment="") != sealed[0]


def test_a_comment_longer_than_the_form_allows_is_refused():
    with pytest.raises(ValueError):
        seal(1, scores=scores(3), comment="x" * (COMMENT_MAX + 1))


def test_a_sealed_answer_opens_only_for_its_own_evaluation():
    sealed = seal(1, scores=scores(3), comment="Mitt.")

    with pytest.raises(SealError):
        open_sealed(2, sealed)


def test_without_the_key_nothing_opens(settings):
    settings.EVALUATION_KEY = "the key in use when it was sealed"
    sealed = seal(1, scores=scores(3), comment="Mitt.")

    settings.EVALUATION_KEY = "another key altogether"
    with pytest.raises(SealError, match="EVALUATION_KEY_FALLBACKS"):
        open_sealed(1, sealed)
    # Tampered with: refused, not opened to something else.
    settings.EVALUATION_KEY = "the key in use when it was sealed"
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealError):
        open_sealed(1, tampered)
    with pytest.raises(SealError):
        open_sealed(1, sealed[:100])


def test_a_new_key_with_the_old_one_as_fallback_opens_both(settings):
    settings.EVALUATION_KEY = "old"
    old = seal(1, scores=scores(1), comment="Förr.")

    settings.EVALUATION_KEY = "new"
    settings.EVALUATION_KEY_FALLBACKS = ["old"]
    new = seal(1, scores=scores(4), comment="Nu.")

    assert open_sealed(1, old).comment == "Förr."
    assert open_sealed(1, new).comment == "Nu."
    settings.EVALUATION_KEY_FALLBACKS = []
    with pytest.raises(SealError):
        open_sealed(1, old)


def test_without_its_own_key_the_secret_key_seals(settings):
    settings.EVALUATION_KEY = ""
    settings.SECRET_KEY = "a secret key"
    sealed = seal(1, scores=scores(3), comment="Mitt.")

    settings.SECRET_KEY = "the next secret key"
    with pytest.raises(SealError):
        open_sealed(1, sealed)
    settings.EVALUATION_KEY_FALLBACKS = ["a secret key"]
    assert open_sealed(1, sealed).comment == "Mitt."
