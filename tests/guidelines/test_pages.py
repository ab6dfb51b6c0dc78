from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_audience, make_member, sign_in
from tests.values.helpers import adopt, fill, make_base, make_draft

D = datetime.date


def url(name, org, **kwargs):
    return reverse(f"guidelines:{name}", kwargs={"org": org.slug, **kwargs})


@pytest.fixture
def base(org):
    return make_base(org)


@pytest.fixture
def history(base):
    """Version 1 from 2024, version 2 from 2025 with a changed guideline, draft 3."""
    one = make_draft(base, 1)
    items = fill(one)
    adopt(one, D(2024, 1, 1))
    two = one.start_next_draft(author=None)
    guideline = two.guidelines.get(key="respect-clients")
    guideline.text = "Vi möter brukare och närstående med respekt, tydlighet och tid."
    guideline.save()
    managers = make_audience(base.organisation, "managers", name="Chefer")
    two.guidelines.create(
        key="time-for-ethics",
        audience=managers,
        title="Tid för etik",
        text="Chefer ger tid för etikreflektion.",
        position=2,
    )
    adopt(two, D(2025, 1, 1))
    three = two.start_next_draft(author=None)
    return one, two, three, items | {"managers": managers}


@pytest.mark.django_db
class TestDetail:
    def test_shows_the_guideline_of_that_version(self, client, org, staff, history):
        sign_in(client, staff)
        old = client.get(
            url("detail", org, base="vardegrund", number=1, key="respect-clients")
        )
        assert old.status_code == 200
        assert "Vi möter brukare och närstående med respekt och tydlighet." in old.text
        assert "tydlighet och tid" not in old.text
        new = client.get(
            url("detail", org, base="vardegrund", number=2, key="respect-clients")
        )
        assert "tydlighet och tid" in new.text
        assert "Människors lika värde" in new.text  # its related values

    def test_unknown_key_is_404(self, client, org, staff, history):
        response = sign_in(client, staff) and client.get(
            url("detail", org, base="vardegrund", number=1, key="nope")
        )
        assert response.status_code == 404

    def test_drafts_are_for_editors(self, client, org, staff, history):
        page = url("detail", org, base="vardegrund", number=3, key="respect-clients")
        sign_in(client, staff)
        assert client.get(page).status_code == 404
        sign_in(client, make_member(org, "editor"))
        assert client.get(page).status_code == 200

    def test_post_not_allowed(self, client, org, staff, history):
        sign_in(client, staff)
        page = url("detail", org, base="vardegrund", number=1, key="respect-clients")
        assert client.post(page).status_code == 405

    def test_anonymous_goes_to_sign_in(self, client, org, history):
        page = url("detail", org, base="vardegrund", number=1, key="respect-clients")
        response = client.get(page)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_other_organisation_is_404(self, client, org, outsider, history):
        sign_in(client, outsider)
        page = url("detail", org, base="vardegrund", number=1, key="respect-clients")
        assert client.get(page).status_code == 404


@pytest.mark.django_db
class TestHistory:
    def test_newest_first_with_changes(self, client, org, staff, history):
        sign_in(client, staff)
        response = client.get(
            url("history", org, base="vardegrund", key="respect-clients")
        )
        assert response.status_code == 200
        numbers = [e["guideline"].version.number for e in response.context["timeline"]]
        assert numbers == [2, 1]  # the draft is not for staff
        assert "<ins>" in response.text
        assert "<del>" in response.text

    def test_a_guideline_added_later_names_the_versions_without_it(
        self, client, org, staff, history
    ):
        sign_in(client, staff)
        response = client.get(
            url("history", org, base="vardegrund", key="time-for-ethics")
        )
        assert [v.number for v in response.context["missing"]] == [1]

    def test_unknown_key_is_404(self, client, org, staff, history):
        sign_in(client, staff)
        assert (
            client.get(url("history", org, base="vardegrund", key="x")).status_code
            == 404
        )

    def test_post_not_allowed(self, client, org, staff, history):
        sign_in(client, staff)
        page = url("history", org, base="vardegrund", key="respect-clients")
        assert client.post(page).status_code == 405

    def test_other_organisation_is_404(self, client, org, outsider, history):
        sign_in(client, outsider)
        page = url("history", org, base="vardegrund", key="respect-clients")
        assert client.get(page).status_code == 404


@pytest.mark.django_db
class TestForMe:
    def test_my_audiences_by_default(self, client, org, history):
        one, two, three, items = history
        member = make_member(org, "staff", audiences=[items["managers"]])
        sign_in(client, member)
        response = client.get(url("for_me", org, base="vardegrund"))
        assert response.status_code == 200
        assert response.context["audience_choice"] == "mine"
        assert "Chefer ger tid för etikreflektion." in response.text
        assert "Vi möter brukare" not in response.text

    def test_everyone_and_one_audience(self, client, org, history):
        one, two, three, items = history
        sign_in(client, make_member(org, "staff", audiences=[items["managers"]]))
        page = url("for_me", org, base="vardegrund")
        everyone = client.get(page, {"audience": "all"})
        assert "Vi möter brukare" in everyone.text
        assert "Chefer ger tid" in everyone.text
        clients = client.get(page, {"audience": "clients"})
        assert "Vi möter brukare" in clients.text
        assert "Chefer ger tid" not in clients.text
        unknown = client.get(page, {"audience": "<nobody>"})
        assert unknown.context["audience_choice"] == "all"

    def test_without_audiences_everyone(self, client, org, staff, history):
        sign_in(client, staff)
        response = client.get(url("for_me", org, base="vardegrund"))
        assert response.context["audience_choice"] == "all"
        assert "Vi möter brukare" in response.text

    def test_nothing_in_force(self, client, org, staff, base):
        fill(make_draft(base))
        sign_in(client, staff)
        response = client.get(url("for_me", org, base="vardegrund"))
        assert response.status_code == 200
        assert response.context["version"] is None
        assert "Vi möter brukare" not in response.text

    def test_post_not_allowed(self, client, org, staff, history):
        sign_in(client, staff)
        assert client.post(url("for_me", org, base="vardegrund")).status_code == 405

    def test_anonymous_and_other_organisation(self, client, org, outsider, history):
        page = url("for_me", org, base="vardegrund")
        assert client.get(page).status_code == 302
        sign_in(client, outsider)
        assert client.get(page).status_code == 404
