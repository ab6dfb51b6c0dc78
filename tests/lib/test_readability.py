"""LIX and its companions (lib/readability.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.readability import Band, band_of, measure

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=1, max_size=14)
sentence = st.lists(word, min_size=1, max_size=20).map(lambda ws: " ".join(ws) + ".")


def test_a_known_text():
    # 10 words, 2 sentences, 4 words longer than six letters
    # ("värdegrund", "beskriver", "arbetar", "förhållningssätt").
    result = measure(
        "Vår värdegrund beskriver hur vi arbetar. Den är vårt förhållningssätt!"
    )
    assert (result.words, result.sentences, result.long_words) == (10, 2, 4)
    assert result.lix == pytest.approx(10 / 2 + 100 * 4 / 10)
    assert result.band is Band.HARD
    assert result.words_per_sentence == 5
    assert result.letters_per_word == pytest.approx(59 / 10)


def test_empty_and_blank_texts_measure_nothing():
    for text in ("", "   ", "\n\n", "...", "– !"):
        result = measure(text)
        assert result.is_empty
        assert result.lix == 0
        assert result.words_per_sentence == 0
        assert result.letters_per_word == 0


def test_a_text_without_a_full_stop_is_one_sentence():
    assert measure("vi lyssnar på dig").sentences == 1


def test_decimals_and_inner_hyphens_do_not_split():
    result = measure("Det kostar 3.5 kronor för icke-medlemmar.")
    # "3.5" is two runs of digits in one sentence; "icke-medlemmar" one long word.
    assert (result.words, result.sentences, result.long_words) == (7, 1, 1)


def test_a_blank_line_ends_a_sentence():
    assert measure("Rubrik utan punkt\n\nEn mening här.").sentences == 2


@pytest.mark.parametrize(
    ("lix", "band"),
    [
        (0, Band.VERY_EASY),
        (24.9, Band.VERY_EASY),
        (25, Band.EASY),
        (29.99, Band.EASY),
        (30, Band.MEDIUM),
        (40, Band.HARD),
        (50, Band.VERY_HARD),
        (60, Band.EXTREMELY_HARD),
        (140, Band.EXTREMELY_HARD),
    ],
)
def test_bands(lix, band):
    assert band_of(lix) is band


@settings(deadline=None)
@given(st.lists(sentence, min_size=1, max_size=12))
def test_counts_follow_the_sentences_written(sentences):
    text = " ".join(sentences)
    result = measure(text)
    words = [w for s in sentences for w in s.rstrip(".").split()]
    assert result.sentences == len(sentences)
    assert result.words == len(words)
    assert result.long_words == sum(1 for w in words if len(w) > 6)
    assert result.lix == pytest.approx(
        len(words) / len(sentences)
        + 100 * sum(1 for w in words if len(w) > 6) / len(words)
    )


@given(st.text(max_size=400))
def test_any_text_gives_a_sane_measure(text):
    result = measure(text)
    assert 0 <= result.long_words <= result.words
    assert result.sentences <= max(result.words, 0)
    assert (result.sentences == 0) == (result.words == 0)
    assert 0 <= result.lix <= result.words + 100
    assert result.letters >= result.words


@given(st.lists(sentence, min_size=1, max_size=8))
def test_longer_words_never_make_a_text_easier(sentences):
    text = " ".join(sentences)
    longer = " ".join(
        " ".join(w + "x" * 7 for w in s.rstrip(".").split()) + "." for s in sentences
    )
    assert measure(longer).lix >= measure(text).lix
