"""Signing in and out with django-allauth: e-mail, password, TOTP and OpenID Connect."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.config.environment import settings_from
from tests.factories import PASSWORD, make_member, make_org, sign_in
from tests.translations import tr

BASE_DIR = Path(__file__).resolve().parents[2]
User = get_user_model()


def sign_in_form(client, email: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, **extra
    )


def totp_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app shows now (or `offset` periods from now)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def add_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def signed_in_user(client):
    """Who the client is signed in as, asked of a page that needs a sign-in."""
    response = client.get(reverse("profile"))
    return response.context["user"] if response.status_code == 200 else None


def dashboard(membership) -> str:
    return reverse("organisations:dashboard", args=[membership.organisation.slug])


# E-mail and password


@pytest.mark.django_db
def test_sign_in_by_email_and_password(client, staff):
    response = sign_in_form(client, "Staff@Norrby.example", follow=True)

    # One organisation: straight to its dashboard.
    assert response.redirect_chain == [
        (reverse("home"), 302),
        (dashboard(staff), 302),
    ]
    assert response.status_code == 200
    assert response.context["user"] == staff.user
    assert response.context["current_organisation"] == staff.organisation
    assert staff.organisation.name in response.text
    staff.user.refresh_from_db()
    assert staff.user.last_login is not None


@pytest.mark.django_db
def test_sign_in_returns_to_the_page_asked_for(client, staff):
    units = reverse("organisations:unit_list", args=[staff.organisation.slug])
    asked = client.get(units)
    assert asked["Location"] == f"{reverse('account_login')}?next={units}"

    response = client.post(
        asked["Location"], {"login": staff.user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == units


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("staff@norrby.example", "wrong-password"),
        ("nobody@norrby.example", PASSWORD),
    ],
)
def test_a_wrong_password_or_address_shows_an_error(client, staff, email, password):
    response = sign_in_form(client, email, password)

    assert response.status_code == 200
    message = tr(
        "sv", "The email address and/or password you specified are not correct."
    )
    assert response.context["form"].non_field_errors() == [message]
    assert message in response.text
    assert f'value="{email}"' in response.text
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_a_deactivated_account_cannot_sign_in(client, staff):
    staff.user.is_active = False
    staff.user.save()

    response = sign_in_form(client, staff.user.email, follow=True)

    assert signed_in_user(client) is None
    assert dashboard(staff) not in [url for url, _status in response.redirect_chain]


@pytest.mark.django_db
def test_failed_sign_ins_are_rate_limited(client, staff):
    for _attempt in range(5):
        response = sign_in_form(client, staff.user.email, "wrong-password")
        assert response.status_code == 200

    # Even the right password is refused until the limit has passed.
    response = sign_in_form(client, staff.user.email)

    assert response.status_code in {200, 429}
    assert tr("sv", "Too many failed login attempts. Try again later.") in (
        response.text
    )
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_the_failed_sign_ins_are_counted_in_the_default_cache(client, staff):
    # The count lives in the cache that REDIS_URL shares between processes
    # (config.settings), not in the session or in one process's memory.
    for _attempt in range(5):
        sign_in_form(client, staff.user.email, "wrong-password")
    assert sign_in_form(client, staff.user.email).status_code in {200, 429}
    assert signed_in_user(client) is None

    caches["default"].clear()
    response = sign_in_form(client, staff.user.email)

    assert response.status_code == 302
    assert signed_in_user(client) == staff.user


@pytest.mark.django_db
def test_the_rate_limit_is_per_address(client, staff, admin_member):
    for _attempt in range(5):
        sign_in_form(client, staff.user.email, "wrong-password")

    response = sign_in_form(client, admin_member.user.email)

    assert response.status_code == 302
    assert signed_in_user(client) == admin_member.user


@pytest.mark.django_db
def test_sign_out_by_post(client, staff):
    sign_in(client, staff)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_user(client) is None
    assert client.get(dashboard(staff))["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_sign_out_by_get_only_asks(client, staff):
    sign_in(client, staff)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert 'method="post"' in response.text
    assert signed_in_user(client) == staff.user


@pytest.mark.django_db
def test_public_sign_up_is_closed(client):
    page = client.get(reverse("account_signup"))
    response = client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.org",
            "password1": "a-long-enough-password",
            "password2": "a-long-enough-password",
        },
    )

    assert page.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in page.templates]
    assert 'name="password1"' not in page.text
    assert response.status_code == 200
    assert not User.objects.filter(email="stranger@example.org").exists()
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_the_sign_in_page_offers_no_sign_up(client):
    page = client.get(reverse("account_login"))
    assert page.status_code == 200
    assert reverse("account_signup") not in page.text
    assert reverse("account_reset_password") in page.text


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, staff):
    response = client.post(
        reverse("account_reset_password"), {"email": staff.user.email}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.user.email]
    assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    links = [
        link
        for link in re.findall(r"https?://\S+", message.body)
        if "/password/reset/key/" in link
    ]
    assert len(links) == 1

    key_page = client.get(urlsplit(links[0]).path, follow=True)
    assert 'name="password1"' in key_page.text
    new_password = "ett-nytt-losenord-2025"
    done = client.post(
        key_page.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    staff.user.refresh_from_db()
    assert staff.user.check_password(new_password)
    assert not staff.user.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_no_link(client, staff):
    response = client.post(
        reverse("account_reset_password"), {"email": "nobody@norrby.example"}
    )

    # The answer does not tell whether the address has an account.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


# Two-factor sign-in


@pytest.mark.django_db
def test_a_person_with_totp_must_give_a_code(client, staff):
    secret = add_totp(staff.user)

    response = sign_in_form(client, staff.user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user(client) is None

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert tr("sv", "Incorrect code.") in wrong.text
    assert signed_in_user(client) is None

    right = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(secret)}, follow=True
    )
    assert right.redirect_chain[-1] == (dashboard(staff), 302)
    assert right.context["user"] == staff.user


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(client, staff):
    secret = add_totp(staff.user)
    code = totp_code(secret)
    sign_in_form(client, staff.user.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    sign_in_form(client, staff.user.email)
    again = client.post(reverse("mfa_authenticate"), {"code": code})

    assert again.status_code == 200
    assert signed_in_user(client) is None


@pytest.fixture
def strict_org(db):
    return make_org("strikt", require_mfa=True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_without_totp_are_sent_to_set_it_up(
    client, strict_org, role
):
    member = make_member(strict_org, role)
    sign_in_form(client, member.user.email)

    response = client.get(dashboard(member), follow=True)

    # allauth asks for the password again before an authenticator is added.
    assert response.redirect_chain == [
        (reverse("mfa_activate_totp"), 302),
        (
            f"{reverse('account_reauthenticate')}?next=%2Faccounts%2F2fa%2Ftotp"
            "%2Factivate%2F",
            302,
        ),
    ]
    warning = tr(
        "sv",
        "Your organisation asks people in your role to sign in with two "
        "factors. Set up an authenticator app to go on.",
    )
    assert warning in [str(m) for m in response.context["messages"]]
    assert warning in response.text
    assert response.context.get("current_organisation") is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "facilitator", "manager"])
def test_other_roles_get_through_without_totp(client, strict_org, role):
    member = make_member(strict_org, role)
    sign_in(client, member)

    response = client.get(dashboard(member))

    assert response.status_code == 200
    assert response.context["current_membership"] == member


@pytest.mark.django_db
def test_editor_sets_up_totp_and_then_gets_through(client, strict_org):
    editor = make_member(strict_org, "editor")
    sign_in_form(client, editor.user.email)

    asked = client.get(dashboard(editor), follow=True)
    setup = client.post(
        asked.redirect_chain[-1][0], {"password": PASSWORD}, follow=True
    )
    assert setup.redirect_chain[-1] == (reverse("mfa_activate_totp"), 302)
    secret = re.search(
        r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"'
        r'|value="([A-Z2-7=]+)"[^>]*id="authenticator_secret"',
        setup.text,
    )
    assert secret is not None, "the set-up page shows no secret"
    secret = secret.group(1) or secret.group(2)
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert activated.status_code == 302

    response = client.get(dashboard(editor))
    assert response.status_code == 200
    assert response.context["current_membership"] == editor


@pytest.mark.django_db
def test_editor_with_totp_signs_in_with_a_code_and_gets_through(client, strict_org):
    editor = make_member(strict_org, "editor")
    secret = add_totp(editor.user)

    sign_in_form(client, editor.user.email)
    response = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(secret)}, follow=True
    )

    assert response.redirect_chain[-1] == (dashboard(editor), 302)
    assert response.status_code == 200
    assert response.context["current_membership"] == editor


# OpenID Connect, configured by environment variables


def probe(client, settings, **env: str) -> dict:
    """The sign-in page and providers with the OIDC settings this environment makes.

    config/settings.py is read again under the variables given (see
    tests/config/environment.py), and its provider settings are put in place.
    """
    found = settings_from(DJANGO_DEBUG="true", **env)
    settings.SOCIALACCOUNT_PROVIDERS = found["SOCIALACCOUNT_PROVIDERS"]
    page = client.get(reverse("account_login"))
    request = page.wsgi_request
    adapter = get_adapter()
    providers = [
        {"id": p.sub_id, "name": p.name, "login_url": p.get_login_url(request)}
        for p in adapter.list_providers(request)
    ]
    app = providers and adapter.get_app(request, "municipality")
    return {
        "providers": providers,
        "page": page.content.decode(),
        "server_url": app.settings["server_url"] if app else None,
        "client_id": app.client_id if app else None,
    }


@pytest.mark.django_db
def test_oidc_provider_is_offered_when_configured(client, settings):
    found = probe(
        client,
        settings,
        OIDC_SERVER_URL="https://login.norrby.example/realms/staff",
        OIDC_CLIENT_ID="etikrum",
        OIDC_CLIENT_SECRET="not-a-real-secret",
        OIDC_PROVIDER_ID="municipality",
        OIDC_NAME="Norrby sign-in",
    )

    assert [(p["id"], p["name"]) for p in found["providers"]] == [
        ("municipality", "Norrby sign-in")
    ]
    assert found["server_url"] == "https://login.norrby.example/realms/staff"
    assert found["client_id"] == "etikrum"
    login_url = found["providers"][0]["login_url"]
    assert login_url.startswith("/accounts/oidc/municipality/login/")
    assert "Norrby sign-in" in found["page"]
    assert login_url.split("?")[0] in found["page"]
    assert "not-a-real-secret" not in found["page"]


@pytest.mark.django_db
def test_no_oidc_provider_without_configuration(client, settings):
    found = probe(client, settings)

    assert found["providers"] == []
    assert found["client_id"] is None
    assert "/accounts/oidc/" not in found["page"]
    assert 'name="login"' in found["page"]


# The Django admin


@pytest.mark.django_db
def test_the_admin_sign_in_goes_through_allauth(client, strict_org):
    member = make_member(strict_org, "admin")
    member.user.is_staff = member.user.is_superuser = True
    member.user.save()
    secret = add_totp(member.user)
    admin_login = reverse("admin:login")

    # The admin's own form would skip the second factor; it is not there.
    response = client.post(
        f"{admin_login}?next=/django-admin/",
        {"username": member.user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fdjango-admin%2F"
    assert signed_in_user(client) is None
    assert client.get(dashboard(member)).status_code == 302

    sign_in_form(client, member.user.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_the_admin_is_for_superusers_only(client, admin_member):
    sign_in(client, admin_member)
    assert client.get(reverse("admin:login")).status_code == 403
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_proxy_the_limit_counts_each_client_address(
    client, admin_member, settings, proxies
):
    # DJANGO_BEHIND_PROXY trusts the proxy's network (tests/config/test_deploy.py).
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"] if proxies else []
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for attempt in range(10):
        sign_in_form(
            client,
            f"guess{attempt}@norrby.example",
            "wrong-password",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
            **proxy,
        )

    colleague = Client()
    response = sign_in_form(
        colleague,
        admin_member.user.email,
        HTTP_X_FORWARDED_FOR="198.51.100.9",
        **proxy,
    )

    if proxies:
        assert response.status_code == 302
        assert signed_in_user(colleague) == admin_member.user
        # The guesser stays locked out, even with a right password.
        sign_in_form(
            client,
            admin_member.user.email,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
            **proxy,
        )
        assert signed_in_user(client) is None
    else:
        # Without it, everyone behind the proxy shares one limit.
        assert signed_in_user(colleague) is None


@pytest.mark.django_db
def test_a_forwarded_address_counts_only_from_a_trusted_proxy(
    client, admin_member, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # Straight from the internet, with a new made-up address on every guess.
    direct = {"REMOTE_ADDR": "203.0.113.7"}
    for attempt in range(10):
        sign_in_form(
            client,
            admin_member.user.email,
            "wrong-password",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
            **direct,
        )

    sign_in_form(
        client, admin_member.user.email, HTTP_X_FORWARDED_FOR="192.0.2.1", **direct
    )

    assert signed_in_user(client) is None


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1, 10.0.0.3", "198.51.100.1"),
        ("10.0.0.2", "not-an-address, 10.0.0.3", "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, remote, forwarded, expected):
    from django.test import RequestFactory

    from accounts.client_ip import client_ip

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_everyone_can_set_up_totp(client, staff):
    sign_in_form(client, staff.user.email)

    index = client.get(reverse("mfa_index"))

    assert index.status_code == 200
    assert reverse("mfa_activate_totp") in index.text
