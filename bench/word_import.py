"""Benchmark: how long reading a Word document takes, by its number of paragraphs.

Generates value bases of 500, 5,000 and 20,000 paragraphs with python-docx
(headings of two levels, plain paragraphs, bulleted and numbered lists with a
second level, lists whose items begin in bold, sentences ending in a colon
before a list, lines all in bold) and prints, per size, the median time of
reading the file into parts (`values.wordimport.read_docx`, the part of the
Word import a request waits for), the time per 1,000 paragraphs and the
file's size. Reading should grow linearly with the size: the time per 1,000
paragraphs stays about the same from the smallest document to the largest,
and a 5,000-paragraph document reads in under a second.

The largest documents have more parts than the preview's form can carry, so
`read_docx` ends by refusing them; the time measured is the reading up to that
refusal, which is the work a request does. The time budget of the import is
lifted while measuring.

    make bench-micro
    BENCH_ROUNDS=5 BENCH_SIZES=500,5000 .venv/bin/python bench/word_import.py
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import docx  # noqa: E402
from django.utils import translation  # noqa: E402

from values import wordimport  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SIZES = [
    int(size) for size in os.environ.get("BENCH_SIZES", "500,5000,20000").split(",")
]
TARGET_SECONDS = 1.0  # for 5,000 paragraphs


def generate(paragraphs: int) -> bytes:
    """A value base of about `paragraphs` paragraphs, repeating one chapter."""
    document = docx.Document()
    styles = {
        name: document.styles[name]
        for name in ("Title", "Heading 1", "Heading 2", "List Bullet", "List Bullet 2")
    }
    styles["List Number"] = document.styles["List Number"]
    document.add_paragraph("Värdegrund för socialtjänsten", style=styles["Title"])
    count = 1
    chapter = 0
    while count < paragraphs:
        chapter += 1
        rows = [
            (f"Kapitel {chapter}", "Heading 1", False),
            ("Här beskrivs hur vi arbetar tillsammans i vardagen.", None, False),
            ("Ett andra stycke med lite mer text om samma sak.", None, False),
            (f"Avsnitt {chapter}.1", "Heading 2", False),
            ("Som medarbetare ska du i mötet med brukare:", None, False),
            ("lyssna på brukaren och ta berättelsen på allvar", "List Bullet", False),
            ("ge stöd utifrån behov, inte egna värderingar", "List Bullet", False),
            ("fråga en kollega när du är osäker", "List Bullet 2", False),
            ("Ett stycke efter listan.", None, False),
            (f"Värde {chapter}", "List Bullet", True),
            ("Vi visar respekt.", "List Bullet 2", False),
            ("Vi håller det vi lovar.", "List Bullet 2", False),
            ("En rad i fetstil", None, True),
            ("kort punkt", "List Number", False),
            ("en till", "List Number", False),
        ]
        for text, style, bold in rows:
            para = document.add_paragraph(style=styles[style] if style else None)
            para.add_run(text).bold = bold or None
            count += 1
            if count >= paragraphs:
                break
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def read_seconds(data: bytes) -> tuple[float, str]:
    start = time.process_time()
    try:
        reading = wordimport.read_docx(data)
    except wordimport.WordError as error:
        outcome = f"refused: {str(error)[:40]}…"
    else:
        outcome = f"{len(reading.parts)} parts"
    return time.process_time() - start, outcome


def main() -> None:
    translation.activate("en")
    wordimport.limits.TIME_BUDGET_SECONDS = 10_000
    print(f"Word import: CPU seconds to read, median of {ROUNDS}")
    print(f"{'paragraphs':>10} {'KB':>6} {'seconds':>9} {'s/1000':>7}  outcome")
    for size in SIZES:
        data = generate(size)
        timings = []
        for _round in range(ROUNDS):
            seconds, outcome = read_seconds(data)
            timings.append(seconds)
        median = statistics.median(timings)
        flag = ""
        if size == 5000:
            flag = "  ok" if median < TARGET_SECONDS else f"  over {TARGET_SECONDS} s"
        print(
            f"{size:>10} {len(data) // 1024:>6} {median:>9.3f} "
            f"{median / size * 1000:>7.3f}  {outcome}{flag}"
        )


if __name__ == "__main__":
    main()
