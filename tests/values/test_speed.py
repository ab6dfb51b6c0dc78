from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guidelines.models import Guideline
from tests.factories import PASSWORD
from values.models import Commitment, CoreValue, Section

from .helpers import adopt, fill, make_base, make_draft


def _grow(version, audience, size: int) -> None:
    for i in range(size):
        Section.objects.create(version=version, title=f"Avsnitt {i}", body="Text")
        value = CoreValue.objects.create(version=version, title=f"Värde {i}")
        for j in range(3):
            Commitment.objects.create(value=value, text=f"Åtagande {i}.{j}")
        guideline = Guideline.objects.create(
            version=version, audience=audience, title=f"Riktlinje {i}", text="Text"
        )
        guideline.related_values.set([value])


def _queries(client, org, staff, size: int, versions: int) -> int:
    base = make_base(org, slug=f"bas-{size}")
    previous = None
    for number in range(1, versions + 1):
        version = (
            previous.start_next_draft(author=None)
            if previous
            else make_draft(base, number)
        )
        if previous is None:
            items = fill(version)
            _grow(version, items["audience"], size)
        adopt(version, datetime.date(2020 + number, 1, 1))
        previous = version
    client.login(email=staff.user.email, password=PASSWORD)
    url = reverse("values:in_force", kwargs={"org": org.slug, "base": base.slug})
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"audience": "all"})
    assert response.status_code == 200
    assert response.text.count('class="guideline"') == size + 1
    return len(queries)


@pytest.mark.django_db
def test_version_page_queries_do_not_grow(client, org, staff):
    small = _queries(client, org, staff, size=2, versions=1)
    large = _queries(client, org, staff, size=25, versions=4)
    assert small == large


@pytest.mark.django_db
def test_cached_page_costs_fewer_queries(client, org, staff):
    base = make_base(org)
    version = make_draft(base)
    fill(version)
    adopt(version, datetime.date(2024, 1, 1))
    client.login(email=staff.user.email, password=PASSWORD)
    url = reverse("values:in_force", kwargs={"org": org.slug, "base": base.slug})
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm) < len(cold)


def _content(version) -> list:
    """Everything a version holds, as it reads, without ids or versions."""
    return [
        list(version.sections.values_list("key", "title", "body", "position")),
        list(version.legal_bases.values_list("key", "law", "text", "position")),
        list(version.values.values_list("key", "title", "description", "position")),
        list(
            Commitment.objects.filter(value__version=version).values_list(
                "value__key", "key", "text", "position"
            )
        ),
        list(
            version.guidelines.values_list(
                "key", "audience__key", "title", "text", "public", "position"
            )
        ),
        sorted(
            Guideline.related_values.through.objects.filter(
                guideline__version=version
            ).values_list("guideline__key", "corevalue__key")
        ),
        list(version.lead_ins.values_list("key", "audience__key", "text", "position")),
    ]


@pytest.mark.django_db
def test_a_new_draft_copies_everything_in_queries_that_do_not_grow(org):
    costs = []
    for size in (2, 25):
        base = make_base(org, slug=f"kopia-{size}")
        version = make_draft(base)
        items = fill(version)
        _grow(version, items["audience"], size)
        adopt(version, datetime.date(2020, 1, 1))
        with CaptureQueriesContext(connection) as queries:
            draft = version.start_next_draft(author=None)
        costs.append(len(queries))
        copied = _content(draft)
        assert copied == _content(version)
        assert len(copied[3]) >= 3 * size
        # The copies are the draft's own rows, linked to the draft's own values.
        assert not draft.guidelines.filter(related_values__version=version).exists()
    assert costs[0] == costs[1]
