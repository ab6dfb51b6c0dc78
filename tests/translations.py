"""Interface strings as the server renders them, whatever catalogues exist yet."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation


def tr(language: str, message: str) -> str:
    """`message` in `language`, from the same catalogues the server uses."""
    with translation.override(language):
        return translation.gettext(message)


def write_catalogue(locale_dir: Path, language: str, messages: dict[str, str]) -> None:
    """A compiled catalogue with a few messages, for tests that need a language."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in messages.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    target = locale_dir / language / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    po.save_as_mofile(str(target / "django.mo"))
