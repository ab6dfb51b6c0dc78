"""Benchmark: the insights page and one CSV export, for a small and a large history.

Prints, per size: queries per request and the median and 90th percentile time of
the page and of the evaluations export for twelve months of sessions, with the
figures kept in the cache (a second view) and gathered afresh (the
organisation's insights stamp raised before each request, as a write does). The
number of queries must not grow with the history (tests/insights/test_queries.py
holds it to that); the time grows with what the database adds up. Runs against
a throw-away SQLite database by default, or the database in DATABASE_URL (give
it an empty database of its own).

    python bench/insights_page.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/etikrum_bench python bench/...
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from dilemmas.models import Dilemma, ValueTension  # noqa: E402
from evaluations.models import Evaluation  # noqa: E402
from evaluations.questionnaire import ITEMS  # noqa: E402
from insights.figures.kept import figures_changed  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from organisations.models import Membership, Organisation, ReflectionGroup, Unit  # noqa: E402
from reflections.models import (  # noqa: E402
    Action,
    AgendaItem,
    Method,
    open_reflection,
    sign_off,  # noqa: E402
)
from values.models import CoreValue, ValueBase, Version  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
TZ = ZoneInfo("Europe/Stockholm")
TODAY = datetime.date.today()


def build(sessions: int) -> tuple[Organisation, User]:
    org = Organisation.objects.create(
        slug=f"bench-{sessions}", name=f"Bench {sessions}", require_mfa=False
    )
    root = Unit.objects.create(
        organisation=org, name="Förvaltningen", kind="administration"
    )
    units = [
        Unit.objects.create(organisation=org, parent=root, name=f"Enhet {i}")
        for i in range(5)
    ]
    manager = User.objects.create_user(f"chef{sessions}@bench.example", "bench-pw")
    Membership.objects.create(user=manager, organisation=org, role="manager", unit=root)
    people = [
        Membership.objects.create(
            user=User.objects.create_user(f"p{i}-{sessions}@bench.example", "bench-pw"),
            organisation=org,
            unit=units[0],
        )
        for i in range(7)
    ]
    base = ValueBase.objects.create(organisation=org, slug="vg", name="Värdegrund")
    version = Version.objects.create(value_base=base, number=1, title="Värdegrund")
    for i in range(6):
        CoreValue.objects.create(version=version, title=f"Värde {i}", position=i)
    version.adopt(
        adopted_on=datetime.date(2020, 1, 1),
        adopted_by="Socialnämnden",
        effective_from=datetime.date(2020, 1, 1),
    )
    values = list(CoreValue.objects.filter(version=version))
    tensions = list(ValueTension.objects.seeded_for(org))
    method = Method.objects.seeded_for(org).get(key="five-step-model")
    groups = [
        ReflectionGroup.objects.create(organisation=org, unit=unit, name=f"Grupp {i}")
        for i, unit in enumerate(units)
    ]
    for group in groups:
        group.members.set(people[1:])
        group.facilitators.set(people[:1])
    for n in range(sessions):
        group = groups[n % len(groups)]
        day = TODAY - datetime.timedelta(days=3 + (n * 347) % 330)
        start = datetime.datetime.combine(day, datetime.time(13), TZ)
        meeting = Meeting.objects.create(
            organisation=org,
            group=group,
            title="Etisk reflektion",
            start=start,
            end=start + datetime.timedelta(minutes=90),
        )
        meeting.record_attendance(people[: 5 + n % 3])
        dilemma = Dilemma.objects.create(
            organisation=org,
            group=group,
            author=people[1],
            title=f"Dilemma {n}",
            description="En beskrivning.",
            question="A eller B?",
        )
        dilemma.tensions.set([tensions[n % 5], tensions[(n + 2) % 5]])
        item = AgendaItem.objects.create(
            organisation=org, meeting=meeting, dilemma=dilemma, method=method
        )
        reflection = open_reflection(item=item, facilitator=people[0])
        reflection.cite(values=[values[n % 6], values[(n + 1) % 6]], guidelines=[])
        Action.objects.create(
            organisation=org,
            reflection=reflection,
            text="Följ upp",
            owner=people[1],
            due=day + datetime.timedelta(days=14),
        )
        reflection = sign_off(reflection=reflection, by=people[0], conclusion="Klart.")
        evaluation = Evaluation.for_reflection(reflection)
        for person in people[: 5 + n % 3]:
            evaluation.record_answer(
                person, scores={item.key: 1 + (n + len(item.key)) % 4 for item in ITEMS}
            )
        # Results and insights count closed evaluations only.
        evaluation.close()
    return org, manager


def timed(client: Client, url: str, fresh: Organisation | None = None) -> list[float]:
    """Each request's time; with `fresh`, its figures gathered anew each time."""
    times = []
    for _ in range(ROUNDS):
        if fresh is not None:
            figures_changed(fresh.pk)
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"median {statistics.median(ordered):7.1f} ms  p90 {p90:7.1f} ms"


def main() -> None:
    # As in a long-running server process: queries counted per request.
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}, {ROUNDS} requests per figure")
    for sessions in (10, 400):
        org, manager = build(sessions)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(manager)
        page = f"/o/{org.slug}/insights/"
        export = f"/o/{org.slug}/insights/export/?table=evaluations"
        # Building the history filled the query log; start counting afresh.
        reset_queries()
        with CaptureQueriesContext(connection) as page_queries:
            first = client.get(page)
        assert first.status_code == 200, first.status_code
        with CaptureQueriesContext(connection) as kept_queries:
            client.get(page)
        figures_changed(org.pk)
        with CaptureQueriesContext(connection) as fresh_queries:
            client.get(page)
        figures_changed(org.pk)
        with CaptureQueriesContext(connection) as export_queries:
            client.get(export)
        print(
            f"{sessions:>4} sessions: page {len(page_queries):>2} queries the first "
            f"time, {len(fresh_queries)} with the figures gathered, "
            f"{len(kept_queries)} with them kept, {len(first.content) // 1024} KiB; "
            f"export {len(export_queries)} queries"
        )
        print(f"     page, kept        {summary(timed(client, page))}")
        print(f"     page, gathered    {summary(timed(client, page, org))}")
        print(f"     export, kept      {summary(timed(client, export))}")
        print(f"     export, gathered  {summary(timed(client, export, org))}")


if __name__ == "__main__":
    main()
