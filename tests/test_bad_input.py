"""No request made of bad input ever answers 500.

For every organisation page (found by the same URLconf walk as the tenant-isolation
test), an administrator posts junk into every field the page's forms name: far too
long text, impossible dates and numbers, markup, NUL characters and ids that
do not exist. Every answer must be a page, a redirect or a refusal, never a 500.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse

from organisations.models import Role
from tests.factories import make_org
from tests.test_tenant_isolation import ORG_PATTERNS, signed_in, url_for

JUNK = [
    "x" * 20000,
    "2024-13-45",
    "-1",
    "99999999999999999999",
    '<script>alert("x")</script>',
    "nul\x00byte",
    "00000000-0000-0000-0000-000000000000",
    "",
    # Digits that str.isdigit() accepts and int() refuses, or reads differently.
    "²",
    "١٢٣",
    "߁",
    "１２",
]
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', re.I)


def field_names(response: HttpResponse) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    return set(FIELD.findall(response.content.decode())) - {"csrfmiddlewaretoken"}


@pytest.fixture
def org_a(db):
    return make_org("alfa")


@pytest.mark.parametrize("pattern", ORG_PATTERNS, ids=str)
def test_junk_in_every_field_never_gives_500(client, org_a, pattern):
    signed_in(client, org_a, Role.ADMIN)
    url = url_for(pattern, org_a)
    page = client.get(url)
    assert page.status_code < 500
    names = field_names(page) or {"junk"}
    # Query parameters the views read besides their forms' fields.
    names |= {"value", "from", "to", "page", "closed", "group", "q", "audience"}
    for value in JUNK:
        response = client.post(url, dict.fromkeys(names, value))
        assert response.status_code < 500, (url, value[:40])
        response = client.get(url, dict.fromkeys(names, value))
        assert response.status_code < 500, (url, value[:40])
