"""Django's Redis cache, made so that Redis failing costs speed, never a page.

Selected in config/settings.py when REDIS_URL is set. Everything is done here,
in the backend, so that no caller needs a try/except of its own:

- **One client per connection pool.** Django's backend builds a new
  `redis.Redis` for every call (about a tenth of a millisecond each, several
  times a page); the client is safe to share, so each pool keeps one.
- **Short timeouts, no retries** (settings: `REDIS_TIMEOUT`), so that a Redis
  that does not answer holds a worker for a fraction of a second, not minutes.
- **Every call is guarded.** When Redis fails (refused, timed out, out of
  memory), a read misses, so the caller goes to the database, and a write is
  dropped. For `RETRY_SECONDS` after a failure no call tries Redis at all, so
  an outage costs each request nothing beyond the database; then one call
  tries again. One warning when it starts, one every `WARN_SECONDS` while it
  lasts, one when Redis answers again.
- **Records, not copies.** Nearly everything in Redis is a copy of the
  database. A few keys are the only record of something: django-allauth's
  sign-in rate limits (and the lock it takes around them) and the
  authenticator codes already used. While Redis is away those go to a table
  in the database (`core.CacheRecord`, through Django's DatabaseCache), so the
  limits still hold.
- **Nothing stale afterwards.** A write that did not reach Redis may leave an
  older value there: a session copy after a sign-out, a stamp that should
  have been raised (lib/stamps.py). Its key is recorded in the database
  (`core.MissedCacheWrite`), and every process deletes the recorded keys from
  Redis before it reads Redis again: before its first call, after a failure,
  when Redis's run id changes (a restart or a fail-over), and at least every
  `VERIFY_SECONDS` (for a process that did not see another's outage).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

import redis
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from .models import CacheRecord, MissedCacheWrite

logger = logging.getLogger(__name__)

T = TypeVar("T")
# What Django's Redis client takes (django-stubs); our keys are always text.
type Key = str | bytes | memoryview
type Expiry = int | timedelta

# After a failure, Redis is left alone for this long before one call tries it.
RETRY_SECONDS = 5.0
# While Redis is away, at most one warning in this many seconds.
WARN_SECONDS = 60.0
# A process that saw no failure still looks for others' missed writes this often.
VERIFY_SECONDS = 5.0
# Keys deleted from Redis per command when missed writes are cleared.
CLEAR_BATCH = 500
# Keys this process remembers having recorded (it records each once per
# VERIFY_SECONDS, not once per request); beyond it, it records every time.
REMEMBER_KEYS = 50_000

# The keys that are a record rather than a copy, as they appear after Django's
# "<prefix>:<version>:": allauth's rate limits and their locks, the TOTP codes
# already used, and the OpenID Connect token ids already seen.
RECORD_KEY = re.compile(r"^[^:]*:\d+:(allauth:rl:|allauth\.mfa\.totp\.used\?|jwt:)")

FAILURES = (redis.RedisError, OSError)


class RedisChanged(redis.ConnectionError):
    """A new connection reached a Redis with another run id: verify first."""


@dataclass
class Health:
    """What this process knows of one Redis; shared by its threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    verify_lock: threading.Lock = field(default_factory=threading.Lock)
    failing_since: float | None = None
    retry_at: float = 0.0
    warned_at: float = 0.0
    db_warned_at: float = -WARN_SECONDS
    skipped: int = 0
    # None: look for missed writes before the next call.
    verified_at: float | None = None
    run_id: str | None = None
    # Keys recorded as missed by this process, and when (monotonic).
    missed: dict[str, float] = field(default_factory=dict)

    def available(self, now: float) -> bool:
        return self.failing_since is None or now >= self.retry_at

    def failed(self, error: BaseException, now: float) -> None:
        with self.lock:
            self.retry_at = now + RETRY_SECONDS
            self.verified_at = None
            if self.failing_since is None:
                self.failing_since = now
                self.warned_at = now
                self.skipped = 0
                logger.warning(
                    "Redis is not answering (%s: %s). Pages are served from the "
                    "database and sign-in limits kept there; trying Redis again "
                    "every %g s.",
                    type(error).__name__,
                    error,
                    RETRY_SECONDS,
                )

    def skip(self, now: float) -> None:
        with self.lock:
            self.skipped += 1
            if self.failing_since is not None and now - self.warned_at >= WARN_SECONDS:
                self.warned_at = now
                logger.warning(
                    "Redis has not answered for %d s; %d cache calls went "
                    "without it since the last warning.",
                    now - self.failing_since,
                    self.skipped,
                )
                self.skipped = 0

    def unverified(self, error: BaseException, now: float) -> None:
        with self.lock:
            if now - self.db_warned_at < WARN_SECONDS:
                return
            self.db_warned_at = now
        logger.warning(
            "Could not read the cache keys missed while Redis was away (%s); "
            "doing without Redis until they can be read.",
            type(error).__name__,
        )

    def answered(self, now: float) -> None:
        if self.failing_since is None:
            return
        with self.lock:
            if self.failing_since is None:
                return
            logger.warning(
                "Redis answers again after %d s; the keys written while it was "
                "away were cleared from it first.",
                now - self.failing_since,
            )
            self.failing_since = None

    def remember(self, keys: Iterable[str], now: float) -> list[str]:
        """The keys not recorded by this process within VERIFY_SECONDS."""
        with self.lock:
            new = [
                key
                for key in keys
                if now - self.missed.get(key, -VERIFY_SECONDS) >= VERIFY_SECONDS
            ]
            if len(self.missed) < REMEMBER_KEYS:
                self.missed.update(dict.fromkeys(new, now))
            return new


_HEALTH: dict[tuple[str, ...], Health] = {}
_health_lock = threading.Lock()
_local = threading.local()


def health_of(servers: Iterable[str]) -> Health:
    key = tuple(servers)
    with _health_lock:
        return _HEALTH.setdefault(key, Health())


def _models() -> tuple[type[CacheRecord], type[MissedCacheWrite]]:
    # The backend is made before the app registry is ready.
    from .models import CacheRecord, MissedCacheWrite

    return CacheRecord, MissedCacheWrite


# Built on private helpers of Django's Redis client (_pool_options,
# _get_connection_pool_index, _get_connection_pool, _client), which django-stubs
# leaves out; tests/core/test_cache.py runs them against a real Redis.
class _GuardedClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._pool_options["redis_connect_func"] = self._on_connect  # type: ignore[attr-defined]
        self._clients: dict[int, Any] = {}
        self.health = health_of(servers)
        CacheRecord, _ = _models()
        # Django's database cache over core.CacheRecord, keys used as they come.
        self.records = DatabaseCache(
            CacheRecord._meta.db_table,
            {
                "KEY_FUNCTION": lambda key, key_prefix, version: key,
                "OPTIONS": {"MAX_ENTRIES": 20_000},
            },
        )

    def get_client(
        self, key: object = None, *, write: bool = False
    ) -> Any:  # a redis.Redis; its stubs and redis-py disagree on its type
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    # Connections.

    def _on_connect(self, connection: redis.Connection) -> None:
        """Each new connection: is this still the Redis we verified?"""
        # redis-py leaves these two methods of its Connection unannotated.
        connection.on_connect()  # type: ignore[no-untyped-call]
        try:
            connection.send_command("INFO", "server")  # type: ignore[no-untyped-call]
            info = connection.read_response()
        except redis.ResponseError:
            # A Redis user without INFO: restarts go unseen here, and are
            # caught by the verification every VERIFY_SECONDS.
            return
        text = info.decode() if isinstance(info, bytes) else str(info)
        found = re.search(r"run_id:(\w+)", text)
        run_id = found.group(1) if found else ""
        health = self.health
        with health.lock:
            changed = health.run_id is not None and health.run_id != run_id
            health.run_id = run_id
            if changed:
                health.verified_at = None
            pending = health.verified_at is None
        if pending and not getattr(_local, "verifying", False):
            raise RedisChanged("Redis was restarted or replaced")

    # Missed writes.

    def _record_missed(self, keys: Iterable[Key]) -> None:
        copies = [key for key in keys if isinstance(key, str) and not is_record(key)]
        new = self.health.remember(copies, time.monotonic())
        if not new:
            return
        _, MissedCacheWrite = _models()
        try:
            # A savepoint inside the caller's transaction: a failure here must
            # not break it. The rows commit with the change that caused them.
            with transaction.atomic(using=DEFAULT_DB_ALIAS):
                MissedCacheWrite.objects.using(DEFAULT_DB_ALIAS).bulk_create(
                    [MissedCacheWrite(key=key) for key in new],
                    update_conflicts=True,
                    unique_fields=["key"],
                    update_fields=["token", "recorded"],
                )
        except DatabaseError as error:
            # This process still remembers them and clears them when Redis
            # answers again.
            logger.error(
                "Could not record %d cache keys missed while Redis was away (%s).",
                len(new),
                type(error).__name__,
            )

    def _verify(self, now: float) -> None:
        """Delete from Redis what was written while it was away, then trust it."""
        health = self.health
        if health.verified_at is not None and now - health.verified_at < VERIFY_SECONDS:
            return
        with health.verify_lock:
            if (
                health.verified_at is not None
                and now - health.verified_at < VERIFY_SECONDS
            ):
                return
            _local.verifying = True
            try:
                self._clear_missed()
            finally:
                _local.verifying = False
            health.verified_at = time.monotonic()

    def _clear_missed(self) -> None:
        CacheRecord, MissedCacheWrite = _models()
        rows = MissedCacheWrite.objects.using(DEFAULT_DB_ALIAS)
        client = self.get_client(write=True)
        with self.health.lock:
            own = list(self.health.missed)
        # Those this process recorded, even if their rows were lost with a
        # transaction that rolled back.
        for start in range(0, len(own), CLEAR_BATCH):
            client.delete(*own[start : start + CLEAR_BATCH])
        # A savepoint inside the caller's transaction, if there is one: a
        # failure here must not break it.
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            while batch := list(rows.values_list("key", "token")[:CLEAR_BATCH]):
                client.delete(*{key for key, _token in batch})
                rows.filter(token__in=[token for _key, token in batch]).delete()
            if own or self.health.failing_since is not None:
                # Back from an outage: the records kept meanwhile that ran out.
                CacheRecord.objects.using(DEFAULT_DB_ALIAS).filter(
                    expires__lt=timezone.now()
                ).delete()
        with self.health.lock:
            for key in own:
                self.health.missed.pop(key, None)

    # The guard.

    def _guard(
        self,
        call: Callable[[], T],
        fallback: Callable[[], T],
        writes: Iterable[Key] = (),
    ) -> T:
        health = self.health
        now = time.monotonic()
        if not health.available(now):
            health.skip(now)
            self._record_missed(writes)
            return fallback()
        for attempt in (1, 2):
            try:
                self._verify(now)
                result = call()
            except DatabaseError as failure:
                # From the verification: Redis may be well, but what it missed
                # cannot be read. Do without it for this call.
                health.unverified(failure, now)
                self._record_missed(writes)
                return fallback()
            except RedisChanged:
                if attempt == 1:
                    continue
                error: BaseException = RedisChanged("Redis changed twice")
            except FAILURES as failure:
                error = failure
            else:
                health.answered(time.monotonic())
                return result
            health.failed(error, time.monotonic())
            self._record_missed(writes)
            return fallback()
        raise AssertionError("unreachable")

    # Django's client API. A read that cannot reach Redis misses; a write is
    # dropped and its key recorded; a record goes to the database.

    def get(self, key: Key, default: Any) -> Any:
        if is_record(key):
            return self._guard(
                lambda: RedisCacheClient.get(self, key, default),
                lambda: self.records.get(str(key), default),
            )
        return self._guard(
            lambda: RedisCacheClient.get(self, key, default), lambda: default
        )

    def get_many(self, keys: Iterable[Key]) -> dict[Key, Any]:
        keys = list(keys)
        return self._guard(lambda: RedisCacheClient.get_many(self, keys), dict)

    def has_key(self, key: Key) -> bool:
        if is_record(key):
            return self._guard(
                lambda: RedisCacheClient.has_key(self, key),
                lambda: self.records.has_key(str(key)),
            )
        return self._guard(lambda: RedisCacheClient.has_key(self, key), lambda: False)

    def add(self, key: Key, value: Any, timeout: Expiry | None) -> bool:
        if is_record(key):
            return self._guard(
                lambda: RedisCacheClient.add(self, key, value, timeout),
                lambda: self.records.add(str(key), value, seconds(timeout)),
            )
        # Nothing was stored: False, as for a key that exists.
        return self._guard(
            lambda: RedisCacheClient.add(self, key, value, timeout),
            lambda: False,
            writes=[key],
        )

    def set(self, key: Key, value: Any, timeout: Expiry | None) -> None:
        if is_record(key):
            return self._guard(
                lambda: RedisCacheClient.set(self, key, value, timeout),
                lambda: self.records.set(str(key), value, seconds(timeout)),
            )
        return self._guard(
            lambda: RedisCacheClient.set(self, key, value, timeout),
            lambda: None,
            writes=[key],
        )

    def set_many(self, data: Mapping[Key, Any], timeout: Expiry) -> None:
        return self._guard(
            lambda: RedisCacheClient.set_many(self, data, timeout),
            lambda: None,
            writes=list(data),
        )

    def touch(self, key: Key, timeout: Expiry) -> bool:
        # An expiry not moved on lets the key go sooner: a miss, never stale.
        return self._guard(
            lambda: RedisCacheClient.touch(self, key, timeout), lambda: False
        )

    def delete(self, key: Key) -> bool:
        if is_record(key):
            return self._guard(
                lambda: RedisCacheClient.delete(self, key),
                lambda: self.records.delete(str(key)),
            )
        return self._guard(
            lambda: RedisCacheClient.delete(self, key), lambda: False, writes=[key]
        )

    def delete_many(self, keys: Iterable[Key]) -> None:
        keys = list(keys)
        return self._guard(
            lambda: RedisCacheClient.delete_many(self, keys), lambda: None, writes=keys
        )

    def incr(self, key: Key, delta: int) -> Any:
        if is_record(key):
            return self._guard(
                lambda: RedisCacheClient.incr(self, key, delta),
                lambda: self.records.incr(str(key), delta),
            )

        def unknown() -> int:
            # The value is unknown; callers of incr handle a missing key.
            raise ValueError(f"Key '{key!s}' not found: Redis is not answering.")

        return self._guard(
            lambda: RedisCacheClient.incr(self, key, delta), unknown, writes=[key]
        )

    def clear(self) -> bool:
        return self._guard(lambda: RedisCacheClient.clear(self), lambda: False)


def is_record(key: object) -> bool:
    return isinstance(key, str) and bool(RECORD_KEY.match(key))


def seconds(timeout: Expiry | None) -> float | None:
    """A timeout for the database cache, which takes seconds."""
    if isinstance(timeout, timedelta):
        return timeout.total_seconds()
    return timeout


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _GuardedClient

    def guard_health(self) -> Health:
        """This process's view of the Redis behind this cache (for tests)."""
        return cast(_GuardedClient, self._cache).health


def forget_health() -> None:
    """Start afresh, as a new process would (for tests)."""
    with _health_lock:
        _HEALTH.clear()
