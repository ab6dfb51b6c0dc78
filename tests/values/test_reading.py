from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_member
from tests.translations import tr

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date


@pytest.fixture
def base(org):
    return make_base(org)


@pytest.fixture
def history(base):
    """Version 1 in force 2024, version 2 from 2025, and a draft 3."""
    one = make_draft(base, 1)
    items = fill(one)
    adopt(one, D(2024, 1, 1))
    two = one.start_next_draft(author=None)
    dignity = two.values.get(key="dignity")
    dignity.description = "Alla människor har samma värde och bemöts med respekt."
    dignity.save()
    adopt(two, D(2025, 1, 1))
    three = two.start_next_draft(author=None)
    return one, two, three, items


def login(client, membership):
    client.login(email=membership.user.email, password=PASSWORD)
    return client


def url(name, org, **kwargs):
    return reverse(f"values:{name}", kwargs={"org": org.slug, **kwargs})


@pytest.mark.django_db
class TestInForce:
    def test_today(self, client, org, staff, base, history):
        one, two, three, _ = history
        response = login(client, staff).get(url("in_force", org, base=base.slug))
        assert response.status_code == 200
        assert response.context["version"] == two
        assert "Alla människor har samma värde" in response.text

    @pytest.mark.parametrize(
        ("day", "number"),
        [
            ("2024-01-01", 1),
            ("2024-12-31", 1),
            ("2025-01-01", 2),
        ],
    )
    def test_on_date_boundaries(self, client, org, staff, base, history, day, number):
        response = login(client, staff).get(
            url("in_force", org, base=base.slug), {"on": day}
        )
        assert response.context["version"].number == number

    def test_nothing_in_force_yet(self, client, org, staff, base, history):
        response = login(client, staff).get(
            url("in_force", org, base=base.slug), {"on": "2023-12-31"}
        )
        assert response.status_code == 200
        assert "version" not in response.context
        assert response.context["day"] == D(2023, 12, 31)

    def test_bad_date_falls_back_to_today(self, client, org, staff, base, history):
        response = login(client, staff).get(
            url("in_force", org, base=base.slug), {"on": "31/12/2023"}
        )
        assert response.status_code == 200
        assert response.context["version"] == history[1]

    def test_the_day_is_asked_in_three_parts_and_comes_back(
        self, client, org, staff, base, history
    ):
        page = login(client, staff).get(url("in_force", org, base=base.slug))
        assert 'type="date"' not in page.text
        for part in ("on_0", "on_1", "on_2"):
            assert f'name="{part}"' in page.text

        response = client.get(
            url("in_force", org, base=base.slug),
            {"on_0": "31", "on_1": "12", "on_2": "2024"},
        )

        assert response.context["version"].number == 1
        # The day shown stays in its boxes, day first.
        assert 'name="on_0" value="31"' in response.text
        assert 'name="on_1" value="12"' in response.text
        assert 'name="on_2" value="2024"' in response.text
        assert "error-summary" not in response.text

    def test_an_impossible_day_says_so_and_keeps_what_was_typed(
        self, client, org, staff, base, history
    ):
        response = login(client, staff).get(
            url("in_force", org, base=base.slug),
            {"on_0": "30", "on_1": "2", "on_2": "2025"},
        )

        assert response.status_code == 200
        assert response.context["version"] == history[1]
        message = tr(
            "sv",
            "Enter a real date: the day, the month and the year, such as 12 7 2026.",
        )
        assert f'<a href="#id_on_fieldset">{message}</a>' in response.text
        assert f'id="id_on_error">{message}</p>' in response.text
        assert 'name="on_0" value="30"' in response.text
        assert 'name="on_1" value="2"' in response.text
        assert 'name="on_2" value="2025"' in response.text
        # The folded tools open to show the error.
        assert '<details class="page-tools no-print" open>' in response.text

    def test_future_effective_date(self, client, org, staff, base, history):
        one, two, three, _ = history
        adopt(three, D(2099, 1, 1), adopted_on=D(2025, 6, 1))
        response = login(client, staff).get(url("in_force", org, base=base.slug))
        assert response.context["version"] == two
        response = client.get(
            url("in_force", org, base=base.slug), {"on": "2099-01-01"}
        )
        assert response.context["version"].number == 3


@pytest.mark.django_db
class TestVersions:
    def test_staff_do_not_see_drafts(self, client, org, staff, base, history):
        response = login(client, staff).get(url("version_list", org, base=base.slug))
        assert [v.number for v in response.context["versions"]] == [2, 1]
        draft = client.get(url("version_detail", org, base=base.slug, number=3))
        assert draft.status_code == 404

    def test_editor_sees_draft(self, client, org, base, history):
        editor = make_member(org, "editor")
        response = login(client, editor).get(url("version_list", org, base=base.slug))
        assert [v.number for v in response.context["versions"]] == [3, 2, 1]
        assert (
            client.get(url("version_detail", org, base=base.slug, number=3)).status_code
            == 200
        )

    def test_other_org_gets_404(self, client, org, outsider, base, history):
        response = login(client, outsider).get(url("in_force", org, base=base.slug))
        assert response.status_code == 404

    def test_stable_links(self, client, org, staff, base, history):
        login(client, staff)
        value = client.get(
            url("value_detail", org, base=base.slug, number=1, key="dignity")
        )
        assert value.status_code == 200
        assert "Alla bemöts med respekt för sitt värde." in value.text
        missing = client.get(
            url("value_detail", org, base=base.slug, number=1, key="nope")
        )
        assert missing.status_code == 404


@pytest.mark.django_db
class TestConditionalRequests:
    def test_etag_and_304(self, client, org, staff, base, history):
        login(client, staff)
        page = url("version_detail", org, base=base.slug, number=1)
        first = client.get(page)
        etag = first["ETag"]
        assert etag
        again = client.get(page, headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""

    def test_draft_has_no_etag(self, client, org, base, history):
        editor = make_member(org, "editor")
        response = login(client, editor).get(
            url("version_detail", org, base=base.slug, number=3)
        )
        assert "ETag" not in response


@pytest.mark.django_db
class TestSearch:
    def test_finds_and_highlights(self, client, org, staff, base, history):
        response = login(client, staff).get(
            url("search", org, base=base.slug), {"q": "respekt"}
        )
        assert response.status_code == 200
        hits = response.context["hits"]
        assert hits
        assert "<mark>" in response.text
        assert {h.kind for h in hits} >= {"value"}

    def test_escapes_content(self, client, org, staff):
        base = make_base(org, slug="egen")
        version = make_draft(base)
        items = fill(version)
        items["section"].body = "<b>respekt</b> <script>alert(1)</script>"
        items["section"].save()
        adopt(version, D(2024, 1, 1))
        response = login(client, staff).get(
            url("search", org, base=base.slug), {"q": "respekt"}
        )
        # PostgreSQL's headline drops markup, SQLite's shows it escaped: either
        # way nothing from the text reaches the page as HTML.
        assert "<mark>respekt</mark>" in response.text
        assert "<b><mark>" not in response.text
        assert "<script>alert" not in response.text

    def test_htmx_returns_results_only(self, client, org, staff, base, history):
        response = login(client, staff).get(
            url("search", org, base=base.slug),
            {"q": "respekt"},
            headers={"HX-Request": "true"},
        )
        assert response.text.lstrip().startswith('<div id="results"')
        assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]
