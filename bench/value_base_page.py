"""Benchmark: the page of the version in force, for a small and a large value base.

Prints, per size: queries per request, and the median and 90th percentile time of
a cold request (cache emptied), a warm request (fragment cached) and a conditional
request answered 304. Runs against a throw-away SQLite database by default, or the
database in DATABASE_URL (give it an empty database of its own).

    make bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/etikrum_bench make bench
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from guidelines.models import Audience, Guideline  # noqa: E402
from organisations.models import Membership, Organisation  # noqa: E402
from values.models import Commitment, CoreValue, Section, ValueBase, Version  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))


def build(size: int) -> tuple[Organisation, User]:
    org = Organisation.objects.create(
        slug=f"bench-{size}", name=f"Bench {size}", require_mfa=False
    )
    user = User.objects.create_user(f"reader{size}@bench.example", "bench-password")
    membership = Membership.objects.create(user=user, organisation=org, role="staff")
    audience = Audience.objects.create(organisation=org, key="all", name="Alla")
    membership.audiences.set([audience])
    base = ValueBase.objects.create(organisation=org, slug="vg", name="Värdegrund")
    version = Version.objects.create(value_base=base, number=1, title="Värdegrund")
    text = "Vi bemöter människor med respekt och tydlighet i varje möte. " * 4
    for i in range(size):
        Section.objects.create(version=version, title=f"Avsnitt {i}", body=text)
        value = CoreValue.objects.create(
            version=version, title=f"Värde {i}", description=text
        )
        for j in range(3):
            Commitment.objects.create(value=value, text=f"Åtagande {i}.{j}: {text}")
        guideline = Guideline.objects.create(
            version=version, audience=audience, title=f"Riktlinje {i}", text=text
        )
        guideline.related_values.set([value])
    version.adopt(
        adopted_on=datetime.date(2024, 1, 1),
        adopted_by="Socialnämnden",
        effective_from=datetime.date(2024, 1, 1),
    )
    return org, user


def timed(
    client: Client, url: str, rounds: int, *, cold: bool, **headers
) -> list[float]:
    times = []
    for _ in range(rounds):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 304), response.status_code
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"median {statistics.median(ordered):6.1f} ms  p90 {p90:6.1f} ms"


def main() -> None:
    # As in a long-running server process: one connection, queries counted per
    # request rather than cleared when each request starts.
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}, {ROUNDS} requests per figure")
    for size in (5, 100):
        org, user = build(size)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = f"/o/{org.slug}/values/vg/"
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            first = client.get(url)
        assert first.status_code == 200, (first.status_code, first.get("Location"))
        etag = first["ETag"]
        cold = timed(client, url, ROUNDS, cold=True)
        warm = timed(client, url, ROUNDS, cold=False)
        conditional = timed(client, url, ROUNDS, cold=False, if_none_match=etag)
        print(
            f"{size:>4} values/guidelines: {len(queries):>2} queries, "
            f"{len(first.content) // 1024} KiB"
        )
        print(f"     cold        {summary(cold)}")
        print(f"     warm        {summary(warm)}")
        print(f"     304         {summary(conditional)}")


if __name__ == "__main__":
    main()
