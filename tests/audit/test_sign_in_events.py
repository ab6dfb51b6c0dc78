"""Signing in, in the audit log: each through the real sign-in pages."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from tests.factories import PASSWORD, make_member, make_org, make_unit
from tests.translations import tr

pytestmark = pytest.mark.django_db


def sign_in_form(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_methods(language: str, *methods: str) -> str:
    with translation.override(language):
        joined = " + ".join(translation.gettext(m) for m in methods)
        return translation.gettext("With %(methods)s") % {"methods": joined}


@pytest.fixture
def vestby(db):
    return make_org("vestby", name="Vestby Kommune", language="da")


@pytest.fixture
def two_organisations(org, unit, vestby):
    """Sara is staff in Norrby (Swedish) and a facilitator in Vestby (Danish)."""
    staff = make_member(org, "staff", unit=unit, name="Sara Staff")
    make_member(
        vestby,
        "facilitator",
        user=staff.user,
        unit=make_unit(vestby, "Socialpsykiatri"),
    )
    return staff


def test_a_sign_in_is_written_in_each_organisation_in_its_language(
    client, org, vestby, two_organisations
):
    response = sign_in_form(client, "staff@norrby.example")

    assert response.status_code == 302
    rows = {row.organisation_id: row for row in AuditEvent.objects.all()}
    assert set(rows) == {org.pk, vestby.pk}
    for row in rows.values():
        assert row.action == "sign_in"
        assert row.outcome == "allowed"
        assert row.person == "Sara Staff <staff@norrby.example>"
        assert row.object_kind == "account"
        assert row.object_name == "Sara Staff <staff@norrby.example>"
        assert row.view == "account_login"
    assert rows[org.pk].detail == with_methods("sv", "password")
    assert rows[vestby.pk].detail == with_methods("da", "password")
    assert rows[org.pk].role == "staff" and rows[vestby.pk].role == "facilitator"
    assert rows[vestby.pk].unit_name == "Socialpsykiatri"


def test_a_wrong_password_is_a_failed_sign_in_without_the_password(client, staff):
    response = sign_in_form(client, "staff@norrby.example", "fel-lösenord-123")

    assert response.status_code == 200
    row = AuditEvent.objects.get()
    assert (row.action, row.outcome, row.user) == (
        "sign_in_failed",
        "denied",
        staff.user,
    )
    assert row.organisation_id == staff.organisation_id
    assert row.detail == tr("sv", "Wrong password or address")
    assert not any(
        "fel-lösenord" in str(value)
        for value in AuditEvent.objects.values().get().values()
    )


def test_an_address_without_an_account_is_not_written_down(client, org, staff):
    # People type their password into the address field now and then.
    response = sign_in_form(client, "hemligt-losenord@example.com", "x" * 12)

    assert response.status_code == 200
    row = AuditEvent.objects.get()
    assert (row.action, row.outcome) == ("sign_in_failed", "denied")
    assert row.organisation_id is None and row.user_id is None
    assert "hemligt" not in str(list(AuditEvent.objects.values().get().values()))
    # It is the platform's, not the organisation's.
    admin = make_member(org, "admin", email="admin@norrby.example")
    client.force_login(admin.user)
    log = client.get(reverse("audit:log", kwargs={"org": "norrby"}))
    assert list(log.context["page"]) == []


def test_a_lockout_is_written_once_while_it_lasts(client, staff):
    for _attempt in range(5):
        sign_in_form(client, "staff@norrby.example", "wrong-password")
    for _attempt in range(3):
        refused = sign_in_form(client, "staff@norrby.example")
        assert tr("sv", "Too many failed login attempts. Try again later.") in (
            refused.text
        )

    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 5
    lockout = AuditEvent.objects.get(action="locked_out")
    assert (lockout.outcome, lockout.user) == ("denied", staff.user)
    assert not AuditEvent.objects.filter(action="sign_in").exists()


def test_a_wrong_second_factor_fails_and_the_right_one_signs_in(client, staff):
    secret = generate_totp_secret()
    TOTP.activate(staff.user, secret)
    sign_in_form(client, "staff@norrby.example")

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert tr("sv", "Incorrect code.") in wrong.text
    failed = AuditEvent.objects.get()
    assert (failed.action, failed.outcome) == ("sign_in_failed", "denied")
    assert failed.detail == tr("sv", "Wrong code: %(method)s") % {
        "method": tr("sv", "Authenticator app")
    }

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right.status_code == 302
    signed_in = AuditEvent.objects.get(action="sign_in")
    assert signed_in.detail == with_methods("sv", "password", "authenticator app")
    assert signed_in.view == "mfa_authenticate"


# allauth tells of a new or removed method once the request's transaction has
# committed, and then e-mails the person from the request: only a real commit
# inside the request runs both.
@pytest.mark.django_db(transaction=True)
def test_setting_up_and_removing_two_factor_sign_in_is_written(client, staff):
    client.force_login(staff.user)
    asked = client.get(reverse("mfa_activate_totp"), follow=True)
    setup = client.post(
        asked.redirect_chain[-1][0], {"password": PASSWORD}, follow=True
    )
    secret = re.search(r'value="([A-Z2-7=]{16,})"', setup.text).group(1)

    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=staff.user, type="totp").exists()
    added = AuditEvent.objects.filter(action="mfa_added").order_by("seq")
    assert [row.detail for row in added] == [
        tr("sv", "Authenticator app"),
        tr("sv", "Recovery codes"),
    ]
    assert {row.user for row in added} == {staff.user}

    removed = client.post(reverse("mfa_deactivate_totp"))

    assert removed.status_code == 302
    assert not Authenticator.objects.filter(user=staff.user, type="totp").exists()
    # With the app go the recovery codes, which were only its back-up.
    removed_rows = AuditEvent.objects.filter(action="mfa_removed")
    assert {row.detail for row in removed_rows} == {
        tr("sv", "Authenticator app"),
        tr("sv", "Recovery codes"),
    }
    assert {row.organisation_id for row in removed_rows} == {staff.organisation_id}


def test_a_changed_password_is_written(client, staff):
    client.force_login(staff.user)
    new = "ett nytt långt lösenord i flera ord"

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    assert response.status_code == 302
    row = AuditEvent.objects.get(action="change")
    assert (row.object_kind, row.detail) == ("account", tr("sv", "Password changed"))
    assert new not in row.detail
