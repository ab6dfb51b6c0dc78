"""Edit from the page in force; one menu per item; dates in words; whole commitments."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_member, sign_in
from values.models import Commitment

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date


@pytest.fixture
def current(org):
    version = make_draft(make_base(org))
    fill(version)
    return adopt(version, D(2024, 1, 1))


def url(name, org, **kwargs):
    return reverse(
        f"values:{name}", kwargs={"org": org.slug, "base": "vardegrund", **kwargs}
    )


@pytest.mark.django_db
class TestEditAsNewDraft:
    def test_editor_sees_the_action_and_it_starts_a_draft(self, client, org, current):
        sign_in(client, make_member(org, "editor"))
        page = client.get(url("in_force", org))
        action = url("draft_start", org)
        assert f'action="{action}"' in page.text
        response = client.post(action)
        assert response.status_code == 302
        draft = current.value_base.draft()
        assert draft.number == 2
        # Once there is a draft the page in force leads to it instead.
        again = client.get(url("in_force", org))
        assert f'action="{action}"' not in again.text
        assert url("draft_edit", org, number=2) in again.text

    def test_staff_do_not_see_it(self, client, org, staff, current):
        sign_in(client, staff)
        page = client.get(url("in_force", org))
        assert url("draft_start", org) not in page.text

    def test_the_cached_page_changes_when_a_draft_is_started(
        self, client, org, current
    ):
        sign_in(client, make_member(org, "editor"))
        first = client.get(url("in_force", org))
        current.start_next_draft(author=None)
        again = client.get(
            url("in_force", org), headers={"if-none-match": first["ETag"]}
        )
        assert again.status_code == 200


@pytest.mark.django_db
def test_each_menu_names_its_object_and_follows_the_document(client, org, current):
    draft = current.start_next_draft(author=None)
    sign_in(client, make_member(org, "editor"))
    page = client.get(url("draft_edit", org, number=draft.number)).text
    value = draft.values.filter(commitments__isnull=False).first()
    commitment = value.commitments.first()
    with translation.override("sv"):
        own = translation.gettext("the value “%(name)s”") % {"name": value.title}
        verbs = [translation.gettext(v) for v in ("Edit", "Move up", "Move down")]
        actions = translation.gettext("Actions")
    # Every action of the value says what it acts on.
    for verb in verbs:
        assert f'{verb}<span class="visually-hidden"> {own}</span>' in page
    # The value's menu comes before its commitments' menus, in the order read.
    value_menu = page.index(f"{own}</span></summary>")
    assert page.index(f"<summary>{actions}") < value_menu
    first_commitment = page.index(f'id="commitment-{commitment.pk}"')
    assert value_menu < first_commitment


@pytest.mark.django_db
def test_one_menu_per_item(client, org, current):
    draft = current.start_next_draft(author=None)
    sign_in(client, make_member(org, "editor"))
    page = client.get(url("draft_edit", org, number=draft.number)).text
    items = 1 + 1 + 2 + 1 + 1  # section, legal basis, two values, commitment, guideline
    assert page.count('<details class="edit-item__tools item-menu">') == items
    # Every action sits inside a menu: none is left beside the item.
    outside = re.sub(
        r"<details class=\"edit-item__tools.*?</details>", "", page, flags=re.S
    )
    assert 'name="direction"' not in outside
    assert "/delete/" not in outside


@pytest.mark.django_db
def test_versions_table_dates_in_words(client, org, staff, current):
    two = current.start_next_draft(author=None)
    adopt(two, D(2025, 3, 1), adopted_on=D(2025, 2, 14))
    sign_in(client, staff)
    page = client.get(url("version_list", org)).text
    assert '<span class="nowrap">14 februari 2025</span>' in page
    assert '<span class="nowrap">från 1 januari 2024</span>' in page
    assert '<span class="nowrap">till 1 mars 2025</span>' in page
    assert "2025-02-14" not in page


@pytest.mark.django_db
def test_compare_shows_commitments_whole(client, org, current):
    draft = current.start_next_draft(author=None)
    value = draft.values.get(key="dignity")
    long_text = (
        "Vi lyssnar på den enskilde och på de närstående innan vi bestämmer "
        "något, och vi förklarar varför vi bestämmer som vi gör."
    )
    Commitment.objects.create(value=value, key="explain", text=long_text, position=2)
    sign_in(client, make_member(org, "editor"))
    page = client.get(url("compare", org))
    assert long_text in page.text
    entry = page.context["comparison"].values[0]
    assert [child.status for child in entry.children] == ["unchanged", "added"]
    # The unchanged commitment is shown too, whole, for context.
    assert "Vi lyssnar innan vi bestämmer." in page.text
