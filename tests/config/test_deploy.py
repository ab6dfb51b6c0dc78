"""Production settings pass Django's deployment checks, and refuse to start unsafe."""

from __future__ import annotations

import pytest
from django.core.checks import WARNING
from django.core.exceptions import ImproperlyConfigured

from .environment import PRODUCTION, check, manage, settings_under

# The model checks look at the database, as `manage.py check` does.
pytestmark = pytest.mark.django_db


def test_check_deploy_passes_with_production_variables():
    # The one run of the real command: the in-process checks below agree with it.
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_checks_in_this_process_find_what_the_command_finds():
    assert check(deploy=True, **PRODUCTION).messages == []
    weak = {**PRODUCTION, "DJANGO_SECRET_KEY": "short"}
    assert "security.W009" in check(deploy=True, **weak).ids
    result = manage("check", "--deploy", "--fail-level", "WARNING", **weak)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_check_deploy_passes_with_debug_explicitly_off():
    result = check(deploy=True, DJANGO_DEBUG="false", **PRODUCTION)
    assert not result.fails(WARNING), result.messages


def test_production_without_a_mail_server_is_reported():
    # Invitations and password resets would only reach the server's console.
    result = check(deploy=True, **{**PRODUCTION, "EMAIL_HOST": None})
    assert result.fails(WARNING)
    assert "mail.E001" in result.ids


@pytest.mark.parametrize(
    "site_url", [None, "http://etik.example.org", "https://localhost:8000"]
)
def test_a_site_url_that_is_not_public_is_reported(site_url):
    # Invitations and calendar files carry links built from SITE_URL.
    result = check(deploy=True, **{**PRODUCTION, "SITE_URL": site_url})
    assert result.fails(WARNING)
    assert "etikrum.W001" in result.ids


def test_a_weak_secret_key_is_reported():
    result = check(deploy=True, **{**PRODUCTION, "DJANGO_SECRET_KEY": "short"})
    assert result.fails(WARNING)
    assert "security.W009" in result.ids


def test_several_web_processes_without_redis_are_reported():
    result = check(deploy=True, WEB_CONCURRENCY="4", **PRODUCTION)
    assert result.fails(WARNING)
    assert "etikrum.W002" in result.ids
    shared = check(
        deploy=True,
        WEB_CONCURRENCY="4",
        REDIS_URL="redis://127.0.0.1:6379/0",
        **PRODUCTION,
    )
    assert not shared.fails(WARNING), shared.messages


def test_a_trusted_proxy_that_is_no_address_is_an_error():
    result = check(
        DJANGO_BEHIND_PROXY="true",
        DJANGO_TRUSTED_PROXIES="10.0.0.1,proxy.internal",
        **PRODUCTION,
    )
    assert result.fails()
    assert "etikrum.E001" in result.ids


def test_production_cookies_carry_the_host_prefix():
    found = settings_under(
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "LANGUAGE_COOKIE_NAME",
        "SESSION_COOKIE_DOMAIN",
        "CSRF_COOKIE_DOMAIN",
        "SESSION_COOKIE_PATH",
        **PRODUCTION,
    )
    assert found == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "LANGUAGE_COOKIE_NAME": "__Host-language",
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": "/",
    }


def test_starting_without_a_secret_key_fails_clearly():
    for debug in (None, "false", "0", ""):
        with pytest.raises(ImproperlyConfigured, match="Set DJANGO_SECRET_KEY"):
            check(**{**PRODUCTION, "DJANGO_SECRET_KEY": None, "DJANGO_DEBUG": debug})


def test_debug_runs_without_a_secret_key():
    result = check(DJANGO_DEBUG="true")
    assert not result.fails(), result.messages


def test_production_cookies_and_headers_are_strict():
    found = settings_under(
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "ALLOWED_HOSTS",
        "STORAGES",
        **PRODUCTION,
    )

    assert found == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "ALLOWED_HOSTS": ["etik.example.org"],
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
            },
        },
    }


def test_behind_a_proxy_https_and_client_addresses_come_from_it():
    found = settings_under(
        "SECURE_PROXY_SSL_HEADER",
        "TRUSTED_PROXIES",
        DJANGO_BEHIND_PROXY="true",
        DJANGO_TRUSTED_PROXIES="10.1.2.3, 2001:db8::/64",
        **PRODUCTION,
    )

    assert found == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "TRUSTED_PROXIES": ["10.1.2.3", "2001:db8::/64"],
    }
