"""SCIM Groups with Entra ID's documented bodies, and the rules they feed."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from organisations.models import Membership
from provisioning.models import IdentityMapping, ScimGroup
from tests.factories import make_member, make_unit, make_user

from .scim import ENTERPRISE, GROUP_SCHEMA, PATCH_OP, Scim, entra_user, issue

pytestmark = pytest.mark.django_db

MS_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"


@pytest.fixture
def scim(client, org):
    return Scim(client, issue(org))


def user(scim, name="ryan3@norrby.example", **extra):
    response = scim.post("/Users", entra_user(name, external_id=name) | extra)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def group(scim, name="Hemtjänst Norr"):
    # Entra ID's documented create body, with its own schema URN.
    response = scim.post(
        "/Groups",
        {
            "schemas": [GROUP_SCHEMA, MS_GROUP],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": name,
            "meta": {"resourceType": "Group"},
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def add_member(scim, group_id, user_id):
    return scim.patch(
        f"/Groups/{group_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {
                    "name": "addMember",
                    "op": "Add",
                    "path": "members",
                    "value": [{"$ref": None, "value": user_id}],
                }
            ],
        },
    )


def remove_member(scim, group_id, user_id):
    return scim.patch(
        f"/Groups/{group_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {
                    "name": "removeMember",
                    "op": "Remove",
                    "path": "members",
                    "value": [{"$ref": None, "value": user_id}],
                }
            ],
        },
    )


def test_entra_user_with_attributes_we_do_not_keep(scim):
    body = entra_user() | {
        "title": "Socialsekreterare",
        "phoneNumbers": [{"type": "work", "value": "+46 8 123 45"}],
        "addresses": [{"type": "work", "streetAddress": "Storgatan 1"}],
        ENTERPRISE: {
            "employeeNumber": "1234",
            "department": "IFO",
            "manager": {"value": "x"},
        },
    }
    body["schemas"] = [*body["schemas"], ENTERPRISE]
    response = scim.post("/Users", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert "title" not in created and "phoneNumbers" not in created
    assert created[ENTERPRISE] == {"department": "IFO"}
    patched = scim.patch(
        f"/Users/{created['id']}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "Add", "path": "title", "value": "Enhetschef"},
                {
                    "op": "Replace",
                    "path": 'phoneNumbers[type eq "work"].value',
                    "value": "+46 8 999",
                },
            ],
        },
    )
    assert patched.status_code == 200, patched.content


def test_group_create_find_rename_and_delete(scim, org):
    group_id = group(scim)
    stored = ScimGroup.objects.get(uuid=group_id)
    assert stored.organisation == org
    found = scim.get(
        '/Groups?excludedAttributes=members&filter=displayName eq "Hemtjänst Norr"'
    ).json()
    assert [g["id"] for g in found["Resources"]] == [group_id]
    assert "members" not in found["Resources"][0]
    renamed = scim.patch(
        f"/Groups/{group_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "Replace", "path": "displayName", "value": "Hemtjänst Söder"}
            ],
        },
    )
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["displayName"] == "Hemtjänst Söder"
    assert (
        scim.post(
            "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "hemtjänst söder"}
        ).status_code
        == 409
    )
    assert scim.delete(f"/Groups/{group_id}").status_code == 204
    assert not ScimGroup.objects.exists()
    assert AuditEvent.objects.filter(object_kind="scim group", action="delete").exists()


def test_members_added_and_removed_are_placed_by_the_rules(scim, org, unit):
    home_care = make_unit(org, "Hemtjänst Norr")
    IdentityMapping.objects.create(
        organisation=org, source="group", value="hemtjänst norr", unit=home_care
    )
    IdentityMapping.objects.create(
        organisation=org, source="group", value="Etikombud", role="facilitator"
    )
    ryan = user(scim)
    care = group(scim)
    ombud = group(scim, "Etikombud")
    assert add_member(scim, care, ryan).status_code == 200
    assert add_member(scim, ombud, ryan).status_code == 200
    membership = Membership.objects.get(uuid=ryan)
    assert (membership.unit, membership.role) == (home_care, "facilitator")
    members = scim.get(f"/Groups/{care}").json()["members"]
    assert [m["value"] for m in members] == [ryan]
    assert scim.get(f"/Users/{ryan}").json()["groups"][0]["value"] in {care, ombud}

    assert remove_member(scim, ombud, ryan).status_code == 200
    membership.refresh_from_db()
    assert (membership.unit, membership.role) == (home_care, "staff")
    assert AuditEvent.objects.filter(
        object_uuid=membership.uuid, action="change", person="Entra ID (SCIM)"
    ).exists()


def test_a_department_rule_places_a_user(scim, org):
    ifo = make_unit(org, "Individ- och familjeomsorg")
    IdentityMapping.objects.create(
        organisation=org, source="department", value="IFO", unit=ifo, role="manager"
    )
    body = entra_user() | {ENTERPRISE: {"department": "ifo"}}
    body["schemas"] = [*body["schemas"], ENTERPRISE]
    response = scim.post("/Users", body)
    membership = Membership.objects.get(uuid=response.json()["id"])
    assert (membership.unit, membership.role) == (ifo, "manager")


def test_the_last_administrator_keeps_the_role(scim, org, unit):
    IdentityMapping.objects.create(
        organisation=org, source="group", value="Alla", unit=unit
    )
    admin = make_member(
        org, role="admin", unit=unit, user=make_user("ryan3@norrby.example")
    )
    assert user(scim) == str(admin.uuid)
    admin.refresh_from_db()
    assert admin.role == "admin"
    assert AuditEvent.objects.filter(object_uuid=admin.uuid, outcome="denied").exists()


def test_a_member_of_another_organisation_cannot_be_added(client, scim, org, other_org):
    other = Scim(client, issue(other_org, "Okta"))
    foreign = other.post("/Users", entra_user("eva@ostby.example")).json()["id"]
    care = group(scim)
    response = add_member(scim, care, foreign)
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert not ScimGroup.objects.get(uuid=care).members.exists()
    assert other.get(f"/Groups/{care}").status_code == 404
