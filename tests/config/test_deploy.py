"""Production settings pass Django's deployment checks, and refuse to start unsafe."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "etik.example.org",
    "DATABASE_URL": "postgres://etikrum@db.example.org:5432/etikrum",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://etik.example.org",
}


def inherited() -> dict[str, str]:
    """The test run's environment without any of the settings' variables."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(
            (
                "DJANGO_",
                "DATABASE_",
                "EMAIL_",
                "OIDC_",
                "REDIS_",
                "SITE_URL",
                "WEB_CONCURRENCY",
            )
        )
    }


def manage(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """Run manage.py with only the variables given (plus what Python needs)."""
    variables = {**inherited(), **{k: v for k, v in env.items() if v is not None}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=variables,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_passes_with_debug_explicitly_off():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_mail_server_is_reported():
    # Invitations and password resets would only reach the server's console.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "EMAIL_HOST": None},
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


@pytest.mark.parametrize(
    "site_url", [None, "http://etik.example.org", "https://localhost:8000"]
)
def test_a_site_url_that_is_not_public_is_reported(site_url):
    # Invitations and calendar files carry links built from SITE_URL.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "SITE_URL": site_url},
    )
    assert result.returncode != 0
    assert "etikrum.W001" in result.stderr


def test_a_weak_secret_key_is_reported():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "DJANGO_SECRET_KEY": "short"},
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_several_web_processes_without_redis_are_reported():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        WEB_CONCURRENCY="4",
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "etikrum.W002" in result.stderr
    shared = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        WEB_CONCURRENCY="4",
        REDIS_URL="redis://127.0.0.1:6379/0",
        **PRODUCTION,
    )
    assert shared.returncode == 0, shared.stdout + shared.stderr


def test_a_trusted_proxy_that_is_no_address_is_an_error():
    result = manage(
        "check",
        DJANGO_BEHIND_PROXY="true",
        DJANGO_TRUSTED_PROXIES="10.0.0.1,proxy.internal",
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "etikrum.E001" in result.stderr


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
        result = manage(
            "check", **{**PRODUCTION, "DJANGO_SECRET_KEY": None, "DJANGO_DEBUG": debug}
        )
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stdout + result.stderr


def settings_under(*names: str, **env: str) -> dict:
    """The values settings.py gives `names` under the environment `env`."""
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env={**inherited(), "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


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
