"""How many parts of each document in the Word corpus the import preview gets
right before any correction.

The corpus is tests/values/word_corpus.py: value bases made with python-docx,
each with the parts a person reading it would see. For each document this
prints the number of parts expected, how many the reading gets right (in
order, kind and title), and the corrections an editor would have to make.

    .venv/bin/python bench/word_corpus.py
    .venv/bin/python bench/word_corpus.py -v   # and the parts of each
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from tests.values.word_corpus import CASES, label, score  # noqa: E402
from values.wordimport import read_docx  # noqa: E402


def main() -> None:
    verbose = "-v" in sys.argv[1:]
    print(f"{'document':<32} {'parts':>5} {'right':>5} {'to correct':>10}")
    total = right = 0
    for case in CASES:
        reading = read_docx(case.build())
        got = score(case, reading)
        wrong = max(len(case.parts), len(reading.parts)) - got
        total += len(case.parts)
        right += got
        print(f"{case.name:<32} {len(case.parts):>5} {got:>5} {wrong:>10}")
        if verbose and (wrong or reading.title != case.title):
            print(f"  title: {reading.title!r} (expected {case.title!r})")
            for part in reading.parts:
                print(f"  {label(part.kind, part.title)}")
    print(f"{'all':<32} {total:>5} {right:>5} {total - right:>10}")


if __name__ == "__main__":
    main()
