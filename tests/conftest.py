from __future__ import annotations

import os
import shutil
import threading

import pytest
from django.core.cache import cache

from .factories import make_member, make_org, make_unit

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls
# made by fixtures and assertions alongside it are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# pytest-django's fixtures through which a test reaches the database.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def pytest_collection_modifyitems(config, items):
    """Mark the tests that cannot reach the database as `no_database`.

    pytest-django refuses every query from a test that neither carries the
    `django_db` mark nor asks for one of the fixtures above, so such a test does
    the same whichever database is configured. CI runs them once, with the rest
    of the suite on PostgreSQL, and leaves them out of the SQLite run
    (docs/testing.md).
    """
    for item in items:
        if item.get_closest_marker("django_db") is None and not (
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        ):
            item.add_marker(pytest.mark.no_database)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test databases do not wait for each commit to reach disk.

    No test survives a crash of the database server, so waiting for the flush of
    every commit checks nothing, and it is most of what a commit costs: about
    3.7 ms each on the machine we build on, 0.2 ms without. Tests that commit
    (the live server's requests, `transaction=True`, creating the databases) pay
    it per statement. Production keeps `synchronous_commit` on (docs/testing.md).
    """
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.postgresql":
            options = database.setdefault("OPTIONS", {})
            options["options"] = " ".join(
                filter(None, [options.get("options"), "-c synchronous_commit=off"])
            )


@pytest.fixture(autouse=True, scope="session")
def _strict_templates():
    """A missing variable in one of our templates fails the test (strict_templates)."""
    from .strict_templates import make_strict

    make_strict()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run at once in tests, unless a test asks for the database."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly from a test speaks the source language, English.

    Requests still choose their language as in production (Swedish by default),
    so assertions on pages use the translated text (see tests/translations.py).
    """
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static(settings):
    # Manifest storage needs collectstatic; tests use the plain finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and used one-time codes live in the cache: every test starts clean.
    cache.clear()


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own, on a free port (tests/redis_server.py)."""
    from .redis_server import RedisServer

    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def redis_cache(settings, redis_server, monkeypatch):
    """The site's cache on that redis-server, as in production (core.cache.RedisCache).

    Short socket timeouts and a short wait before trying Redis again after a
    failure, so that a test can stop and start the server; every test starts with
    the health a new process has.
    """
    from django.core.cache import caches

    from core import cache as guarded

    monkeypatch.setattr(guarded, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(guarded, "VERIFY_SECONDS", 3600)
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    guarded.forget_health()
    yield caches["default"]
    caches["default"].clear()
    guarded.forget_health()


@pytest.fixture
def org(db):
    return make_org("norrby")


@pytest.fixture
def other_org(db):
    return make_org("soderby", name="Söderby kommun, socialtjänsten")


@pytest.fixture
def unit(org):
    return make_unit(org)


@pytest.fixture
def staff(org, unit):
    return make_member(org, "staff", unit=unit, name="Sara Staff")


@pytest.fixture
def admin_member(org, unit):
    return make_member(org, "admin", unit=unit, name="Anna Admin")


@pytest.fixture
def outsider(other_org):
    """An administrator of another organisation: sees nothing of `org`."""
    return make_member(other_org, "admin", name="Olle Outsider")


# Browser tests: Debian's Chromium, never a downloaded browser.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; CI must run the browser tests.")
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": BROWSER_FLAGS,
    }


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """One request at a time while the server shares the tests' in-memory SQLite.

    The test database is set up first (`django_db_setup` comes before the
    server): the server decides when it starts whether to share the tests'
    connection, and before the set-up the database is still the file of
    settings, so every request thread would open a connection of its own to the
    in-memory database and their table locks would clash.

    With an in-memory database Django hands the live server the tests' own
    connection, and every request thread uses it: a page's poll and a click at
    the same moment would both open a transaction on it and one would fail.
    PostgreSQL gives each thread its own connection, and requests run at once.
    """
    if not live_server.thread.connections_override:
        return live_server
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            result = app(environ, start_response)
            try:
                # Read to the end under the lock: a streamed body reads the
                # database as it goes.
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()

    httpd.set_app(one_at_a_time)
    return live_server


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue, as in production (not run at once);
    `tests.task_queue.work_off_the_queue` runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_MAX_ATTEMPTS = 5
    settings.TASKS_RETRY_DELAY = 60
    settings.TASKS_WORKER_TIMEOUT = 60
