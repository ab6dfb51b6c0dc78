"""Administrators keep the organisation's tree of units: add, rename, move, archive."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisations.models import Unit
from tests.factories import make_group, make_member, make_unit, sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db


def url(name: str, org, **kwargs) -> str:
    return reverse(f"organisations:{name}", kwargs={"org": org.slug, **kwargs})


@pytest.fixture
def tree(org):
    administration = make_unit(org, "Socialförvaltningen", kind="administration")
    area = make_unit(org, "Individ och familj", kind="area", parent=administration)
    unit = make_unit(org, "Barn och familj", parent=area)
    return administration, area, unit


def test_an_admin_adds_a_unit_below_another(client, admin_member, tree):
    administration, area, _unit = tree
    sign_in(client, admin_member)
    page = client.get(url("unit_add", admin_member.organisation), {"parent": area.pk})
    assert page.status_code == 200
    # The picker shows the tree, each level indented, and starts at the parent.
    assert f'<option value="{area.pk}" selected>\u00a0\u00a0\u00a0Individ' in page.text

    response = client.post(
        url("unit_add", admin_member.organisation),
        {"name": "Familjehem", "kind": "unit", "parent": area.pk},
    )

    assert response.status_code == 302
    added = Unit.objects.get(name="Familjehem")
    assert (added.parent, added.organisation) == (area, admin_member.organisation)
    listing = client.get(url("unit_list", admin_member.organisation))
    assert "Familjehem" in listing.text


def test_a_unit_is_renamed_and_moved_but_never_below_itself(client, admin_member, tree):
    administration, area, unit = tree
    sign_in(client, admin_member)
    change = url("unit_change", admin_member.organisation, unit_id=area.pk)

    page = client.get(change)
    offered = [value for value, _label in page.context["form"].fields["parent"].choices]
    assert unit.pk not in offered and area.pk not in offered

    refused = client.post(change, {"name": "IFO", "kind": "area", "parent": unit.pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors["parent"]

    client.post(change, {"name": "IFO", "kind": "area", "parent": ""})
    area.refresh_from_db()
    assert (area.name, area.parent) == ("IFO", None)


def test_two_units_of_one_name_in_one_place_are_refused(client, admin_member, tree):
    _administration, area, _unit = tree
    sign_in(client, admin_member)
    response = client.post(
        url("unit_add", admin_member.organisation),
        {"name": "barn och familj", "kind": "unit", "parent": area.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        tr("sv", "There is already a unit with this name in that place.")
    ]
    # The error summary links to the field.
    assert 'href="#id_name"' in response.text


def test_archiving_says_what_must_move_first(client, admin_member, org, tree):
    administration, area, unit = tree
    make_member(org, "staff", unit=unit, email="kvar@norrby.example")
    make_group(org, unit, "Gruppen")
    sign_in(client, admin_member)

    response = client.post(url("unit_archive", org, unit_id=unit.pk), follow=True)

    unit.refresh_from_db()
    assert unit.archived is None
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith(
        tr(
            "sv", "The unit cannot be archived yet: first move or archive %(what)s."
        ).split("%(what)s")[0]
    )
    assert "1" in message
    area_response = client.post(url("unit_archive", org, unit_id=area.pk))
    area.refresh_from_db()
    assert area.archived is None and area_response.status_code == 302


def test_an_archived_unit_leaves_the_pickers_and_can_come_back(
    client, admin_member, org, tree
):
    _administration, _area, unit = tree
    spare = make_unit(org, "Gamla enheten")
    sign_in(client, admin_member)

    client.post(url("unit_archive", org, unit_id=spare.pk), follow=True)
    spare.refresh_from_db()
    assert spare.archived is not None
    add_member = client.get(url("member_add", org))
    assert "Gamla enheten" not in add_member.text
    assert "Barn och familj" in add_member.text

    client.post(url("unit_restore", org, unit_id=spare.pk))
    spare.refresh_from_db()
    assert spare.archived is None


def test_units_are_administered_by_admins_only(client, staff, org, tree):
    sign_in(client, staff)
    assert client.get(url("unit_add", org)).status_code == 403
    page = client.get(url("unit_list", org))
    assert url("unit_add", org) not in page.text
