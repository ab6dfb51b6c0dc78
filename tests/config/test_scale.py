"""Settings for several web processes: sessions, the shared cache, a read replica."""

from __future__ import annotations

import hashlib

import pytest
from django.core.checks import WARNING
from django.core.exceptions import ImproperlyConfigured

from .environment import PRODUCTION, check, settings_under

# The model checks look at the database, as `manage.py check` does.
pytestmark = pytest.mark.django_db

REDIS = "redis://cache.internal:6379/0"
REPLICA = "postgres://etikrum@replica.example.org:5432/etikrum"
ENGINES = {
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
}


def test_with_redis_sessions_are_cached_and_the_cache_is_shared():
    found = settings_under("SESSION_ENGINE", "CACHES", REDIS_URL=REDIS, **PRODUCTION)

    assert found == {
        "SESSION_ENGINE": ENGINES["cached_db"],
        "CACHES": {
            "default": {
                # Django's Redis cache, one client per pool, every call
                # guarded (core/cache.py), with short timeouts.
                "BACKEND": "core.cache.RedisCache",
                "LOCATION": REDIS,
                # Named after the database, which another site on this Redis
                # does not share (tests/accounts/test_shared_cache.py).
                "KEY_PREFIX": hashlib.sha256(b"etikrum").hexdigest()[:12],
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        },
    }


def test_the_redis_timeout_is_a_setting():
    found = settings_under("CACHES", REDIS_URL=REDIS, REDIS_TIMEOUT="2", **PRODUCTION)

    assert found["CACHES"]["default"]["OPTIONS"] == {
        "socket_connect_timeout": 2.0,
        "socket_timeout": 2.0,
    }


def test_without_redis_sessions_stay_in_the_database():
    # A copy in one process's memory would outlive a sign-out made in another.
    found = settings_under("SESSION_ENGINE", "CACHES", **PRODUCTION)

    assert found["SESSION_ENGINE"] == ENGINES["db"]
    assert found["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")


@pytest.mark.parametrize("store", ["cached_db", "db", "cache"])
def test_the_session_store_is_chosen_by_name(store):
    found = settings_under(
        "SESSION_ENGINE", DJANGO_SESSION_STORE=store, REDIS_URL=REDIS, **PRODUCTION
    )

    assert found == {"SESSION_ENGINE": ENGINES[store]}


def test_an_unknown_session_store_is_refused():
    with pytest.raises(ImproperlyConfigured) as refused:
        check(DJANGO_SESSION_STORE="redis", **PRODUCTION)

    assert "DJANGO_SESSION_STORE is 'redis'; choose one of cached_db, db, cache" in (
        str(refused.value)
    )


def test_sessions_in_a_cache_of_one_process_are_refused_in_production():
    with pytest.raises(ImproperlyConfigured) as refused:
        check(DJANGO_SESSION_STORE="cache", **PRODUCTION)

    assert "DJANGO_SESSION_STORE=cache needs REDIS_URL" in str(refused.value)
    # A developer may try it out on one process.
    debugging = settings_under(
        "SESSION_ENGINE", DJANGO_SESSION_STORE="cache", DJANGO_DEBUG="true"
    )
    assert debugging == {"SESSION_ENGINE": ENGINES["cache"]}


@pytest.mark.parametrize("store", ["cached_db", "cache"])
def test_cached_sessions_in_several_processes_without_redis_are_reported(store):
    result = check(
        deploy=True,
        WEB_CONCURRENCY="3",
        DJANGO_SESSION_STORE=store,
        DJANGO_DEBUG="true" if store == "cache" else None,
        **PRODUCTION,
    )

    assert result.fails(WARNING)
    assert "etikrum.W003" in result.ids
    assert "etikrum.W002" in result.ids


def test_sessions_in_the_database_need_no_warning_about_sign_outs():
    result = check(WEB_CONCURRENCY="3", DJANGO_SESSION_STORE="db", **PRODUCTION)

    assert "etikrum.W003" not in result.ids
    # The rate limits still need the shared cache.
    assert "etikrum.W002" in result.ids


def test_a_replica_adds_an_alias_a_router_and_the_middleware():
    found = settings_under(
        "DATABASES",
        "DATABASE_ROUTERS",
        "MIDDLEWARE",
        DATABASE_REPLICA_URL=REPLICA,
        DATABASE_REPLICA_STICKY_SECONDS="5",
        **PRODUCTION,
    )
    replica = found["DATABASES"]["replica"]

    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert (replica["HOST"], replica["NAME"]) == ("replica.example.org", "etikrum")
    assert replica["TEST"]["MIRROR"] == "default"
    assert found["DATABASES"]["default"]["HOST"] == "db.example.org"
    assert found["DATABASE_ROUTERS"] == ["core.replica.ReplicaRouter"]
    assert found["MIDDLEWARE"][-1] == "core.replica.ReplicaMiddleware"
    assert settings_under(
        "REPLICA_STICKY_SECONDS", DATABASE_REPLICA_STICKY_SECONDS="5", **PRODUCTION
    ) == {"REPLICA_STICKY_SECONDS": 5}


def test_without_a_replica_there_is_one_database_and_no_router():
    found = settings_under("DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE", **PRODUCTION)

    assert list(found["DATABASES"]) == ["default"]
    assert found["DATABASE_ROUTERS"] == []
    assert "core.replica.ReplicaMiddleware" not in found["MIDDLEWARE"]


def test_a_replica_of_another_kind_of_database_is_refused():
    with pytest.raises(ImproperlyConfigured) as refused:
        check(DATABASE_REPLICA_URL="sqlite:///elsewhere.sqlite3", **PRODUCTION)

    assert "DATABASE_REPLICA_URL must be a replica of DATABASE_URL" in str(
        refused.value
    )


def test_a_fleet_with_redis_and_a_replica_passes_the_deployment_checks():
    result = check(
        deploy=True,
        WEB_CONCURRENCY="8",
        REDIS_URL=REDIS,
        DATABASE_REPLICA_URL=REPLICA,
        **PRODUCTION,
    )

    assert not result.fails(WARNING), result.messages
