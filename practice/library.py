"""The practice cases shipped with the product, read from data/*.toml.

Each case is fictional and written afresh in Swedish, Danish and English (not
translated word for word). The texts stay in the data files, so a correction
ships with a release; the database keeps one row per case (its key and area),
which a session can point at like at any other case.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("sv", "da", "en")


@dataclass(frozen=True)
class CaseText:
    """What a reader sees of a practice case, in one language."""

    title: str
    situation: str
    question: str
    tensions: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class BuiltinCase:
    key: str
    area: str
    texts: dict[str, CaseText]

    def text(self, language: str) -> CaseText:
        return self.texts.get(language[:2]) or self.texts["en"]


def _case(entry: dict[str, object]) -> BuiltinCase:
    texts: dict[str, CaseText] = {}
    for language in LANGUAGES:
        raw = entry[language]
        assert isinstance(raw, dict), entry["key"]
        texts[language] = CaseText(
            title=raw["title"].strip(),
            situation=raw["situation"].strip(),
            question=raw["question"].strip(),
            tensions=tuple(t.strip() for t in raw["tensions"]),
            note=raw["note"].strip(),
        )
    return BuiltinCase(key=str(entry["key"]), area=str(entry["area"]), texts=texts)


@cache
def builtin_cases() -> dict[str, BuiltinCase]:
    """Every built-in case by key, in the order of the files and within them."""
    cases: dict[str, BuiltinCase] = {}
    for path in sorted(DATA.glob("*.toml")):
        with path.open("rb") as file:
            for entry in tomllib.load(file)["case"]:
                case = _case(entry)
                if case.key in cases:
                    raise ValueError(f"Practice case {case.key} is defined twice.")
                cases[case.key] = case
    return cases
