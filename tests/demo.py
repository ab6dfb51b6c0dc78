"""The demo (`manage.py load_demo`), loaded once per test worker and database.

Loading the demo takes seconds; many tests only read it or start from it. The
first test that asks for it on a worker runs the real command, and the loaded
database is kept in memory: on PostgreSQL each table's rows as COPY gives them
and the sequences' positions, on SQLite the whole database through the sqlite3
backup API. A later test that starts from an emptied database (a browser test:
the database is flushed after each one) gets that copy put back, exactly as
the command left it, in a fraction of the time.

The copy is for one day: the demo's dates are counted from today in each
organisation's time zone, so a run that passes midnight loads it again.

Tests of the command itself (running it twice, a changed password kept) still
call it; so do the tests that check its content (tests/*/test_demo.py), once
per module (`demo_in_module`).
"""

from __future__ import annotations

import datetime
import io
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone, translation

from organisations.management.demo_data import ORGANISATIONS


@dataclass
class Loaded:
    """What loading the demo left behind besides the database: the mail sent."""

    mails: list[mail.EmailMessage] = field(default_factory=list)


def load() -> Loaded:
    """Run the real command, quietly; the mail it sends is returned, not kept."""
    before = len(mail.outbox)
    call_command("load_demo", "--quiet-sign-ins", stdout=io.StringIO())
    sent = mail.outbox[before:]
    del mail.outbox[before:]
    return Loaded(mails=sent)


def _days() -> tuple[datetime.date, ...]:
    """Today in each demo organisation's time zone: what the demo's dates follow."""
    now = timezone.now()
    return tuple(
        now.astimezone(ZoneInfo(spec["time_zone"])).date() for spec in ORGANISATIONS
    )


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


class _PostgresCopy:
    """Each table's rows in COPY's text form, and each sequence's position."""

    def __init__(self) -> None:
        self.rows: dict[str, bytes] = {}
        self.sequences: list[tuple[str, int | None]] = []
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in _tables():
                with cursor.copy(f"COPY {qn(table)} TO STDOUT") as copy:
                    data = b"".join(bytes(block) for block in copy)
                if data:
                    self.rows[table] = data
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences"
                " WHERE schemaname = current_schema()"
            )
            self.sequences = list(cursor.fetchall())
            # The guards (values, guidelines, reflections, audit) are triggers
            # that check a row against the others; the copy is of rows they
            # have already let in, so they are set aside while it goes back.
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
            )
            self.guarded = {name for (name,) in cursor.fetchall()}

    def restore(self) -> None:
        qn = connection.ops.quote_name
        tables = _tables()
        with transaction.atomic(), connection.cursor() as cursor:
            # Set aside before any row changes: a table with changes pending
            # cannot be altered.
            guarded = sorted(self.guarded & self.rows.keys())
            for table in guarded:
                cursor.execute(f"ALTER TABLE {qn(table)} DISABLE TRIGGER USER")
            # The foreign keys are checked once every table is back.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {qn(table)})"
                    for i, table in enumerate(tables)
                )
            )
            filled = [tables[i] for (i,) in cursor.fetchall()]
            if self.guarded.intersection(filled):
                # Emptied as a flush empties it: TRUNCATE, which the audit
                # log's append-only triggers leave alone (audit/migrations/0002).
                for sql in connection.ops.sql_flush(no_style(), tables):
                    cursor.execute(sql)
            else:
                # After a flush only what post_migrate makes again is left
                # (content types, permissions): deleting those few rows is
                # quicker than truncating every table once more.
                for table in filled:
                    cursor.execute(f"DELETE FROM {qn(table)}")
            for table, data in self.rows.items():
                with cursor.copy(f"COPY {qn(table)} FROM STDIN") as copy:
                    copy.write(data)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in guarded:
                cursor.execute(f"ALTER TABLE {qn(table)} ENABLE TRIGGER USER")
            for name, last_value in self.sequences:
                if last_value is None:
                    cursor.execute("SELECT setval(%s, 1, false)", [qn(name)])
                else:
                    cursor.execute("SELECT setval(%s, %s)", [qn(name), last_value])


class _SQLiteCopy:
    """The whole database, copied page by page into one in memory."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.copy)

    def restore(self) -> None:
        connection.ensure_connection()
        self.copy.backup(connection.connection)


@dataclass
class _Kept:
    days: tuple[datetime.date, ...]
    database: str
    copy: _PostgresCopy | _SQLiteCopy
    loaded: Loaded


# One per test process: each pytest-xdist worker has a database of its own.
_kept: _Kept | None = None


def _keep(loaded: Loaded, days: tuple[datetime.date, ...]) -> None:
    global _kept
    copy = _PostgresCopy() if connection.vendor == "postgresql" else _SQLiteCopy()
    _kept = _Kept(days, str(connection.settings_dict["NAME"]), copy, loaded)


def fresh() -> Loaded:
    """The demo, as `load_demo` leaves an empty database, in this test's database.

    For tests whose database is emptied after each (`transaction=True`, the live
    server): the first loads it for real and keeps a copy, the later ones get
    the copy back. Whatever a test changes is gone for the next, which starts
    from the copy again.
    """
    days = _days()
    if (
        _kept is not None
        and _kept.days == days
        and _kept.database == str(connection.settings_dict["NAME"])
        and not connection.in_atomic_block
    ):
        _kept.copy.restore()
        # The ids of the rows the flush had made again (content types) are
        # now those of the copy; nothing read before may be kept.
        ContentType.objects.clear_cache()
        cache.clear()
        return _kept.loaded
    loaded = load()
    if not connection.in_atomic_block:
        _keep(loaded, days)
    return loaded


def in_transaction(django_db_blocker: object, times: int = 2) -> Iterator[Loaded]:
    """The demo loaded `times` times (`make run` loads it at each start), for a
    module or a class.

    Loaded inside a transaction that is rolled back when the module ends; each
    test runs in a savepoint within it, as in the walk (tests/walk/conftest.py),
    so what one test writes never reaches the next.
    """
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        # Where a TestCase's class-wide transaction would stand: the durable
        # blocks inside (closing an evaluation) may nest in it, as in any test.
        atomic._from_testcase = True  # type: ignore[attr-defined]
        atomic.__enter__()
        try:
            # What the autouse fixtures of tests/conftest.py give each test,
            # which a fixture of a wider scope comes before.
            with (
                override_settings(
                    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                    TASKS={
                        "default": {
                            "BACKEND": "django.tasks.backends.immediate."
                            "ImmediateBackend"
                        }
                    },
                ),
                translation.override("en"),
            ):
                mails = [sent for _ in range(times) for sent in load().mails]
            yield Loaded(mails=mails)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
