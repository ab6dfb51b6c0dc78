"""Read-only pages read from a replica of the database, when one is configured.

With DATABASE_REPLICA_URL set (config/settings.py), the GET and HEAD requests
of the apps in REPLICA_READ_APPS (the value base, the guidelines and the
insights) read from the `replica` alias. Everything else reads from the primary,
and every write goes to the primary, from any page.

The choice is made per request, not per model: insights read the same
reflections as the reflection pages, which must see their own writes at once.
ReplicaMiddleware marks the request in a context variable once the URL has been
resolved; ReplicaRouter consults it for each query.

A replica lags behind the primary. So that a person sees what they have just
saved (an editor their adoption, a facilitator their sign-off), every request
that may write (any method but GET and HEAD) sets a short-lived cookie, and
while it lasts that browser reads from the primary. Who is signed in and what
they may do (sessions, accounts, memberships) are always read from the
primary: a sign-out, a revoked session or a removed membership holds at once on
every page, whatever the lag.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from core.middleware import GetResponse

REPLICA = "replica"
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})
# Identity and access, and the task queue: read where they are written.
PRIMARY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "contenttypes",
        "accounts",
        "account",
        "mfa",
        "usersessions",
        "socialaccount",
        "organisations",
        "django_tasks_database",
        # Django's database cache: sign-in limits kept there while Redis is away.
        "django_cache",
    }
)

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def sticky_cookie_name() -> str:
    prefix = "__Host-" if settings.SESSION_COOKIE_SECURE else ""
    return f"{prefix}read-primary"


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: object) -> str:
        if _reads_from_replica.get() and model._meta.app_label not in PRIMARY_APPS:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool | None:
        # The replica holds the same rows as the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        # The replica follows the primary's schema through replication.
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Send the read-only pages of REPLICA_READ_APPS to the replica."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # process_view turns it on for this request alone.
        token = _reads_from_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
        if request.method not in READ_ONLY_METHODS:
            seconds = settings.REPLICA_STICKY_SECONDS
            response.set_cookie(
                sticky_cookie_name(),
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> None:
        match = request.resolver_match
        assert match is not None  # Django resolves the URL before process_view.
        if (
            request.method in READ_ONLY_METHODS
            and not set(match.app_names).isdisjoint(settings.REPLICA_READ_APPS)
            and not wrote_lately(request)
        ):
            _reads_from_replica.set(True)
        return None


def wrote_lately(request: HttpRequest) -> bool:
    try:
        until = int(request.COOKIES.get(sticky_cookie_name(), "0"))
    except ValueError:
        return False
    return until > time.time()


@contextmanager
def primary_reads() -> Iterator[None]:
    """Every read within goes to the primary, whatever the page.

    For what is made once and kept for others (organisations.pagecache): a page
    made from a lagging replica would be kept under the new generation.
    """
    token = _reads_from_replica.set(False)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)
