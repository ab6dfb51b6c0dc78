"""Search finds words in the language of the text: "brukaren" finds "brukare".

The same tests run on SQLite (snowballstemmer) and on PostgreSQL (full text
search with the swedish and danish configurations).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_member, make_org, sign_in

from .helpers import adopt, fill, make_base, make_draft


def search(client, org, query):
    return client.get(
        reverse("values:search", kwargs={"org": org.slug, "base": "vardegrund"}),
        {"q": query},
    )


@pytest.fixture
def swedish(org):
    version = make_draft(make_base(org))
    items = fill(version)
    items["commitment"].text = "Vi lyssnar på **brukare** innan vi bestämmer."
    items["commitment"].save()
    items["section"].body = "Samtalen i etikgrupperna hålls varje månad."
    items["section"].save()
    return adopt(version, datetime.date(2024, 1, 1))


@pytest.fixture
def danish(db):
    org = make_org("vestby", language="da", time_zone="Europe/Copenhagen")
    version = make_draft(make_base(org, name="Værdigrundlag"), title="Værdigrundlag")
    items = fill(version)
    items["guideline"].text = "Vi møder borgere med respekt og åbenhed."
    items["guideline"].save()
    items["dignity"].description = "Alle mennesker har samme værdi."
    items["dignity"].save()
    adopt(version, datetime.date(2024, 1, 1))
    return org


@pytest.mark.django_db
class TestSwedish:
    @pytest.mark.parametrize("query", ["brukaren", "brukarna", "Brukare"])
    def test_other_forms_of_the_word(self, client, org, staff, swedish, query):
        sign_in(client, staff)
        response = search(client, org, query)
        hits = response.context["hits"]
        # The commitment says "brukare", the guideline "brukare och närstående".
        assert sorted(hit.kind for hit in hits) == ["commitment", "guideline"]
        # The word as written is marked, and the Markdown around it is gone.
        assert "<mark>brukare</mark>" in response.text
        assert "**" not in response.text

    def test_every_word_must_be_found(self, client, org, staff, swedish):
        sign_in(client, staff)
        assert search(client, org, "samtal etikgrupp").context["hits"]
        assert search(client, org, "samtal brukare").context["hits"] == []

    def test_nothing_for_words_not_there(self, client, org, staff, swedish):
        sign_in(client, staff)
        response = search(client, org, "trafikpolis")
        assert response.status_code == 200
        assert response.context["hits"] == []

    def test_punctuation_only(self, client, org, staff, swedish):
        sign_in(client, staff)
        response = search(client, org, '"" -- !!')
        assert response.status_code == 200
        assert response.context["hits"] == []


@pytest.mark.django_db
class TestDanish:
    @pytest.mark.parametrize("query", ["borgeren", "borgerne", "borger"])
    def test_other_forms_of_the_word(self, client, danish, query):
        sign_in(client, make_member(danish, "staff"))
        response = search(client, danish, query)
        assert [hit.kind for hit in response.context["hits"]] == ["guideline"]
        assert "<mark>borgere</mark>" in response.text

    def test_danish_words(self, client, danish):
        sign_in(client, make_member(danish, "staff"))
        response = search(client, danish, "menneskets")
        assert [hit.key for hit in response.context["hits"]] == ["dignity"]


@pytest.mark.django_db
def test_search_page_basics(client, org, outsider, swedish):
    page = reverse("values:search", kwargs={"org": org.slug, "base": "vardegrund"})
    assert client.get(page).status_code == 302  # anonymous: sign in first
    sign_in(client, outsider)
    assert client.get(page, {"q": "brukare"}).status_code == 404
    sign_in(client, make_member(org, "staff", email="s2@norrby.example"))
    assert client.post(page).status_code == 405
