"""Benchmark: the identifier guard's speed, its worst cases and its false alarms.

Prints the median and 90th percentile time of `find_identifiers` over a
20,000-character case text (the target is under 20 ms), the time over
adversarial inputs of 100,000 characters (long runs of digits, of separators,
of names and of almost-addresses: a pattern that backtracks shows here as
seconds instead of milliseconds), and the guard's findings on texts that
identify nobody: the product's demo texts, ordinary Swedish and Danish prose
and the harmless corpus of the tests, with recall on the corpus's positives.

    make bench
    BENCH_ROUNDS=200 .venv/bin/python bench/guard.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from dilemmas.guard import describe, find_identifiers  # noqa: E402
from tests.dilemmas.guard_corpus import (  # noqa: E402
    HARMLESS_TEXTS,
    POSITIVES,
    demo_texts,
    positive,
)
from tests.dilemmas.guard_prose import PROSE  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))
TODAY = date(2025, 6, 15)
TARGET_MS = 20
SIZE = 100_000

ADVERSARIAL = {
    "digits": "1" * SIZE,
    "digits and spaces": "1 " * (SIZE // 2),
    "pairs of digits": "23 " * (SIZE // 3),
    "digits and dashes": "12-" * (SIZE // 3),
    "digits, dots, slashes": "1./" * (SIZE // 3),
    "digits, one line break each": "12\n" * (SIZE // 3),
    "zeros": "0" * SIZE,
    "area codes": "08 " * (SIZE // 3),
    "area codes in a long row": "070 - 1 - " * (SIZE // 10),
    "a list of phone numbers": "070-123 45 67\n" * (SIZE // 14),
    "country codes": "+46 " * (SIZE // 4),
    "spaces": " " * SIZE,
    "dashes of every kind": "-\u2010\u2011\u2013\u2014\u2212" * (SIZE // 6),
    "mixed separators": " \t./-\u2013\u00a0" * (SIZE // 7),
    "digit, separators, digit": "1" + " -./" * ((SIZE - 2) // 4) + "1",
    "date, long gap, serial": "851024" + " " * (SIZE - 10) + "1097",
    "line breaks": "\n" * SIZE,
    "letters": "a" * SIZE,
    "capitals": "A" * SIZE,
    "at signs": "@" * SIZE,
    "local parts and at": "a@" * (SIZE // 2),
    "dotted labels": "a@" + "a." * ((SIZE - 2) // 2),
    "spelled at and dot": "a at b dot " * (SIZE // 11),
    "brackets": "(at)[dot]" * (SIZE // 9),
    "first names": "Anna " * (SIZE // 5),
    "full names": "Anna Johansson " * (SIZE // 15),
    "titles and names": "mamma Anna " * (SIZE // 11),
    "street names": "Storgatan " * (SIZE // 10),
    "street names and numbers": "Storgatan 1 " * (SIZE // 12),
    "postcodes": "123 45 " * (SIZE // 7),
    "groups of four, one a line": "2345 6789\n" * (SIZE // 10),
    "groups of four after ring": "ring til 2345 6789 " * (SIZE // 19),
    "last four without a date": "sista fyra 1234 " * (SIZE // 16),
    "dates and last four": "född 3 mars 1985, sista fyra 1234. " * (SIZE // 35),
    "month names": "mars " * (SIZE // 5),
    "one long word": "Storgata" + "n" * (SIZE - 8),
}


def _case_text(size: int) -> str:
    """A long case text: prose, harmless numbers and identifiers, in turn."""
    pieces = []
    positives = [positive(entry)[0] for entry in POSITIVES]
    i = 0
    while sum(len(p) + 2 for p in pieces) < size:
        pieces.append(PROSE[i % len(PROSE)])
        pieces.append(HARMLESS_TEXTS[i % len(HARMLESS_TEXTS)])
        pieces.append(positives[i % len(positives)])
        i += 1
    return "\n\n".join(pieces)[:size]


def _times_ms(text: str, rounds: int, *, messages: bool = False) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        matches = find_identifiers(text, today=TODAY)
        if messages:
            describe(text, matches)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _findings(texts: list[str]) -> tuple[int, int, int]:
    """(texts with a finding, findings, words)."""
    flagged = total = 0
    for text in texts:
        found = find_identifiers(text, today=TODAY)
        flagged += bool(found)
        total += len(found)
    return flagged, total, sum(len(t.split()) for t in texts)


def main() -> None:
    text = _case_text(20_000)
    _times_ms(text, 3)  # warm up: compiled patterns, name lists
    times = _times_ms(text, ROUNDS)
    median, p90 = statistics.median(times), statistics.quantiles(times, n=10)[-1]
    found = len(find_identifiers(text, today=TODAY))
    verdict = "under" if p90 < TARGET_MS else "OVER"
    print(f"20,000 characters ({found} findings), {ROUNDS} rounds:")
    print(f"  median {median:.2f} ms, p90 {p90:.2f} ms ({verdict} {TARGET_MS} ms)")
    with_messages = statistics.median(_times_ms(text, ROUNDS, messages=True))
    print(f"  with the messages (describe): median {with_messages:.2f} ms")

    print(f"\nAdversarial inputs of {SIZE:,} characters (median of 3):")
    print(f"  {'':<30} {'find':>8}    {'+ describe':>10}  findings")
    for name, adversarial in ADVERSARIAL.items():
        adversarial = adversarial[:SIZE]
        ms = statistics.median(_times_ms(adversarial, 3))
        both = statistics.median(_times_ms(adversarial, 3, messages=True))
        count = len(find_identifiers(adversarial, today=TODAY))
        print(f"  {name:<30} {ms:8.1f} ms {both:8.1f} ms  {count:8}")

    print("\nFalse alarms (texts that identify nobody):")
    for name, texts in (
        ("demo texts", demo_texts()),
        ("ordinary prose", PROSE),
        ("harmless corpus", HARMLESS_TEXTS),
    ):
        flagged, total, words = _findings(texts)
        rate = flagged / len(texts) * 100
        print(
            f"  {name:<16} {len(texts):4} texts, {words:5} words: {total} findings, "
            f"{flagged} texts flagged ({rate:.1f}%)"
        )

    hits = 0
    for entry in POSITIVES:
        case, kind, span = positive(entry)
        matches = find_identifiers(case, today=TODAY)
        hits += [(m.kind, (m.start, m.end)) for m in matches] == [(kind, span)]
    print(f"\nRecall on the corpus: {hits} of {len(POSITIVES)} found exactly")


if __name__ == "__main__":
    main()
