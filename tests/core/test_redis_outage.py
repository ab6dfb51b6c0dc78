"""Redis stops: pages are still served, sign-in limits still hold, and nothing
stale is served when it comes back (core/cache.py).

Each test runs its own redis-server on a free port. It saves what it holds when
stopped and loads it when started, like a Redis with persistence: whatever was
in it before the outage is back afterwards, the stale entries included.
"""

from __future__ import annotations

import logging
import socket
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core import cache as guarded
from core.cache import RedisCache, forget_health
from core.models import CacheRecord, MissedCacheWrite
from organisations.models import Role
from tests.accounts.test_auth import add_totp, signed_in_user, totp_code
from tests.core.test_security import PLAIN
from tests.factories import PASSWORD
from tests.lists import make_world
from tests.redis_server import free_port
from tests.test_page_queries import PAGES, _viewer
from tests.test_tenant_isolation import ORG_PATTERNS, fetch, signed_in, url_for
from tests.translations import tr

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    """Short intervals, and every test starts as a new process would."""
    monkeypatch.setattr(guarded, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(guarded, "VERIFY_SECONDS", 3600)
    forget_health()
    yield
    forget_health()


@pytest.fixture
def shared_cache(settings, redis_cache):
    """The site's cache and sessions as in production: Redis, cached_db."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return redis_cache


def another_process(url: str) -> RedisCache:
    """A cache with its own view of Redis's health, as in another process.

    The address is spelt differently (no database number) so that it is not
    the same entry in this process's table of health.
    """
    return RedisCache(url.rsplit("/", 1)[0], {"OPTIONS": OPTIONS})


def wait_for_retry() -> None:
    time.sleep(guarded.RETRY_SECONDS + 0.05)


def sign_in_form(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


# The backend on its own.


@pytest.mark.django_db
def test_reads_miss_and_writes_are_recorded_while_redis_is_down(
    shared_cache, redis_server
):
    cache = shared_cache
    cache.set("memberships:7", "admin")
    cache.set("stamp", 1, None)
    redis_server.stop()

    assert cache.get("memberships:7") is None
    assert cache.get("memberships:7", "default") == "default"
    assert cache.get_many(["memberships:7", "stamp"]) == {}
    assert "memberships:7" not in cache
    cache.set("memberships:7", "staff")
    assert cache.add("fresh", 1) is False
    assert cache.delete("memberships:7") is False
    with pytest.raises(ValueError):
        cache.incr("stamp")

    missed = set(MissedCacheWrite.objects.values_list("key", flat=True))
    assert missed == {":1:memberships:7", ":1:fresh", ":1:stamp"}

    redis_server.start()
    # Redis came back with what it held before: the stale values are there.
    assert redis_server.client().get(":1:memberships:7") is not None
    wait_for_retry()

    assert cache.get("memberships:7") is None
    assert cache.get("stamp") is None
    assert not redis_server.keys(":1:memberships:*")
    assert not MissedCacheWrite.objects.exists()
    # And Redis is used again.
    cache.set("memberships:7", "staff")
    assert redis_server.client().get(":1:memberships:7") is not None
    assert cache.get("memberships:7") == "staff"


@pytest.mark.django_db
def test_a_process_that_missed_the_outage_clears_before_reading_a_restarted_redis(
    shared_cache, redis_server
):
    quiet = another_process(redis_server.url)
    quiet.set("memberships:7", "admin")
    assert quiet.get("memberships:7") == "admin"

    redis_server.stop()
    shared_cache.set("memberships:7", "staff")  # missed, and recorded
    redis_server.start()
    assert redis_server.client().get(":1:memberships:7") is not None

    # The quiet process saw no failure and verified less than VERIFY_SECONDS
    # ago; its new connection finds another run id, so it clears first.
    assert quiet.get("memberships:7") is None
    assert not MissedCacheWrite.objects.exists()


@pytest.mark.django_db
def test_a_process_that_cannot_reach_redis_is_heard_by_the_others(
    redis_server, monkeypatch
):
    """A partition: one process cannot reach a Redis that the others use."""
    reaching = another_process(redis_server.url)
    reaching.set("memberships:7", "admin")
    assert reaching.get("memberships:7") == "admin"
    cut_off = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": OPTIONS})

    cut_off.set("memberships:7", "staff")

    assert MissedCacheWrite.objects.filter(key=":1:memberships:7").exists()
    # Within VERIFY_SECONDS the others clear what it missed.
    monkeypatch.setattr(guarded, "VERIFY_SECONDS", 0.2)
    time.sleep(0.25)
    assert reaching.get("memberships:7") is None
    assert not MissedCacheWrite.objects.exists()


@pytest.mark.django_db
def test_one_warning_per_interval_not_per_call(
    shared_cache, redis_server, caplog, monkeypatch
):
    monkeypatch.setattr(guarded, "RETRY_SECONDS", 60)
    monkeypatch.setattr(guarded, "WARN_SECONDS", 0.3)
    shared_cache.get("warm")
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(200):
            shared_cache.get("anything")
        time.sleep(0.35)
        for _ in range(200):
            shared_cache.get("anything")

    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert messages[0].startswith("Redis is not answering (ConnectionError")
    assert messages[1].startswith("Redis has not answered for 0 s; 200 cache calls")

    caplog.clear()
    redis_server.start()
    monkeypatch.setattr(guarded, "RETRY_SECONDS", 0.2)
    shared_cache.guard_health().retry_at = 0
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert shared_cache.get("anything") is None
        shared_cache.get("anything")
    assert [record.getMessage()[:27] for record in caplog.records] == [
        "Redis answers again after 0"
    ]


@pytest.mark.django_db
def test_a_redis_that_does_not_answer_holds_a_call_for_the_timeout_only():
    # Accepts connections and never answers, like a Redis that hangs.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(100)
        port = silent.getsockname()[1]
        cache = RedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": OPTIONS})

        started = time.monotonic()
        assert cache.get("memberships:7") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(50):
            assert cache.get("memberships:7") is None
            cache.set("memberships:7", "staff")
        after = time.monotonic() - started

    # Not a measure of speed: without the timeouts and the pause after a
    # failure, each of these calls would wait for redis-py's 5 s default.
    assert first < 3
    assert after < 2


@pytest.mark.django_db
def test_records_are_kept_in_the_database_while_redis_is_down(
    shared_cache, redis_server
):
    used = "allauth.mfa.totp.used?user=7&code=123456"
    redis_server.stop()

    assert shared_cache.add(used, "y", 30) is True
    assert shared_cache.add(used, "y", 30) is False
    assert CacheRecord.objects.filter(cache_key=f":1:{used}").exists()
    # A record is not a copy: nothing to clear from Redis afterwards.
    assert not MissedCacheWrite.objects.exists()


# Through the site.


@pytest.fixture
def world(org):
    # With a value base in force, whose pages are kept whole in the cache.
    return make_world(org)


VALUE_BASE_PAGES = ["values:in_force", "guidelines:for_me"]


def pages_for(world, role: str) -> list[str]:
    urls = [page.url(world) for page in PAGES if page.viewer == role]
    urls += [
        reverse(name, kwargs={"org": world.org.slug, "base": "vardegrund"})
        for name in VALUE_BASE_PAGES
    ]
    return urls


ROLES = ["staff", "facilitator", "top_manager", "admin"]


def signed_in_clients(world) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client()
        response = sign_in_form(client, _viewer(world, role).user.email)
        assert response.status_code == 302, role
        clients[role] = client
    return clients


@pytest.mark.django_db(transaction=True)
def test_the_site_keeps_serving_while_redis_is_down_and_serves_nothing_stale_after(
    shared_cache, redis_server, world
):
    clients = signed_in_clients(world)
    for role, client in clients.items():
        for url in pages_for(world, role):
            assert client.get(url).status_code == 200, (role, url)
    admin = _viewer(world, "admin")
    members_url = reverse("organisations:member_list", kwargs={"org": world.org.slug})
    assert clients["admin"].get(members_url).status_code == 200
    staff_session = clients["staff"].session.session_key
    assert redis_server.keys(f"*{staff_session}")

    redis_server.stop()

    # Every main page, as each role, from the database.
    for role, client in clients.items():
        for url in pages_for(world, role):
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert _viewer(world, role).user.get_short_name() in response.text
    # A fresh sign-in.
    newcomer = Client()
    response = sign_in_form(newcomer, _viewer(world, "facilitator").user.email)
    assert response.status_code == 302
    dashboard = reverse("organisations:dashboard", kwargs={"org": world.org.slug})
    assert newcomer.get(dashboard).status_code == 200
    # While Redis is away: the admin is made staff, and staff signs out.
    admin.role = Role.STAFF
    admin.save()
    assert clients["admin"].get(members_url).status_code == 403
    assert clients["staff"].post(reverse("account_logout")).status_code == 302

    redis_server.start()
    # What Redis held before is back: the admin's memberships as admin, the
    # signed-out session's copy.
    assert redis_server.keys(f":1:memberships:{admin.user_id}")
    assert redis_server.keys(f"*{staff_session}")
    wait_for_retry()

    assert clients["admin"].get(members_url).status_code == 403
    signed_out = Client()
    signed_out.cookies[settings.SESSION_COOKIE_NAME] = staff_session
    response = signed_out.get(dashboard)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not redis_server.keys(f"*{staff_session}")
    # The others carry on, and Redis holds their copies again.
    for role in ["facilitator", "top_manager"]:
        assert clients[role].get(dashboard).status_code == 200
    person = _viewer(world, "facilitator").user_id
    assert redis_server.keys(f":1:memberships:{person}")
    assert not MissedCacheWrite.objects.exists()


def test_every_page_answers_while_redis_is_down(
    shared_cache, redis_server, client, org
):
    # An administrator who leads the group gets through every page
    # (tests/test_tenant_isolation.py); the session is made while Redis is up.
    signed_in(client, org, Role.ADMIN)
    pages = [(pattern.name, url_for(pattern, org)) for pattern in ORG_PATTERNS]
    # And those outside organisations: profile, account, two factors, my data.
    pages += [(name, reverse(name)) for name in PLAIN]
    assert fetch(client, pages[0][1]).status_code < 500
    redis_server.stop()

    failed = {}
    for name, url in pages:
        response = fetch(client, url)
        if response.status_code >= 500:
            failed[name] = response.status_code

    assert failed == {}
    assert len(pages) > 80


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_while_redis_is_down(
    shared_cache, redis_server, staff
):
    redis_server.stop()

    for _attempt in range(5):
        assert (
            sign_in_form(Client(), staff.user.email, "wrong-password").status_code
            == 200
        )
    # Even the right password, from another browser, until the limit has passed.
    client = Client()
    response = sign_in_form(client, staff.user.email)

    assert response.status_code in {200, 429}
    assert tr("sv", "Too many failed login attempts. Try again later.") in (
        response.text
    )
    assert "_auth_user_id" not in client.session
    assert CacheRecord.objects.filter(cache_key__contains="allauth:rl:").exists()


@pytest.mark.django_db
def test_two_factor_sign_in_works_and_a_code_is_used_once_while_redis_is_down(
    shared_cache, redis_server, staff
):
    secret = add_totp(staff.user)
    code = totp_code(secret)
    redis_server.stop()

    first = Client()
    sign_in_form(first, staff.user.email)
    response = first.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert signed_in_user(first) == staff.user
    # The same code again, from another browser: refused, as with Redis.
    second = Client()
    sign_in_form(second, staff.user.email)
    again = second.post(reverse("mfa_authenticate"), {"code": code})

    assert again.status_code == 200
    assert signed_in_user(second) is None
