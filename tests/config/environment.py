"""Settings and system checks under a given environment, read in this process.

config/settings.py reads the environment once, when it is imported. Starting
`manage.py check` for every environment a test wants costs two to three seconds
of interpreter and Django start-up each; instead the settings file is executed
again here under exactly the variables given, and Django's system checks run
with its values in place. One end-to-end test (tests/config/test_deploy.py) still
starts the real command, so the two paths are known to agree.
"""

from __future__ import annotations

import json
import os
import runpy
import secrets
import subprocess
import sys
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import global_settings, settings
from django.core import checks
from django.test.utils import override_settings

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_FILE = BASE_DIR / "config" / "settings.py"

PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "etik.example.org",
    "DATABASE_URL": "postgres://etikrum@db.example.org:5432/etikrum",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://etik.example.org",
}

# Settings a running process cannot take on: the installed apps are loaded once
# (the probe asserts they are the same), and the databases and routers matter only
# to the database checks, which `manage.py check` runs only when asked (--database).
FIXED_AT_START = {"INSTALLED_APPS", "DATABASES", "DATABASE_ROUTERS"}


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


def environment(**env: str | None) -> dict[str, str]:
    """Only the variables given (None leaves one out), plus what Python needs."""
    return {**inherited(), **{k: v for k, v in env.items() if v is not None}}


def manage(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """Run manage.py in a new process with only the variables given."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_from(**env: str | None) -> dict[str, Any]:
    """Every setting config/settings.py makes under exactly these variables.

    Raises what the settings file raises (ImproperlyConfigured), as start-up would.
    """
    with mock.patch.dict(os.environ, environment(**env), clear=True):
        namespace = runpy.run_path(str(SETTINGS_FILE), run_name="config.settings")
    return {name: value for name, value in namespace.items() if name.isupper()}


def settings_under(*names: str, **env: str | None) -> dict[str, Any]:
    """The values settings.py gives `names`, as JSON would carry them."""
    found = settings_from(**env)
    # What the file does not set is Django's default, as django.conf would give it.
    values = {
        name: found[name] if name in found else getattr(global_settings, name)
        for name in names
    }
    return json.loads(json.dumps(values, default=str))


@dataclass
class Checked:
    """What `manage.py check` reports: every message that is not silenced."""

    messages: list[checks.CheckMessage]

    @property
    def ids(self) -> set[str]:
        return {message.id for message in self.messages if message.id}

    def fails(self, level: int = checks.ERROR) -> bool:
        """Whether the command would exit non-zero with --fail-level `level`."""
        return any(message.level >= level for message in self.messages)


# Checks about the role this test run connects as, not about the environment
# under test: the test database is reached as the superuser that created it.
# tests/audit/test_roles.py checks the warning itself.
ABOUT_THE_TEST_CONNECTION = {"audit.W001"}


def check(*, deploy: bool = False, **env: str | None) -> Checked:
    """Django's system checks with the settings of this environment in place.

    Like the command, the model checks look at every database connection, here
    the test database: tests calling this need database access.
    """
    found = settings_from(**env)
    assert found["INSTALLED_APPS"] == settings.INSTALLED_APPS
    # A setting the file makes for this test run but leaves out under this
    # environment takes Django's default.
    running = import_module("config.settings")
    current = {name for name in vars(running) if name.isupper()}
    overrides = {
        name: getattr(global_settings, name)
        for name in current - set(found)
        if hasattr(global_settings, name)
    }
    overrides.update(found)
    for name in FIXED_AT_START:
        overrides.pop(name, None)
    # Some checks read the environment themselves (WEB_CONCURRENCY).
    with (
        mock.patch.dict(os.environ, environment(**env), clear=True),
        override_settings(**overrides),
    ):
        messages = checks.run_checks(include_deployment_checks=deploy)
        return Checked(
            [
                m
                for m in messages
                if not m.is_silenced() and m.id not in ABOUT_THE_TEST_CONNECTION
            ]
        )
