"""The value base in public (values/public.py): off until an administrator
turns it on, only what is meant for the public, kept whole and never stale."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_member, make_org, sign_in

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date


def public_url(org, name: str = "value_base") -> str:
    return reverse(f"public:{name}", kwargs={"org": org.slug})


def publish(org, contact: str = "etik@norrby.example") -> None:
    org.publish_values = True
    org.public_contact = contact
    org.save()


@pytest.fixture
def current(org):
    """Version 1 in force since 2024: two values, a legal basis, a guideline."""
    version = make_draft(make_base(org), 1)
    items = fill(version)
    items["dignity"].easy_read = "Alla är lika mycket värda. Vi lyssnar på dig."
    items["dignity"].save()
    items["guideline"].public = False
    items["guideline"].save()
    version.guidelines.create(
        key="open-doors",
        audience=items["audience"],
        title="Öppna dörrar",
        text="Vi berättar alltid vem du kan vända dig till.",
        public=True,
        position=2,
    )
    return adopt(version, D(2024, 1, 1))


@pytest.mark.django_db
class TestOffByDefault:
    def test_a_new_organisation_does_not_publish(self, org, current):
        assert org.publish_values is False
        for name in ("value_base", "accessibility", "privacy"):
            assert Client().get(public_url(org, name)).status_code == 404

    def test_off_reads_like_no_organisation_at_all(self, org, current):
        off = Client().get(public_url(org))
        missing = Client().get("/public/no-such-place/")
        assert off.status_code == missing.status_code == 404
        assert org.name not in off.text

    def test_only_get(self, org, current):
        publish(org)
        assert Client().post(public_url(org)).status_code == 405


@pytest.mark.django_db
class TestWhatIsShown:
    def test_values_commitments_legal_basis_and_public_guidelines(self, org, current):
        publish(org)
        response = Client().get(public_url(org))
        assert response.status_code == 200
        page = response.text
        assert '<html lang="sv">' in page
        assert "Människors lika värde" in page
        assert "Alla är lika mycket värda. Vi lyssnar på dig." in page
        assert "Integritet" in page
        assert "Vi lyssnar innan vi bestämmer." in page
        assert "Socialtjänstlagen, 1 kap. 1 §" in page
        assert "Samhällets socialtjänst ska främja" in page
        assert "Öppna dörrar" in page
        assert "Vi berättar alltid vem du kan vända dig till." in page

    def test_nothing_internal(self, org, current):
        make_member(org, "staff", name="Sara Lind")
        publish(org)
        page = Client().get(public_url(org)).text
        # The guideline not marked public, the sections, and the people.
        assert "Bemötande" not in page
        assert "Vi möter brukare och närstående" not in page
        assert "Bakgrund" not in page
        assert "Sara Lind" not in page
        assert "/o/norrby/" not in page

    def test_a_draft_never_shows(self, org, current):
        publish(org)
        draft = current.start_next_draft(author=None)
        draft.values.filter(key="dignity").update(title="Ett utkast till värde")
        value = draft.values.create(key="draft-only", title="Bara i utkastet")
        assert value.pk
        page = Client().get(public_url(org)).text
        assert "Bara i utkastet" not in page
        assert "Människors lika värde" in page

    def test_a_version_adopted_ahead_waits_for_its_day(self, org, current):
        publish(org)
        draft = current.start_next_draft(author=None)
        draft.values.create(key="courage", title="Mod att säga ifrån")
        adopt(
            draft,
            timezone.localdate() + datetime.timedelta(days=30),
            adopted_on=timezone.localdate(),
        )
        page = Client().get(public_url(org)).text
        assert "Mod att säga ifrån" not in page
        assert "Människors lika värde" in page

    def test_nothing_in_force_yet(self, org):
        make_draft(make_base(org), 1).values.create(key="x", title="Bara ett utkast")
        publish(org)
        response = Client().get(public_url(org))
        assert response.status_code == 200
        assert "Bara ett utkast" not in response.text
        assert "Ingen värdegrund gäller i dag." in response.text

    def test_in_the_organisations_language_whatever_the_reader_asks(self, current):
        vestby = make_org("vestby", name="Vestby Kommune", language="da")
        version = make_draft(make_base(vestby), 1)
        fill(version)
        adopt(version, D(2024, 1, 1))
        publish(vestby, "etik@vestby.example")
        response = Client(headers={"accept-language": "en"}).get(public_url(vestby))
        assert '<html lang="da">' in response.text
        assert "Lovgrundlag" in response.text
        assert "Vores værdier og hvad vi lover" in response.text
        assert response["Content-Language"] == "da"

    def test_another_organisations_address_shows_only_its_own(
        self, org, other_org, current
    ):
        publish(org)
        publish(other_org, "etik@soderby.example")
        page = Client().get(public_url(other_org)).text
        assert other_org.name in page
        assert "Människors lika värde" not in page
        org.publish_values = False
        org.save()
        assert Client().get(public_url(org)).status_code == 404
        assert Client().get(public_url(other_org)).status_code == 200


@pytest.mark.django_db
class TestStatements:
    def test_accessibility_statement_names_the_contact_and_the_authority(
        self, org, current
    ):
        publish(org)
        page = Client().get(public_url(org, "accessibility")).text
        assert "mailto:etik@norrby.example" in page
        assert "Myndigheten för digital förvaltning" in page
        assert "2018:1937" in page
        assert "WCAG" in page

    def test_danish_statement_names_the_danish_authority(self, current):
        vestby = make_org("vestby", name="Vestby Kommune", language="da")
        publish(vestby, "etik@vestby.example")
        page = Client().get(public_url(vestby, "accessibility")).text
        assert "Digitaliseringsstyrelsen" in page
        assert "Myndigheten för digital förvaltning" not in page

    def test_privacy_notice(self, org, current):
        publish(org)
        page = Client().get(public_url(org, "privacy")).text
        assert "kakor" in page.lower() or "cookies" in page.lower()
        assert "mailto:etik@norrby.example" in page
        assert "IMY" in page


@pytest.mark.django_db
class TestNoCookies:
    def test_no_public_response_sets_a_cookie(self, org, current):
        publish(org)
        client = Client()
        for name in ("value_base", "accessibility", "privacy"):
            for _ in range(2):
                response = client.get(public_url(org, name))
                assert response.status_code == 200
                assert not response.cookies
                assert "Set-Cookie" not in response
        assert not client.cookies


@pytest.mark.django_db
class TestKept:
    def test_a_warm_page_costs_no_query(self, org, current, django_assert_num_queries):
        publish(org)
        client = Client()
        first = client.get(public_url(org))
        with django_assert_num_queries(0):
            second = client.get(public_url(org))
        assert second.status_code == 200
        assert second.content == first.content
        assert not second.templates

    def test_an_adoption_shows_at_once(self, org, current):
        publish(org)
        client = Client()
        assert "Mod att säga ifrån" not in client.get(public_url(org)).text
        draft = current.start_next_draft(author=None)
        draft.values.create(key="courage", title="Mod att säga ifrån")
        assert "Mod att säga ifrån" not in client.get(public_url(org)).text
        adopt(draft, timezone.localdate(), adopted_on=timezone.localdate())
        assert "Mod att säga ifrån" in client.get(public_url(org)).text

    def test_turning_it_off_and_on_shows_at_once(self, org, current):
        publish(org)
        client = Client()
        assert client.get(public_url(org)).status_code == 200
        org.publish_values = False
        org.save()
        assert client.get(public_url(org)).status_code == 404
        publish(org, "ny@norrby.example")
        assert "ny@norrby.example" in client.get(public_url(org, "privacy")).text

    def test_a_version_adopted_ahead_shows_on_its_day(self, org, current, monkeypatch):
        publish(org)
        ahead = timezone.localdate() + datetime.timedelta(days=3)
        draft = current.start_next_draft(author=None)
        draft.values.create(key="courage", title="Mod att säga ifrån")
        adopt(draft, ahead, adopted_on=timezone.localdate())
        client = Client()
        assert "Mod att säga ifrån" not in client.get(public_url(org)).text
        later = timezone.now() + datetime.timedelta(days=4)
        monkeypatch.setattr(timezone, "now", lambda: later)
        import values.public

        monkeypatch.setattr(
            values.public,
            "_today",
            lambda zone: later.astimezone(datetime.UTC).date(),
        )
        assert "Mod att säga ifrån" in client.get(public_url(org)).text


@pytest.mark.django_db(transaction=True)
def test_the_page_is_served_while_redis_is_down(
    org, current, redis_cache, redis_server
):
    publish(org)
    client = Client()
    assert "Människors lika värde" in client.get(public_url(org)).text
    redis_server.stop()
    response = client.get(public_url(org))
    assert response.status_code == 200
    assert "Människors lika värde" in response.text
    org.publish_values = False
    org.save()
    assert client.get(public_url(org)).status_code == 404


@pytest.mark.django_db
class TestSettings:
    def test_an_administrator_turns_it_on(self, org, current, admin_member):
        client = Client()
        sign_in(client, admin_member)
        settings_url = reverse("organisations:settings", kwargs={"org": org.slug})
        form = client.get(settings_url)
        assert 'name="publish_values"' in form.text
        data = {
            "name": org.name,
            "language": org.language,
            "time_zone": org.time_zone,
            "retention_days": org.retention_days,
            "idle_minutes": org.idle_minutes,
            "evaluation_minimum": org.evaluation_minimum,
            "publish_values": "on",
        }
        refused = client.post(settings_url, data)
        assert refused.status_code == 200
        assert 'href="#id_public_contact"' in refused.text
        # What the administrator chose is still chosen.
        assert re.search(r'<input[^>]*name="publish_values"[^>]*checked', refused.text)
        org.refresh_from_db()
        assert org.publish_values is False
        response = client.post(
            settings_url, {**data, "public_contact": "etik@norrby.example"}
        )
        assert response.status_code == 302
        org.refresh_from_db()
        assert org.publish_values is True
        assert org.public_contact == "etik@norrby.example"
        assert Client().get(public_url(org)).status_code == 200

    @pytest.mark.parametrize("role", ["staff", "facilitator", "manager", "editor"])
    def test_only_administrators(self, org, role):
        client = Client()
        sign_in(client, make_member(org, role))
        settings_url = reverse("organisations:settings", kwargs={"org": org.slug})
        response = client.post(
            settings_url,
            {"name": org.name, "publish_values": "on", "public_contact": "a@b.example"},
        )
        assert response.status_code == 403
        org.refresh_from_db()
        assert org.publish_values is False

    def test_not_another_organisations_administrator(self, org, other_org):
        client = Client()
        sign_in(client, make_member(other_org, "admin"))
        settings_url = reverse("organisations:settings", kwargs={"org": org.slug})
        response = client.post(
            settings_url,
            {"name": org.name, "publish_values": "on", "public_contact": "a@b.example"},
        )
        assert response.status_code in (403, 404)
        org.refresh_from_db()
        assert org.publish_values is False
