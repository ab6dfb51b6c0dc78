"""Benchmark: what the audit row of one reading of a reflection costs.

Two parts, on the small dataset (PostgreSQL, production settings, one
connection kept open as in a server process):

1. The reflection page in-process, its requests taking turns: without the
   audit row (its writing replaced by nothing), with the row appended in one
   statement (audit/chain.py, APPEND, as now), and with the row appended in a
   transaction of its own (lock, last row, INSERT, COMMIT: as before, and as
   on SQLite), so that all three see the same load on the machine. Median
   wall and CPU time per request.
2. One reading's row appended again and again both ways, each part timed:
   making the row (names, language), the chain's lock, reading the chain's
   last row, hashing, the INSERT and the COMMIT. A plain `SELECT 1` gives the
   round trip to the database every statement pays. The ways take turns row
   by row; a third, never used, shows what waiting for the row to reach the
   disk costs (`WAYS`).

Medians; CPU is this process's (the database's own work is in wall time only).
The machine may be shared: compare the parts, not single figures.

    python bench/audit_read.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dataset  # noqa: E402
import inprocess  # noqa: E402


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 3)


def page(path: str, email: str, rounds: int) -> dict:
    """The reflection page without its audit row, and with it written both ways."""
    import reflections.views.lookups as lookups
    from audit.models import AuditEvent

    client = inprocess.client_for(email)
    for _ in range(5):
        client.get(path)
    real_record, real_save = lookups.record_request, AuditEvent.save

    def in_a_transaction(event, *args, **kwargs):
        # Any argument to save() takes the path of several statements in a
        # transaction (lock, last row, INSERT, COMMIT), as before 2026-12-07.
        real_save(event, force_insert=True)

    variants = {
        "without the row": (lambda *a, **k: None, real_save),
        "one statement": (real_record, real_save),
        "transaction of four statements": (real_record, in_a_transaction),
    }
    times: dict[str, list[float]] = {key: [] for key in variants}
    cpu: dict[str, list[float]] = {key: [] for key in variants}
    for _ in range(rounds):
        for key, (record, save) in variants.items():
            lookups.record_request = record
            AuditEvent.save = save  # type: ignore[method-assign]
            try:
                wall, proc = time.perf_counter(), time.process_time()
                response = client.get(path)
                times[key].append(time.perf_counter() - wall)
                cpu[key].append(time.process_time() - proc)
            finally:
                lookups.record_request = real_record
                AuditEvent.save = real_save  # type: ignore[method-assign]
            assert response.status_code == 200, response.status_code
    return {
        key: {"wall_ms": median_ms(times[key]), "cpu_ms": median_ms(cpu[key])}
        for key in variants
    }


class Timer:
    """Wall time of each statement, by what it does."""

    def __init__(self) -> None:
        self.parts: dict[str, list[float]] = {}
        self.current: dict[str, float] = {}

    def add(self, name: str, seconds: float) -> None:
        self.current[name] = self.current.get(name, 0.0) + seconds

    def flush(self) -> None:
        for name, seconds in self.current.items():
            self.parts.setdefault(name, []).append(seconds)
        self.current = {}

    def execute(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            text = sql.lstrip().upper()
            if "PG_ADVISORY_XACT_LOCK" in text:
                name = "statement: chain lock (first statement: BEGIN too)"
            elif text.startswith("INSERT"):
                name = "statement: INSERT"
            elif "AUDIT_AUDITEVENT" in text:
                name = "statement: last row of the chain"
            else:
                name = "statement: other (" + text[:40] + ")"
            self.add(name, elapsed)


@contextmanager
def timed_commit(connection, timer: Timer):
    """Time the COMMIT that ends the row's transaction."""
    original = connection._commit

    def commit():
        start = time.perf_counter()
        try:
            return original()
        finally:
            timer.add("COMMIT", time.perf_counter() - start)

    connection._commit = commit
    try:
        yield
    finally:
        connection._commit = original


# The ways a row is appended in part 2: (older path, wait for the flush).
WAYS = {
    "transaction of four statements": (True, True),
    "one statement": (False, True),
    # Never done for the audit log, whose row a crash of the database would
    # then lose (`synchronous_commit = off`): only to show what the flush of
    # the committed row to disk costs.
    "one statement, not waiting for the flush (never used)": (False, False),
}


def append(email: str, reflection_uuid: str, rounds: int) -> dict:
    """One reading's row, made and appended `rounds` times each way, part by part.

    The ways take turns row by row, so that they see the same load.
    """
    from django.db import connection
    from django.test import RequestFactory
    from django.urls import resolve

    from audit import chain
    from audit.models import Action, AuditEvent, prepare_request
    from organisations.models import Membership
    from reflections.models import Reflection

    membership = Membership.objects.select_related("organisation", "unit", "user").get(
        user__email=email, organisation__slug="kommun-000"
    )
    reflection = Reflection.objects.select_related(
        "dilemma__group__unit", "meeting__group__unit", "organisation"
    ).get(uuid=reflection_uuid)
    path = f"/o/{membership.organisation.slug}/reflections/{reflection.uuid}/"
    request = RequestFactory().get(path)
    request.user = membership.user
    request.membership = membership
    request.resolver_match = resolve(path)
    round_trip = []
    with connection.cursor() as cursor:
        for _ in range(20):
            cursor.execute("SELECT 1")
        for _ in range(rounds):
            start = time.perf_counter()
            cursor.execute("SELECT 1")
            round_trip.append(time.perf_counter() - start)
    timers = {key: Timer() for key in WAYS}
    totals: dict[str, list[float]] = {key: [] for key in WAYS}
    cpu: dict[str, list[float]] = {key: [] for key in WAYS}
    making: dict[str, list[float]] = {key: [] for key in WAYS}
    hashing: list[float] = []
    for n in range(rounds + 10):
        for key, (old, flush) in WAYS.items():
            with connection.cursor() as cursor:
                cursor.execute(f"SET synchronous_commit = {'on' if flush else 'off'}")
            timer = timers[key]
            with (
                connection.execute_wrapper(timer.execute),
                timed_commit(connection, timer),
            ):
                wall, proc = time.perf_counter(), time.process_time()
                event = prepare_request(request, Action.READ, reflection)
                made = time.perf_counter()
                # Any argument to save() takes the older path (see `page`).
                event.save(**({"force_insert": True} if old else {}))
                done, spent = time.perf_counter(), time.process_time()
            if n < 10:  # warming up
                timer.current = {}
                continue
            totals[key].append(done - wall)
            cpu[key].append(spent - proc)
            making[key].append(made - wall)
            timer.flush()
            start = time.perf_counter()
            chain.digest(chain.GENESIS, event)
            hashing.append(time.perf_counter() - start)
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit")
    result: dict = {
        "rows_each_way": rounds,
        "round_trip_select_1_ms": median_ms(round_trip),
        "hashing_ms": median_ms(hashing),
        "chain_length_after": AuditEvent.objects.chain(
            membership.organisation_id
        ).count(),
    }
    for key, timer in timers.items():
        parts = {
            name: median_ms(values) for name, values in sorted(timer.parts.items())
        }
        parts["making the row (Python)"] = median_ms(making[key])
        result[key] = {
            "total_wall_ms": median_ms(totals[key]),
            "total_cpu_ms": median_ms(cpu[key]),
            "statements_per_row": len(
                [name for name in timer.parts if name.startswith("statement")]
            ),
            "parts_ms": parts,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--part", choices=["page", "append", "both"], default="both")
    args = parser.parse_args()
    inprocess.production_environment()
    dataset.setup_django(dataset.DATABASES["small"])
    from django.core.cache import cache

    cache.clear()
    inprocess.quiet_server_process()
    described = dataset.describe()
    reflection = next(p for p in described["pages"] if p["name"] == "reflection page")
    email = described["people"]["staff"]
    result: dict = {}
    if args.part in {"page", "both"}:
        result["page"] = page(reflection["path"], email, args.rounds)
    if args.part in {"append", "both"}:
        uuid = reflection["path"].rstrip("/").rsplit("/", 1)[1]
        result["append"] = append(email, uuid, args.rounds)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
