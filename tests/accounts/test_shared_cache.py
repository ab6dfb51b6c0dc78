"""One Redis, two sites on two databases: neither signs the other's people out.

The signed-in person is kept in the shared cache by id (accounts/backends.py).
Two sites on different databases that share a Redis (the benchmark's two
datasets, a staging copy beside production) have different people under the
same id; if their keys met, one site would serve the other's person, whose
password hash does not match the session, and Django would end the session:
every later request answers with the sign-in page (issue 26).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.config.environment import PRODUCTION, settings_under
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

SERVER = "postgres://etikrum@db.example.org:5432"


def site_cache(redis_server, database: str) -> dict:
    """The cache a site on `database` configures, pointed at the test's Redis."""
    found = settings_under(
        "CACHES",
        **{
            **PRODUCTION,
            "DATABASE_URL": f"{SERVER}/{database}",
            "REDIS_URL": redis_server.url,
        },
    )
    return found["CACHES"]


def test_a_site_on_another_database_sharing_the_redis_signs_no_one_out(
    client, staff, redis_server, settings
):
    ours = site_cache(redis_server, "etikrum")
    theirs = site_cache(redis_server, "etikrum_small")
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHES = ours
    sign_in(client, staff)
    page = reverse("organisations:dashboard", kwargs={"org": staff.organisation.slug})
    assert client.get(page).status_code == 200
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    # The other site signs in its own person with the same id, whose password
    # (as its database holds it) is not ours.
    ours_hash = User.objects.get(pk=staff.user.pk).password
    User.objects.filter(pk=staff.user.pk).update(
        password=make_password("another-sites-own-passphrase")
    )
    settings.CACHES = theirs
    elsewhere = Client()
    elsewhere.force_login(User.objects.get(pk=staff.user.pk))
    assert elsewhere.get(page).status_code == 200
    User.objects.filter(pk=staff.user.pk).update(password=ours_hash)

    settings.CACHES = ours
    response = client.get(page)

    assert response.status_code == 200
    assert response.context["user"].pk == staff.user.pk
    assert Session.objects.filter(session_key=session_key).exists()
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == session_key


def test_the_processes_of_one_site_share_the_cache_and_another_site_does_not():
    def prefix(**env: str) -> str:
        found = settings_under(
            "CACHES", **{**PRODUCTION, "REDIS_URL": "redis://cache:6379/0", **env}
        )
        return str(found["CACHES"]["default"].get("KEY_PREFIX", ""))

    web = prefix(DATABASE_URL=f"{SERVER}/etikrum")
    # The owner role that migrates, and a worker, reach the same database.
    owner = prefix(DATABASE_URL="postgres://etikrum_owner@db.example.org:5432/etikrum")
    other = prefix(DATABASE_URL=f"{SERVER}/etikrum_small")

    assert web == owner
    assert web != other
    # Django's keys are "<prefix>:<version>:<key>"; core.cache reads them so.
    assert ":" not in web
    assert prefix(DATABASE_URL=f"{SERVER}/etikrum", CACHE_KEY_PREFIX="site-a") == (
        "site-a"
    )
