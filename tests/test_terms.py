"""One word for one thing: the catalogues against the lists of terms.

docs/terms/<language>.toml lists the interface's terms (docs/terms.md says
how). Every Swedish and Danish text that translates an English text naming a
thing uses that thing's word, and no text uses a variant the list forbids; the
account pages, whose texts partly come from django-allauth, are read through
HTTP for the same variants.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from accounts.allauth_words import WORDED_OUR_WAY
from tests.factories import make_member, make_org, sign_in

LANGUAGES = ["sv", "da"]
ROOT = Path(settings.BASE_DIR)
TERMS = ROOT / "docs" / "terms"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]*>")


@cache
def terms(language: str) -> list[dict]:
    with (TERMS / f"{language}.toml").open("rb") as file:
        return tomllib.load(file)["term"]


def english() -> dict[str, dict]:
    return {term["thing"]: term for term in terms("en")}


def entries(language: str) -> list[polib.POEntry]:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def sources(entry: polib.POEntry) -> str:
    return PLACEHOLDER.sub(" ", f"{entry.msgid} {entry.msgid_plural or ''}")


def translations(entry: polib.POEntry) -> str:
    text = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
    return PLACEHOLDER.sub(" ", text)


def forbidden(text: str, language: str, msgid: str = "") -> list[str]:
    """The variants of `language`'s terms that `text` uses.

    A text the term lists as an exception (`msgid`) may quote them.
    """
    return [
        match.group(0)
        for term in terms(language)
        if msgid not in term.get("except", [])
        for pattern in term.get("not", [])
        for match in [re.search(pattern, text, re.IGNORECASE)]
        if match
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_lists_the_same_things(language):
    things = [term["thing"] for term in terms(language)]
    assert things == list(english()), (
        f"docs/terms/{language}.toml lists other things than docs/terms/en.toml."
    )
    for term in terms(language):
        assert term["use"], term["thing"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_uses_a_variant_of_a_term(language):
    found = [
        f"{entry.msgid!r}: {variants} in {translations(entry)!r}"
        for entry in entries(language)
        for variants in [forbidden(translations(entry), language, entry.msgid)]
        if variants
    ]
    assert not found, (
        f"{len(found)} {language} texts use a word docs/terms/{language}.toml "
        "forbids:\n" + "\n".join(found)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_thing_is_called_by_its_one_word(language):
    source = english()
    found = []
    for term in terms(language):
        named = re.compile(source[term["thing"]]["en"], re.IGNORECASE)
        word = re.compile(term["use"], re.IGNORECASE)
        exceptions = set(term.get("except", []))
        found += [
            f"{term['thing']} ({term['use']}): {entry.msgid!r} -> "
            f"{translations(entry)!r}"
            for entry in entries(language)
            if named.search(sources(entry))
            and entry.msgid not in exceptions
            and not word.search(translations(entry))
        ]
    assert not found, (
        f"{len(found)} {language} texts name a thing by another word than "
        f"docs/terms/{language}.toml gives:\n" + "\n".join(found)
    )


def test_the_english_texts_use_their_own_terms():
    # allauth's texts that our catalogues translate keep allauth's English.
    theirs = set(WORDED_OUR_WAY)
    found = [
        f"{entry.msgid!r}: {variants}"
        for entry in entries("sv")
        for variants in [forbidden(sources(entry), "en")]
        if variants and entry.msgid not in theirs
    ]
    assert not found, "\n".join(found)


def visible_text(html: str) -> str:
    """The page's words and its fields' placeholders, without the markup."""
    placeholders = " ".join(re.findall(r'placeholder="([^"]*)"', html))
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", body) + " " + placeholders


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_in_pages_use_the_terms(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login = reverse("account_login")
    reset = reverse("account_reset_password")
    pages = {
        "sign-in": client.get(login),
        "failed sign-in": client.post(
            login, {"login": "nobody@norrby.example", "password": "wrong"}
        ),
        "password reset": client.get(reset),
        "password reset, bad address": client.post(reset, {"email": "x"}),
    }
    found = {}
    for name, page in pages.items():
        assert page.status_code == 200, name
        assert f'<html lang="{language}">' in page.text
        variants = forbidden(visible_text(page.text), language)
        if variants:
            found[name] = variants
    assert not found
    # The field and its placeholder say the same thing.
    expected = {"sv": "E-postadress", "da": "E-mailadresse"}[language]
    assert f'placeholder="{expected}"' in pages["sign-in"].text


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_account_pages_use_the_terms(client, language):
    org = make_org("vestby", language=language)
    member = make_member(org, "staff")
    sign_in(client, member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found = {}
    for name in ["account_email", "account_change_password", "mfa_index"]:
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        variants = forbidden(visible_text(page.text), language)
        if variants:
            found[name] = variants
    assert not found
