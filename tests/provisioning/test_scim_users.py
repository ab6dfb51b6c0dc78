"""SCIM Users through HTTP, with the request bodies Entra ID documents."""

from __future__ import annotations

import pytest
from django.core import mail

from audit.models import AuditEvent
from organisations.models import Membership
from provisioning.models import ScimIdentity
from tests.factories import make_member, make_user

from .scim import ENTERPRISE, ERROR, PATCH_OP, USER_SCHEMA, Scim, entra_user, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def scim(client, org):
    return Scim(client, issue(org))


def created(scim, **kwargs):
    response = scim.post("/Users", entra_user(**kwargs))
    assert response.status_code == 201, response.content
    return response.json()


def test_create_makes_a_member_without_an_invitation(scim, org):
    body = created(scim)
    membership = Membership.objects.get(uuid=body["id"])
    assert membership.organisation == org
    assert membership.is_active
    assert membership.user.email == "ryan3@norrby.example"
    assert membership.user.name == "givenName familyName"
    assert membership.user.emailaddress_set.get().verified
    assert mail.outbox == []
    assert body["userName"] == "ryan3@norrby.example"
    assert body["externalId"] == "0a21f0f2-8d2a"
    assert body["active"] is True
    assert body["name"]["givenName"] == "givenName"
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{body['id']}")
    row = AuditEvent.objects.get(object_uuid=membership.uuid, action="create")
    assert row.organisation_id == org.pk
    assert row.person == "Entra ID (SCIM)"


def test_a_second_user_with_the_same_user_name_is_a_conflict(scim):
    created(scim)
    response = scim.post("/Users", entra_user())
    assert response.status_code == 409
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["scimType"] == "uniqueness"
    assert body["status"] == "409"


def test_an_existing_member_is_taken_over_not_duplicated(scim, org, unit):
    member = make_member(org, unit=unit, user=make_user("ryan3@norrby.example"))
    body = created(scim)
    assert body["id"] == str(member.uuid)
    assert Membership.objects.filter(user=member.user).count() == 1


def test_filter_by_user_name_and_external_id(scim):
    # Entra ID first asks whether the person exists, by the matching attribute.
    assert (
        scim.get('/Users?filter=userName eq "ryan3@norrby.example"').json()[
            "totalResults"
        ]
        == 0
    )
    body = created(scim)
    found = scim.get('/Users?filter=userName eq "Ryan3@Norrby.example"').json()
    assert found["totalResults"] == 1
    assert found["Resources"][0]["id"] == body["id"]
    assert found["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    by_external = scim.get('/Users?filter=externalId eq "0a21f0f2-8d2a"').json()
    assert [r["id"] for r in by_external["Resources"]] == [body["id"]]
    assert (
        scim.get('/Users?filter=externalId eq "0A21F0F2-8D2A"').json()["totalResults"]
        == 0
    )


def test_a_filter_it_cannot_read_is_an_invalid_filter_error(scim):
    response = scim.get('/Users?filter=userName eq "unclosed')
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


def test_other_filters_are_matched_by_the_library(scim):
    created(scim)
    created(scim, user_name="anna@norrby.example", external_id="b2")
    found = scim.get('/Users?filter=userName sw "anna"').json()
    assert [r["userName"] for r in found["Resources"]] == ["anna@norrby.example"]


def test_pagination(scim):
    for n in range(5):
        created(scim, user_name=f"p{n}@norrby.example", external_id=f"e{n}")
    second = scim.get("/Users?startIndex=3&count=2").json()
    assert second["totalResults"] == 5
    assert second["startIndex"] == 3
    assert second["itemsPerPage"] == 2
    assert [r["userName"] for r in second["Resources"]] == [
        "p2@norrby.example",
        "p3@norrby.example",
    ]
    assert scim.get("/Users?count=0").json()["totalResults"] == 5
    assert scim.get("/Users?startIndex=0&count=1").json()["startIndex"] == 1


def test_entra_patch_replace_with_paths(scim):
    body = created(scim)
    # Entra ID's documented update: op "Replace" capitalised, paths per attribute.
    response = scim.patch(
        f"/Users/{body['id']}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {
                    "op": "Replace",
                    "path": 'emails[type eq "work"].value',
                    "value": "updatedEmail@norrby.example",
                },
                {
                    "op": "Replace",
                    "path": "name.familyName",
                    "value": "updatedFamilyName",
                },
                {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Hemtjänst"},
            ],
        },
    )
    assert response.status_code == 200, response.content
    membership = Membership.objects.get(uuid=body["id"])
    assert membership.user.email == "updatedemail@norrby.example"
    assert (
        ScimIdentity.objects.get(membership=membership).family_name
        == "updatedFamilyName"
    )
    assert response.json()[ENTERPRISE]["department"] == "Hemtjänst"


@pytest.mark.parametrize("value", ["False", "false", False])
def test_entra_patch_deactivates_with_active_false_as_text_or_bool(scim, value):
    body = created(scim)
    response = scim.patch(
        f"/Users/{body['id']}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "Replace", "path": "active", "value": value}],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    membership = Membership.objects.get(uuid=body["id"])
    assert not membership.is_active
    assert AuditEvent.objects.filter(
        object_uuid=membership.uuid, action="deactivate"
    ).exists()


def test_entra_patch_replace_without_path(scim):
    body = created(scim)
    response = scim.patch(
        f"/Users/{body['id']}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {
                    "op": "replace",
                    "value": {"active": False, "displayName": "Ryan Svensson"},
                }
            ],
        },
    )
    assert response.status_code == 200, response.content
    membership = Membership.objects.get(uuid=body["id"])
    assert not membership.is_active
    assert membership.user.name == "Ryan Svensson"
    again = scim.patch(
        f"/Users/{body['id']}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "Replace", "value": {"active": "True"}}],
        },
    )
    assert again.json()["active"] is True
    membership.refresh_from_db()
    assert membership.is_active


def test_put_replaces_the_user(scim):
    body = created(scim)
    replacement = entra_user() | {
        "id": body["id"],
        "active": False,
        "displayName": "Ryan S",
    }
    response = scim.put(f"/Users/{body['id']}", replacement)
    assert response.status_code == 200, response.content
    membership = Membership.objects.get(uuid=body["id"])
    assert not membership.is_active
    assert membership.user.name == "Ryan S"


def test_delete_deactivates_and_the_user_is_gone_from_the_service(scim):
    body = created(scim)
    assert scim.delete(f"/Users/{body['id']}").status_code == 204
    membership = Membership.objects.get(uuid=body["id"])
    assert not membership.is_active
    assert scim.get(f"/Users/{body['id']}").status_code == 404
    assert scim.get("/Users").json()["totalResults"] == 0


def test_no_token_or_a_revoked_one_is_refused(client, org):
    response = client.get("/scim/v2/Users")
    assert response.status_code == 401
    assert response.json()["schemas"] == [ERROR]
    token, secret = __import__(
        "provisioning.models", fromlist=["ScimToken"]
    ).ScimToken.issue(org, "Okta", None)
    assert Scim(client, secret).get("/Users").status_code == 200
    token.revoke()
    assert Scim(client, secret).get("/Users").status_code == 401
    assert Scim(client, "etikrum-scim-guess").get("/Users").status_code == 401


def test_a_token_sees_only_its_organisation(client, scim, other_org):
    body = created(scim)
    other = Scim(client, issue(other_org, "Keycloak"))
    assert other.get(f"/Users/{body['id']}").status_code == 404
    assert other.get("/Users").json()["totalResults"] == 0
    assert (
        other.patch(
            f"/Users/{body['id']}",
            {
                "schemas": [PATCH_OP],
                "Operations": [{"op": "Replace", "path": "active", "value": False}],
            },
        ).status_code
        == 404
    )
    assert Membership.objects.get(uuid=body["id"]).is_active


def test_bad_bodies_get_scim_errors(scim):
    response = scim.post("/Users", {"schemas": [USER_SCHEMA]})
    assert response.status_code == 400
    assert response.json()["schemas"] == [ERROR]
    response = scim.client.post(
        "/scim/v2/Users",
        data="{not json",
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim.token}",
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidSyntax"
    no_address = scim.post("/Users", {"schemas": [USER_SCHEMA], "userName": "ryan"})
    assert no_address.status_code == 400
    assert no_address.json()["scimType"] == "invalidValue"
    assert scim.get("/Users/not-a-uuid").status_code == 404


def test_discovery_endpoints(scim):
    config = scim.get("/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["filter"]["supported"] is True
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim.get("/ResourceTypes").json()
    assert {r["id"] for r in types["Resources"]} == {"User", "Group"}
    assert scim.get("/ResourceTypes/User").json()["endpoint"] == "/Users"
    schemas = scim.get("/Schemas").json()
    assert USER_SCHEMA in {s["id"] for s in schemas["Resources"]}
    assert scim.get(f"/Schemas/{ENTERPRISE}").json()["id"] == ENTERPRISE
    assert scim.get("/Schemas/nothing").status_code == 404
