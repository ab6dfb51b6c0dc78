"""The Swedish and Danish catalogues: complete, faithful to the code, and in use.

After changing interface strings, run `make messages-update`, translate the new
entries in locale/<lang>/LC_MESSAGES/django.po and run `make messages`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.translations import tr

LANGUAGES = ["sv", "da"]
ROOT = Path(settings.BASE_DIR)
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
# The same ignores as `make messages-update`.
IGNORED = [".venv", "staticfiles", "tests"]

# %(name)s, %s, %d, %.1f ...; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([sdifr%])")


def catalogue(language: str) -> polib.POFile:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run `make messages-update`."
    return polib.pofile(str(path))


def entries(language: str) -> list[polib.POEntry]:
    return [e for e in catalogue(language) if not e.obsolete]


def placeholders(text: str) -> list[str]:
    found = []
    for match in PLACEHOLDER.finditer(text):
        name, conversion = match.groups()
        if conversion == "%":
            continue
        found.append(f"%({name})" if name else f"%{conversion}")
    return sorted(found)


def label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_declares_the_language_and_its_plural_forms(language):
    po = catalogue(language)

    assert po.metadata.get("Language") == language
    assert po.metadata.get("Plural-Forms") == PLURAL_FORMS
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    untranslated, fuzzy = [], []
    for entry in entries(language):
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(2)]
        else:
            forms = [entry.msgstr]
        if not all(form.strip() for form in forms):
            untranslated.append(label(entry))
        if "fuzzy" in entry.flags:
            fuzzy.append(label(entry))

    assert entries(language), "The catalogue has no entries."
    assert not untranslated, (
        f"{len(untranslated)} untranslated entries in {language}:\n"
        + "\n".join(untranslated)
    )
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy entries in {language}; check each translation and "
        "remove the flag:\n" + "\n".join(fuzzy)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for entry in entries(language):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            expected, actual = placeholders(source), placeholders(translation)
            if "python-format" not in entry.flags:
                # Only named placeholders are substituted outside python-format.
                expected = [p for p in expected if p.startswith("%(")]
                actual = [p for p in actual if p.startswith("%(")]
            if expected != actual:
                wrong.append(
                    f"{label(entry)}: {expected} != {actual} in {translation!r}"
                )

    assert not wrong, f"Placeholders differ in {language}:\n" + "\n".join(wrong)


def _gettext_or_skip() -> None:
    missing = [
        tool for tool in ("xgettext", "msguniq", "msgmerge") if not shutil.which(tool)
    ]
    if not missing:
        return
    message = (
        f"GNU gettext is not installed ({', '.join(missing)} missing); "
        "install the gettext package to check the catalogues against the code."
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def test_catalogues_contain_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the source finds nothing the catalogues lack."""
    _gettext_or_skip()
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            *IGNORED,
            "locale",
            ".*",
            "__pycache__",
            "*.pyc",
            "*.sqlite3*",
            "node_modules",
            "test-results",
        ),
    )
    (source / "locale").mkdir()
    env = {**os.environ, "DJANGO_DEBUG": "true", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        sys.executable,
        "manage.py",
        "makemessages",
        "--no-location",
        *(f"-l{language}" for language in LANGUAGES),
        *(f"--ignore={pattern}" for pattern in IGNORED),
    ]
    result = subprocess.run(
        command, cwd=source, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr

    for language in LANGUAGES:
        fresh = polib.pofile(
            str(source / "locale" / language / "LC_MESSAGES" / "django.po")
        )
        in_code = {_key(e): e for e in fresh if not e.obsolete}
        assert in_code, "makemessages found no strings at all."
        committed = {_key(e) for e in entries(language)}
        missing = [label(e) for key, e in in_code.items() if key not in committed]
        assert not missing, (
            f"{len(missing)} interface strings are missing from "
            f"locale/{language}/LC_MESSAGES/django.po. Run `make messages-update`, "
            "translate the new entries and run `make messages`:\n" + "\n".join(missing)
        )


OUR_SIGN_IN_TEXT = "Use the e-mail address your organisation registered for you."


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_in_page_is_rendered_in_the_chosen_language(client, language):
    translated = tr(language, OUR_SIGN_IN_TEXT)
    assert translated != OUR_SIGN_IN_TEXT, (
        f"The compiled {language} catalogue lacks our strings: run `make messages`."
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("account_login"))

    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.text
    assert translated in page.text
    assert f">{tr(language, 'Sign in')}<" in page.text
    assert OUR_SIGN_IN_TEXT not in page.text
