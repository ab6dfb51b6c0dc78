"""Invitations: nobody becomes a member until they accept at their own address.

Includes the account-takeover regression: a signed-in person could once switch
their sign-in address to someone else's without proof and then receive that
person's memberships when another organisation added the address.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, Membership
from tests.factories import (
    PASSWORD,
    make_audience,
    make_member,
    make_org,
    make_unit,
    sign_in,
)
from tests.translations import tr

User = get_user_model()
NEW_PASSWORD = "ett långt lösenord i flera ord"


def link_of(message) -> str:
    (link,) = re.findall(r"https?://\S+", message.body)
    return urlsplit(link).path


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """An administrator invites `email`; returns the path of the link sent."""

    def invite(admin, email: str, **data) -> str:
        sign_in(client, admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse(
                    "organisations:member_add", kwargs={"org": admin.organisation.slug}
                ),
                {"email": email, "role": "staff", **data},
            )
        assert response.status_code == 302, response.context["form"].errors
        client.logout()
        return link_of(mail.outbox[-1])

    return invite


@pytest.fixture
def vestby(db):
    return make_org("vestby", name="Vestby Kommune", language="da")


@pytest.mark.django_db
def test_a_new_person_accepts_chooses_a_password_and_lands_signed_in(
    client, vestby, invite
):
    unit = make_unit(vestby, "Bostøtte")
    audience = make_audience(vestby, name="Medarbejdere")
    admin = make_member(vestby, "admin")
    link = invite(
        admin,
        "mette@vestby.example",
        name="Mette Holm",
        role="facilitator",
        unit=unit.pk,
        audiences=[audience.pk],
    )

    page = client.get(link)
    # The organisation's language, for a person who has chosen none.
    assert page.status_code == 200
    assert '<html lang="da">' in page.text
    assert 'value="Mette Holm"' in page.text

    short = client.post(
        link, {"name": "Mette Holm", "password1": "kort", "password2": "kort"}
    )
    assert short.status_code == 200
    assert short.context["form"].errors["password1"]
    assert 'value="Mette Holm"' in short.text
    assert not User.objects.filter(email="mette@vestby.example").exists()

    done = client.post(
        link,
        {"name": "Mette Holm", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    dashboard = reverse("organisations:dashboard", kwargs={"org": "vestby"})
    assert done.redirect_chain == [(dashboard, 302)]
    user = User.objects.get(email="mette@vestby.example")
    assert user.check_password(NEW_PASSWORD)
    assert user.name == "Mette Holm"
    assert EmailAddress.objects.get(user=user).verified
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.unit) == (
        vestby,
        "facilitator",
        unit,
    )
    assert list(membership.audiences.all()) == [audience]
    invitation = Invitation.objects.get()
    assert invitation.accepted is not None and invitation.membership == membership

    # The link has done its work; opening it again leads to the dashboard.
    assert client.get(link)["Location"] == dashboard


@pytest.mark.django_db
def test_a_role_that_needs_two_factors_is_sent_to_set_them_up(client, invite):
    strict = make_org("strikt", require_mfa=True)
    admin = make_member(strict, "staff")
    admin.role = "admin"
    admin.save()
    strict.require_mfa = False
    strict.save()
    link = invite(admin, "redaktor@strikt.example", role="editor")
    strict.require_mfa = True
    strict.save()

    done = client.post(
        link,
        {"name": "Red Aktör", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert reverse("mfa_activate_totp") in [url for url, _ in done.redirect_chain]


@pytest.mark.django_db
def test_an_existing_account_signs_in_and_accepts(client, org, other_org, invite):
    admin = make_member(other_org, "admin")
    person = make_member(org, "staff", email="kim@norrby.example")
    link = invite(admin, "Kim@Norrby.example")

    page = client.get(link)
    assert page.status_code == 200
    assert tr("sv", "Sign in") in page.text
    # The token never travels in a ?next= address.
    token = link.split("/")[2]
    assert token not in page.text.replace(link, "")
    assert not Membership.objects.filter(
        user=person.user, organisation=other_org
    ).exists()

    signed_in = client.post(
        reverse("account_login") + "?next=" + reverse("invitation_continue"),
        {"login": "kim@norrby.example", "password": PASSWORD},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == reverse("invitation_continue")
    assert tr("sv", "Accept the invitation") in signed_in.text

    accepted = client.post(reverse("invitation_continue"))
    assert accepted["Location"] == reverse(
        "organisations:dashboard", kwargs={"org": other_org.slug}
    )
    membership = Membership.objects.get(user=person.user, organisation=other_org)
    assert membership.role == "staff"


@pytest.mark.django_db
def test_another_signed_in_account_cannot_accept(client, org, other_org, invite):
    admin = make_member(other_org, "admin")
    link = invite(admin, "ny@soderby.example")
    intruder = make_member(org, "staff", email="intruder@norrby.example")
    sign_in(client, intruder)

    page = client.get(link)
    posted = client.post(link, {"name": "X", "password1": NEW_PASSWORD})

    assert page.status_code == posted.status_code == 403
    assert "ny@soderby.example" in page.text
    assert not Membership.objects.filter(organisation=other_org, user=intruder.user)
    assert Invitation.objects.get().accepted is None


@pytest.mark.django_db
def test_sending_again_withdrawing_and_expiry_end_the_earlier_links(
    client, admin_member, invite, django_capture_on_commit_callbacks
):
    org = admin_member.organisation
    first = invite(admin_member, "ny@norrby.example")
    invitation = Invitation.objects.get()
    sign_in(client, admin_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "organisations:invitation_resend",
                kwargs={"org": org.slug, "invitation_uuid": invitation.uuid},
            )
        )
    second = link_of(mail.outbox[-1])
    client.logout()

    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200

    invitation.refresh_from_db()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires=timezone.now() - timedelta(minutes=1)
    )
    expired = client.get(second)
    assert expired.status_code == 410
    assert tr("sv", "The invitation has expired") in expired.text

    sign_in(client, admin_member)
    client.post(
        reverse(
            "organisations:invitation_withdraw",
            kwargs={"org": org.slug, "invitation_uuid": invitation.uuid},
        )
    )
    client.logout()
    assert client.get(second).status_code == 404
    assert Invitation.objects.get().withdrawn is not None
    assert not User.objects.filter(email="ny@norrby.example").exists()


@pytest.mark.django_db
def test_a_forged_token_is_refused(client):
    assert client.get("/invitations/not-a-token/").status_code == 404
    assert client.get("/invitations/WyIxIiwxXQ:forged/").status_code == 404


@pytest.mark.django_db
def test_invitation_admin_views_are_for_administrators(client, admin_member, staff):
    invitation = Invitation.objects.create(
        organisation=admin_member.organisation,
        email="ny@norrby.example",
        expires=timezone.now() + timedelta(days=1),
    )
    path = reverse(
        "organisations:invitation_withdraw",
        kwargs={"org": "norrby", "invitation_uuid": invitation.uuid},
    )
    sign_in(client, staff)
    assert client.post(path).status_code == 403
    sign_in(client, admin_member)
    assert client.get(path).status_code == 405
    invitation.refresh_from_db()
    assert invitation.withdrawn is None


# The takeover that was possible before


@pytest.mark.django_db
def test_takeover_by_switching_the_sign_in_address_is_not_possible(
    client, org, other_org, invite
):
    attacker = make_member(org, "staff", email="attacker@norrby.example")
    victim_address = "chef@soderby.example"
    sign_in(client, attacker)

    # Adding an address asks for the password again first.
    email_page = reverse("account_email")
    asked = client.post(email_page, {"action_add": "", "email": victim_address})
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(email_page, {"action_add": "", "email": victim_address})

    # The new address waits for verification; it cannot be made primary.
    client.post(email_page, {"action_primary": "", "email": victim_address})
    attacker.user.refresh_from_db()
    assert attacker.user.email == "attacker@norrby.example"
    pending = EmailAddress.objects.filter(user=attacker.user, email=victim_address)
    assert not pending.filter(verified=True).exists()
    assert not pending.filter(primary=True).exists()

    # The other organisation invites the address: the attacker gets nothing.
    admin = make_member(other_org, "admin")
    link = invite(admin, victim_address)
    assert not Membership.objects.filter(
        user=attacker.user, organisation=other_org
    ).exists()

    # Only whoever reads that mailbox can accept, with an account of their own.
    client.post(
        link,
        {"name": "Chef", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    owner = User.objects.get(email=victim_address)
    assert owner != attacker.user
    assert Membership.objects.filter(organisation=other_org, user=owner).exists()


@pytest.mark.django_db
def test_making_another_accounts_address_primary_is_a_clear_error(client, org):
    first = make_member(org, "staff", email="first@norrby.example")
    second = make_member(org, "facilitator", email="second@norrby.example")
    # Left over from before verification was needed: no verified address, and
    # a row with the address another account signs in with.
    EmailAddress.objects.filter(user=first.user).update(verified=False)
    EmailAddress.objects.create(
        user=first.user, email=second.user.email, verified=False, primary=False
    )
    sign_in(client, first)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(
        reverse("account_email"),
        {"action_primary": "", "email": second.user.email},
        follow=True,
    )

    assert response.status_code == 200
    first.user.refresh_from_db()
    assert first.user.email == "first@norrby.example"
    assert tr("sv", "This address belongs to another account.") in response.text


@pytest.mark.django_db
def test_opening_the_email_page_adds_no_unverified_address(client, staff):
    sign_in(client, staff)

    assert client.get(reverse("account_email")).status_code == 200

    assert list(
        EmailAddress.objects.filter(user=staff.user).values_list(
            "email", "primary", "verified"
        )
    ) == [(staff.user.email, True, True)]


@pytest.mark.django_db
def test_a_person_stuck_with_an_unverified_address_row_recovers(client, org):
    """Before: opening the e-mail page left an unverified row that blocked 2FA."""
    import importlib

    from django.apps import apps

    stuck = make_member(org, "editor", email="stuck@norrby.example")
    EmailAddress.objects.filter(user=stuck.user).update(primary=False, verified=False)
    # A switch to an unproven address stays unproven.
    switched = make_member(org, "staff", email="switched@norrby.example")
    EmailAddress.objects.filter(user=switched.user).update(verified=False)

    migration = importlib.import_module("accounts.migrations.0003_sign_in_addresses")
    migration.forward(apps, None)

    assert list(
        EmailAddress.objects.filter(user=stuck.user).values_list("primary", "verified")
    ) == [(True, True)]
    assert not EmailAddress.objects.get(user=switched.user).verified
    client.post(
        reverse("account_login"), {"login": stuck.user.email, "password": PASSWORD}
    )
    asked = client.get(reverse("mfa_activate_totp"), follow=True)
    setup = client.post(
        asked.redirect_chain[-1][0], {"password": PASSWORD}, follow=True
    )
    assert setup.redirect_chain[-1] == (reverse("mfa_activate_totp"), 302)
    assert 'id="authenticator_secret"' in setup.text
