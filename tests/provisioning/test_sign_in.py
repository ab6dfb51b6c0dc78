"""Membership decided by the identity provider's claims at sign-in.

The provider is a real OpenID Connect server in a second process
(tests/provisioning/identity_provider.py); allauth's openid_connect client
talks to it over HTTP, as it would to Keycloak or Entra ID.
"""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from organisations.models import Membership
from provisioning.models import IdentityMapping, IdentitySettings
from tests.factories import make_member, make_unit, make_user

from .identity_provider import IdentityProvider

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def provider():
    server = IdentityProvider()
    yield server
    server.stop()


@pytest.fixture
def oidc(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = provider.provider_settings()
    return provider


@pytest.fixture
def rules(org, unit):
    home_care = make_unit(org, "Hemtjänst Norr")
    IdentityMapping.objects.create(
        organisation=org, source="department", value="Hemtjänst Norr", unit=home_care
    )
    IdentityMapping.objects.create(
        organisation=org, source="group", value="etik-handledare", role="facilitator"
    )
    IdentityMapping.objects.create(
        organisation=org, source="group", value="barn-och-familj", unit=unit
    )
    return home_care


def decides(org, on=True):
    return IdentitySettings.objects.create(
        organisation=org, sign_in_decides=on, provider_id="municipality"
    )


def test_off_by_default_nobody_new_gets_in(client, oidc, org, rules):
    oidc.set_claims(
        "anna",
        email="anna@norrby.example",
        email_verified=True,
        department="Hemtjänst Norr",
        groups=["etik-handledare"],
    )
    oidc.sign_in(client, "anna")
    assert not Membership.objects.filter(user__email="anna@norrby.example").exists()
    assert "_auth_user_id" not in client.session


def test_first_sign_in_makes_a_member_where_the_claims_say(client, oidc, org, rules):
    decides(org)
    oidc.set_claims(
        "anna",
        email="anna@norrby.example",
        email_verified=True,
        name="Anna Lind",
        department="Hemtjänst Norr",
        groups=["etik-handledare", "unrelated"],
    )
    response = oidc.sign_in(client, "anna")
    assert response.status_code == 200
    membership = Membership.objects.get(user__email="anna@norrby.example")
    assert membership.organisation == org
    assert membership.unit == rules
    assert membership.role == "facilitator"
    assert membership.is_active
    assert client.session["_auth_user_id"] == str(membership.user.pk)
    row = AuditEvent.objects.get(object_uuid=membership.uuid, action="create")
    assert row.person == "OpenID Connect"
    assert row.organisation_id == org.pk


def test_claims_that_match_no_rule_make_no_account(client, oidc, org, rules):
    decides(org)
    oidc.set_claims(
        "bo", email="bo@norrby.example", email_verified=True, groups=["other"]
    )
    oidc.sign_in(client, "bo")
    assert not Membership.objects.filter(user__email="bo@norrby.example").exists()
    assert "_auth_user_id" not in client.session


def test_a_later_sign_in_moves_then_deactivates(client, oidc, org, unit, rules):
    decides(org)
    oidc.set_claims(
        "anna",
        email="anna@norrby.example",
        email_verified=True,
        department="Hemtjänst Norr",
        groups=[],
    )
    oidc.sign_in(client, "anna")
    membership = Membership.objects.get(user__email="anna@norrby.example")
    assert (membership.unit, membership.role) == (rules, "staff")
    client.logout()

    oidc.set_claims(
        "anna",
        email="anna@norrby.example",
        email_verified=True,
        department="IFO",
        groups=["barn-och-familj", "etik-handledare"],
    )
    oidc.sign_in(client, "anna")
    membership.refresh_from_db()
    assert (membership.unit, membership.role, membership.is_active) == (
        unit,
        "facilitator",
        True,
    )
    assert AuditEvent.objects.filter(
        object_uuid=membership.uuid, action="change"
    ).exists()
    client.logout()

    oidc.set_claims("anna", email="anna@norrby.example", email_verified=True, groups=[])
    oidc.sign_in(client, "anna")
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditEvent.objects.filter(
        object_uuid=membership.uuid, action="deactivate"
    ).exists()


def test_an_existing_member_is_placed_not_duplicated(client, oidc, org, unit, rules):
    decides(org)
    member = make_member(org, unit=unit, user=make_user("carl@norrby.example"))
    oidc.set_claims(
        "carl",
        email="carl@norrby.example",
        email_verified=True,
        department="Hemtjänst Norr",
    )
    oidc.sign_in(client, "carl")
    member.refresh_from_db()
    assert member.unit == rules
    assert Membership.objects.filter(user=member.user).count() == 1


def test_the_last_administrator_is_not_deactivated(client, oidc, org, unit, rules):
    decides(org)
    admin = make_member(
        org, role="admin", unit=unit, user=make_user("dina@norrby.example")
    )
    oidc.set_claims("dina", email="dina@norrby.example", email_verified=True, groups=[])
    oidc.sign_in(client, "dina")
    admin.refresh_from_db()
    assert admin.is_active
    assert AuditEvent.objects.filter(
        object_uuid=admin.uuid, action="deactivate", outcome="denied"
    ).exists()


def test_another_organisations_rules_do_not_count(client, oidc, org, other_org, rules):
    decides(other_org)
    oidc.set_claims(
        "anna",
        email="anna@norrby.example",
        email_verified=True,
        department="Hemtjänst Norr",
    )
    oidc.sign_in(client, "anna")
    assert not Membership.objects.filter(user__email="anna@norrby.example").exists()
