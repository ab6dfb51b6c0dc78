"""The administrator's page: tokens shown once, revoked; rules; sign-in settings."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from provisioning.models import (
    IdentityMapping,
    IdentitySettings,
    ScimToken,
    token_digest,
)
from tests.factories import make_unit, sign_in

from .scim import Scim

pytestmark = pytest.mark.django_db

PAGE = "/o/norrby/directory/"


@pytest.fixture
def admin(client, admin_member):
    return sign_in(client, admin_member)


def test_only_administrators_open_the_page(client, staff):
    sign_in(client, staff)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE + "tokens/", {"token-name": "Entra ID"}).status_code == 403
    assert not ScimToken.objects.exists()


def test_a_token_is_shown_once_and_only_its_digest_kept(client, admin, org):
    response = client.post(PAGE + "tokens/", {"token-name": "Entra ID"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("etikrum-scim-")
    assert secret in response.content.decode()
    token = ScimToken.objects.get()
    assert token.organisation == org
    assert token.digest == token_digest(secret)
    assert secret not in {token.digest, token.hint, token.name}
    assert secret not in client.get(PAGE).content.decode()
    row = AuditEvent.objects.get(action="create", object_kind="scim token")
    assert row.organisation_id == org.pk
    assert secret not in row.object_name + row.detail
    assert Scim(client, secret).get("/Users").status_code == 200


def test_a_token_without_a_name_keeps_the_page(client, admin):
    response = client.post(PAGE + "tokens/", {"token-name": ""})
    assert response.status_code == 400
    assert not ScimToken.objects.exists()
    assert "error" in response.content.decode()


def test_revoking_ends_the_token(client, admin, org, other_org):
    token, secret = ScimToken.issue(org, "Okta", None)
    foreign, _ = ScimToken.issue(other_org, "Okta", None)
    assert client.post(f"{PAGE}tokens/{foreign.uuid}/revoke/").status_code == 404
    response = client.post(f"{PAGE}tokens/{token.uuid}/revoke/", follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked is not None
    foreign.refresh_from_db()
    assert foreign.revoked is None
    assert AuditEvent.objects.filter(
        action="deactivate", object_uuid=token.uuid
    ).exists()
    assert Scim(client, secret).get("/Users").status_code == 401


def test_rules_are_added_and_removed(client, admin, org, unit):
    response = client.post(
        PAGE + "rules/",
        {
            "mapping-source": "group",
            "mapping-value": " Hemtjänst Norr ",
            "mapping-unit": unit.pk,
            "mapping-role": "facilitator",
        },
    )
    assert response.status_code == 302
    mapping = IdentityMapping.objects.get()
    assert (mapping.value, mapping.unit, mapping.role) == (
        "Hemtjänst Norr",
        unit,
        "facilitator",
    )
    again = client.post(
        PAGE + "rules/",
        {
            "mapping-source": "group",
            "mapping-value": "hemtjänst norr",
            "mapping-role": "staff",
        },
    )
    assert again.status_code == 400
    assert "hemtjänst norr" in again.content.decode()
    empty = client.post(
        PAGE + "rules/", {"mapping-source": "department", "mapping-value": "IFO"}
    )
    assert empty.status_code == 400
    assert IdentityMapping.objects.count() == 1
    other = make_unit(
        __import__("tests.factories", fromlist=["make_org"]).make_org("ostby"), "Östby"
    )
    foreign = client.post(
        PAGE + "rules/",
        {
            "mapping-source": "department",
            "mapping-value": "IFO",
            "mapping-unit": other.pk,
        },
    )
    assert foreign.status_code == 400
    assert client.post(f"{PAGE}rules/{mapping.pk}/delete/").status_code == 302
    assert not IdentityMapping.objects.exists()


def test_sign_in_settings(client, admin, org, other_org):
    response = client.post(
        PAGE + "sign-in/",
        {
            "sign_in-sign_in_decides": "on",
            "sign_in-provider_id": "",
            "sign_in-groups_claim": "groups",
            "sign_in-department_claim": "department",
        },
    )
    assert response.status_code == 400
    assert not IdentitySettings.objects.exists()
    IdentitySettings.objects.create(
        organisation=other_org, sign_in_decides=True, provider_id="taken"
    )
    taken = client.post(
        PAGE + "sign-in/",
        {
            "sign_in-sign_in_decides": "on",
            "sign_in-provider_id": "taken",
            "sign_in-groups_claim": "groups",
            "sign_in-department_claim": "department",
        },
    )
    assert taken.status_code == 400
    saved = client.post(
        PAGE + "sign-in/",
        {
            "sign_in-sign_in_decides": "on",
            "sign_in-provider_id": "municipality",
            "sign_in-groups_claim": "roles",
            "sign_in-department_claim": "department",
        },
    )
    assert saved.status_code == 302
    settings = IdentitySettings.objects.get(organisation=org)
    assert settings.sign_in_decides and settings.groups_claim == "roles"
    assert AuditEvent.objects.filter(
        action="change", organisation_id=org.pk, object_kind="organisation"
    ).exists()
