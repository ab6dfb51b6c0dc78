"""The value-base pages kept whole (organisations/pagecache.py): never one person's
page for another, always the requester's CSRF token and this response's nonce."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guidelines.models import Audience
from tests.factories import make_audience, make_member, make_org, sign_in

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date


def url(name, org, **kwargs):
    return reverse(
        f"values:{name}", kwargs={"org": org.slug, "base": "vardegrund", **kwargs}
    )


def guidelines_url(org, **query):
    path = reverse("guidelines:for_me", kwargs={"org": org.slug, "base": "vardegrund"})
    return path + ("?audience=" + query["audience"] if query else "")


def menu(short_name: str) -> str:
    """The person's name as their menu shows it: a bare "Bo" can turn up by
    chance in a random CSRF token or nonce."""
    return f"</span>{short_name}</summary>"


def from_cache(response) -> bool:
    """A kept page is served without rendering its template; only the person's
    menu may be rendered, the first time that person is seen."""
    names = {template.name for template in response.templates}
    return response.status_code == 200 and names <= {"includes/person_menu.html"}


@pytest.fixture
def clients_audience(org):
    return make_audience(org, "clients", name="I mötet med brukare")


@pytest.fixture
def managers_audience(org):
    return make_audience(org, "managers", name="Chefer")


@pytest.fixture
def current(org, clients_audience, managers_audience):
    """Version 1 in force since 2024, with a guideline for each audience."""
    version = make_draft(make_base(org), 1)
    fill(version, clients_audience)
    version.guidelines.create(
        key="time-for-ethics",
        audience=managers_audience,
        title="Tid för etik",
        text="Chefer ger tid för etikreflektion.",
        position=2,
    )
    return adopt(version, D(2024, 1, 1))


@pytest.fixture
def sara(org, clients_audience):
    return make_member(org, "staff", name="Sara Lind", audiences=[clients_audience])


@pytest.fixture
def bo(org, clients_audience):
    return make_member(
        org,
        "staff",
        name="Bo Berg",
        email="bo@norrby.example",
        audiences=[clients_audience],
    )


def signed_in(membership, **kwargs) -> Client:
    client = Client(**kwargs)
    sign_in(client, membership)
    return client


@pytest.mark.django_db
class TestPeopleAreNeverMixed:
    def test_each_person_sees_their_own_name(self, org, current, sara, bo):
        first = signed_in(sara).get(url("in_force", org))
        second = signed_in(bo).get(url("in_force", org))
        assert not from_cache(first)
        assert from_cache(second)
        assert menu("Sara") in first.text and menu("Bo") not in first.text
        assert menu("Bo") in second.text and menu("Sara") not in second.text
        assert "Chefer ger tid för etikreflektion." in second.text

    def test_the_switcher_lists_only_the_requesters_organisations(
        self, org, other_org, current, sara, bo
    ):
        make_member(other_org, "staff", user=bo.user)
        signed_in(sara).get(url("in_force", org))
        bo_page = signed_in(bo).get(url("in_force", org))
        sara_page = signed_in(sara).get(url("in_force", org))
        assert from_cache(bo_page) and from_cache(sara_page)
        assert other_org.name in bo_page.text
        assert other_org.name not in sara_page.text

    def test_a_new_membership_shows_in_the_switcher_at_once(
        self, org, other_org, current, bo
    ):
        client = signed_in(bo)
        assert other_org.name not in client.get(url("in_force", org)).text
        make_member(other_org, "staff", user=bo.user)
        assert other_org.name in client.get(url("in_force", org)).text

    def test_another_role_gets_its_own_page(self, org, current, sara):
        editor = make_member(org, "editor", name="Eva Editor")
        signed_in(sara).get(url("in_force", org))
        editors_page = signed_in(editor).get(url("in_force", org))
        staff_page = signed_in(sara).get(url("in_force", org))
        assert from_cache(staff_page)
        draft_start = url("draft_start", org)
        assert f'action="{draft_start}"' in editors_page.text
        assert draft_start not in staff_page.text

    def test_guidelines_follow_the_persons_audiences(
        self, org, current, sara, bo, managers_audience
    ):
        chef = make_member(
            org,
            "staff",
            name="Cecilia Chef",
            email="cecilia@norrby.example",
            audiences=[managers_audience],
        )
        sara_page = signed_in(sara).get(guidelines_url(org))
        bo_page = signed_in(bo).get(guidelines_url(org))
        chef_page = signed_in(chef).get(guidelines_url(org))
        assert from_cache(bo_page)
        assert not from_cache(chef_page)
        for page in (sara_page, bo_page):
            assert "Bemötande" in page.text
            assert "Tid för etik" not in page.text
        assert "Tid för etik" in chef_page.text
        assert "Bemötande" not in chef_page.text
        assert menu("Cecilia") in chef_page.text and menu("Bo") not in chef_page.text
        everyone = signed_in(chef).get(guidelines_url(org, audience="all"))
        assert "Bemötande" in everyone.text and "Tid för etik" in everyone.text

    def test_a_changed_audience_shows_at_once(
        self, org, current, sara, managers_audience
    ):
        client = signed_in(sara)
        assert "Tid för etik" not in client.get(guidelines_url(org)).text
        sara.audiences.add(managers_audience)
        assert "Tid för etik" in client.get(guidelines_url(org)).text
        sara.audiences.remove(managers_audience)
        assert "Tid för etik" not in client.get(guidelines_url(org)).text
        managers_audience.memberships.add(sara)
        assert "Tid för etik" in client.get(guidelines_url(org)).text

    def test_two_organisations(self, org, current, sara):
        other = make_org("vastby", name="Västby kommun")
        other_version = make_draft(make_base(other), 1, title="Västbys värdegrund")
        fill(other_version, make_audience(other, "clients"))
        adopt(other_version, D(2024, 1, 1))
        other_member = make_member(other, "staff", name="Olof Ost")
        ours = signed_in(sara).get(url("in_force", org))
        theirs = signed_in(other_member).get(url("in_force", other))
        assert "Västbys värdegrund" in theirs.text
        assert "Västbys värdegrund" not in ours.text
        assert org.name not in theirs.text and other.name in theirs.text

    def test_two_languages(self, org, current, sara, bo):
        bo.user.language = "en"
        bo.user.save(update_fields=["language"])
        swedish = signed_in(sara).get(url("in_force", org))
        english = signed_in(bo).get(url("in_force", org))
        assert '<html lang="sv">' in swedish.text
        assert '<html lang="en">' in english.text
        assert not from_cache(english)
        assert "Download as text" in english.text
        assert "Download as text" not in swedish.text


@pytest.mark.django_db
class TestPerResponseParts:
    def test_the_csrf_token_is_the_requesters_and_works(self, org, current, sara, bo):
        signed_in(sara).get(url("in_force", org))
        client = signed_in(bo, enforce_csrf_checks=True)
        page = client.get(url("in_force", org))
        assert from_cache(page)
        tokens = set(
            re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        )
        assert len(tokens) == 1
        (token,) = tokens
        assert f'"X-CSRFToken": "{token}"' in page.text
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        assert _unmask_cipher_token(token) == secret
        response = client.post(
            reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        bo.user.refresh_from_db()
        assert bo.user.language == "en"

    def test_the_nonce_is_this_responses(self, org, current, sara):
        client = signed_in(sara)
        nonces = []
        for _ in range(2):
            page = client.get(url("in_force", org))
            (nonce,) = set(re.findall(r'nonce="([^"]+)"', page.text))
            assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
            nonces.append(nonce)
        assert from_cache(page)
        assert nonces[0] != nonces[1]

    def test_304_for_the_same_person_only(self, org, current, sara, bo):
        sara_client = signed_in(sara)
        first = sara_client.get(url("in_force", org))
        etag = first["ETag"]
        again = sara_client.get(url("in_force", org), headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
        bo_page = signed_in(bo).get(
            url("in_force", org), headers={"if-none-match": etag}
        )
        assert bo_page.status_code == 200
        assert menu("Bo") in bo_page.text

    def test_a_page_with_a_message_is_not_kept(self, org, current, sara):
        editor = make_member(org, "editor", name="Eva Editor")
        client = signed_in(editor)
        # Starting a draft leaves a message for the next page.
        client.post(url("draft_start", org))
        with_message = client.get(url("in_force", org))
        assert "message--success" in with_message.text
        assert not from_cache(with_message)
        later = signed_in(editor).get(url("in_force", org))
        assert "message--success" not in later.text


@pytest.mark.django_db
class TestNeverStale:
    def test_a_new_adoption_shows_at_once(self, org, current, sara):
        client = signed_in(sara)
        assert "Version 2" not in client.get(url("in_force", org)).text
        draft = current.start_next_draft(author=None)
        draft.title = "Den nya värdegrunden"
        draft.save()
        assert "Den nya värdegrunden" not in client.get(url("in_force", org)).text
        adopt(draft, timezone.localdate())
        page = client.get(url("in_force", org))
        assert "Den nya värdegrunden" in page.text
        search = client.get(url("search", org) + "?q=respekt")
        assert search.context["version"] == draft

    def test_a_drafts_edits_show_at_once(self, org, current):
        editor = make_member(org, "editor", name="Eva Editor")
        draft = current.start_next_draft(author=None)
        client = signed_in(editor)
        preview = url("version_detail", org, number=draft.number)
        compare = url("compare", org) + f"?from=1&to={draft.number}"
        assert "Helt ny text." not in client.get(preview).text
        assert "badge--changed" not in client.get(compare).text
        section = draft.sections.get()
        section.body = "Helt ny text."
        section.save()
        assert "Helt ny text." in client.get(preview).text
        assert "badge--changed" in client.get(compare).text

    def test_settings_of_the_organisation_show_at_once(self, org, current, sara):
        client = signed_in(sara)
        client.get(url("in_force", org))
        org.name = "Norrby kommun, omsorgen"
        org.save()
        assert "Norrby kommun, omsorgen" in client.get(url("in_force", org)).text

    def test_a_renamed_audience_shows_at_once(self, org, current, sara):
        client = signed_in(sara)
        client.get(guidelines_url(org))
        Audience.objects.filter(key="clients").get().__class__  # noqa: B018
        audience = Audience.objects.get(organisation=org, key="clients")
        audience.name = "Brukare och närstående"
        audience.save()
        assert "Brukare och närstående" in client.get(guidelines_url(org)).text

    def test_a_deactivated_member_loses_access_at_once(self, org, current, sara):
        client = signed_in(sara)
        assert client.get(url("in_force", org)).status_code == 200
        assert from_cache(client.get(url("in_force", org)))
        sara.is_active = False
        sara.save(update_fields=["is_active"])
        assert client.get(url("in_force", org)).status_code == 404
        assert client.get(guidelines_url(org)).status_code == 404

    def test_a_new_password_signs_the_other_sessions_out_at_once(
        self, org, current, sara
    ):
        client = signed_in(sara)
        assert client.get(url("in_force", org)).status_code == 200
        user = sara.user
        user.set_password("ett-helt-nytt-losenord")
        user.save()
        response = client.get(url("in_force", org))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_a_deactivated_account_is_signed_out_at_once(self, org, current, sara):
        client = signed_in(sara)
        assert client.get(url("in_force", org)).status_code == 200
        sara.user.is_active = False
        sara.user.save(update_fields=["is_active"])
        response = client.get(url("in_force", org))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_a_member_whose_role_changes_gets_that_roles_page(self, org, current, sara):
        client = signed_in(sara)
        client.get(url("in_force", org))
        sara.role = "editor"
        sara.save(update_fields=["role"])
        assert url("draft_start", org) in client.get(url("in_force", org)).text


@pytest.mark.django_db
class TestQueries:
    def test_a_kept_page_costs_one_query(
        self, org, current, sara, bo, django_assert_num_queries
    ):
        signed_in(sara).get(url("in_force", org))
        client = signed_in(bo)
        client.get(url("version_list", org))  # Bo's memberships are kept now.
        # The session alone: the person, the memberships and the page are kept.
        with django_assert_num_queries(1):
            page = client.get(url("in_force", org))
        assert from_cache(page)

    def test_guidelines_cost_no_more(
        self, org, current, sara, bo, django_assert_num_queries
    ):
        signed_in(sara).get(guidelines_url(org))
        client = signed_in(bo)
        client.get(url("version_list", org))
        # The audiences come with the kept memberships.
        with django_assert_num_queries(1):
            assert from_cache(client.get(guidelines_url(org)))


@pytest.mark.django_db
class TestComparisonsAreKept:
    def test_by_version_and_language(self, org, current, sara, bo):
        second = current.start_next_draft(author=None)
        section = second.sections.get()
        section.body = "Helt ny text."
        section.save()
        adopt(second, D(2025, 1, 1))
        bo.user.language = "en"
        bo.user.save(update_fields=["language"])
        compare = url("compare", org) + "?from=1&to=2"
        swedish = signed_in(sara).get(compare)
        english = signed_in(bo).get(compare)
        again = signed_in(make_member(org, "editor", name="Eva Editor")).get(compare)
        assert "tillagt: </span>Helt" in swedish.text
        assert "added: </span>Helt" in english.text
        assert "tillagt: </span>Helt" in again.text
        assert from_cache(signed_in(sara).get(compare))
