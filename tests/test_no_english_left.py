"""No English text on a Swedish or Danish page: every organisation page, crawled.

Every organisation page (the same URLconf walk as the tenant-isolation test) and
every page outside organisations is rendered for a person who chose Swedish or
Danish. The visible text, and the text of labels, titles and placeholders, may
not contain an English interface string that has a translation, nor the common
English words that only untranslated text would bring.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings

from organisations.models import Role
from tests.core.test_security import PLAIN
from tests.factories import make_org
from tests.test_tenant_isolation import ORG_PATTERNS, fetch, signed_in, url_for

LANGUAGES = ["sv", "da"]
# Words that Swedish and Danish text does not contain (but English text does).
ENGLISH = re.compile(
    r"\b(the|and|you|your|this|with|from|have|been|will|Select|Save|Cancel|Delete|"
    r"Change|Add|Back|Next|Previous|Sign in|Sign out|Password|Remember me|"
    r"Forgot|Submit|Search|Filter|Required|field|Enter a|Choose a|Email)\b"
)


class _Text(HTMLParser):
    """The text a person sees or hears: content and the attributes read aloud."""

    SPOKEN = {"aria-label", "title", "placeholder", "alt", "data-unsaved", "data-done"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if value and (
                name in self.SPOKEN
                or (tag == "input" and name == "value" and ("type", "submit") in attrs)
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def _translated_msgids(language: str) -> list[str]:
    po = polib.pofile(
        str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po")
    )
    return sorted(
        {
            e.msgid
            for e in po
            if e.translated()
            and not e.obsolete
            and e.msgstr != e.msgid
            and len(e.msgid) >= 8
            and " " in e.msgid
            and "%" not in e.msgid
            and "<" not in e.msgid
        },
        key=len,
        reverse=True,
    )


MSGIDS = {language: _translated_msgids(language) for language in LANGUAGES}


def english_in(text: str, language: str) -> list[str]:
    found = [msgid for msgid in MSGIDS[language] if msgid in text]
    found += sorted({match.group(0) for match in ENGLISH.finditer(text)})
    # One Danish word for password throughout: adgangskode.
    if language == "da":
        found += sorted(set(re.findall(r"\b[Kk]odeord\w*", text)))
    return found


@pytest.fixture
def org_sv(db):
    return make_org("alfa")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("pattern", ORG_PATTERNS, ids=str)
def test_organisation_pages_have_no_english(client, org_sv, pattern, language):
    member = signed_in(client, org_sv, Role.ADMIN)
    member.user.language = language
    member.user.save(update_fields=["language"])
    response = fetch(client, url_for(pattern, org_sv))
    if response.status_code in {301, 302, 303, 405} or "html" not in response.get(
        "Content-Type", ""
    ):
        return
    assert f'<html lang="{language}">' in response.text
    assert english_in(visible_text(response.text), language) == [], pattern.name


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PLAIN)
def test_pages_outside_organisations_have_no_english(client, staff, name, language):
    from django.urls import reverse

    staff.user.language = language
    staff.user.save(update_fields=["language"])
    client.force_login(staff.user)
    response = client.get(reverse(name))
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    assert english_in(visible_text(response.text), language) == [], name


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_in_and_password_pages_have_no_english(client, language):
    from django.urls import reverse

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name in ("account_login", "account_reset_password"):
        response = client.get(reverse(name))
        assert english_in(visible_text(response.text), language) == [], name
