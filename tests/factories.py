"""A small named cast of people and places for tests. Plain functions, fixed data."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from guidelines.models import Audience
from organisations.models import Membership, Organisation, ReflectionGroup, Unit

PASSWORD = "correct-horse-battery-staple"


def make_org(slug: str = "norrby", **kwargs) -> Organisation:
    kwargs.setdefault("name", f"{slug.capitalize()} kommun, socialförvaltningen")
    kwargs.setdefault("language", "sv")
    kwargs.setdefault("time_zone", "Europe/Stockholm")
    # Most tests are not about two-factor sign-in; those that are turn it on.
    kwargs.setdefault("require_mfa", False)
    return Organisation.objects.create(slug=slug, **kwargs)


def make_unit(org: Organisation, name: str = "Barn och familj", **kwargs) -> Unit:
    kwargs.setdefault("kind", Unit.Kind.UNIT)
    return Unit.objects.create(organisation=org, name=name, **kwargs)


def make_user(email: str, **kwargs):
    kwargs.setdefault("name", email.split("@")[0].replace(".", " ").title())
    # The cast have accepted their invitations: their addresses are verified.
    kwargs.setdefault("verified", True)
    return get_user_model().objects.create_user(
        email=email, password=kwargs.pop("password", PASSWORD), **kwargs
    )


def make_member(org: Organisation, role: str = "staff", **kwargs) -> Membership:
    email = kwargs.pop("email", f"{role}@{org.slug}.example")
    user = kwargs.pop("user", None) or make_user(email, name=kwargs.pop("name", ""))
    audiences = kwargs.pop("audiences", [])
    membership = Membership.objects.create(
        user=user, organisation=org, role=role, **kwargs
    )
    if audiences:
        membership.audiences.set(audiences)
    return membership


def make_audience(org: Organisation, key: str = "clients", **kwargs) -> Audience:
    kwargs.setdefault("name", "Medarbetare i mötet med brukare")
    return Audience.objects.create(organisation=org, key=key, **kwargs)


def make_group(org: Organisation, unit: Unit, name: str = "Etikgruppen", **kwargs):
    members = kwargs.pop("members", [])
    facilitators = kwargs.pop("facilitators", [])
    group = ReflectionGroup.objects.create(
        organisation=org, unit=unit, name=name, **kwargs
    )
    group.members.set(members)
    group.facilitators.set(facilitators)
    return group


def sign_in(client, membership: Membership) -> Membership:
    """Sign the test client in as the membership's person."""
    assert client.login(email=membership.user.email, password=PASSWORD)
    return membership


def sign_in_with_two_factors(client, user) -> None:
    """Sign in through allauth with the password and an authenticator code."""
    import time

    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
    )
    from django.urls import reverse

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    # A code computed at the end of its 30 seconds may be checked in the next
    # ones: then the next period's code is given, as a person would.
    for _ in range(2):
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        client.post(reverse("mfa_authenticate"), {"code": code})
        if "_auth_user_id" in client.session:
            return
    raise AssertionError("the authenticator code was refused twice")
