"""Where each page's time goes: SQL, ORM Python, templates and the rest.

Seeds the small benchmark dataset into PostgreSQL (bench/dataset.py; reused
when already there) and requests each main page of the benchmark in-process,
through the whole middleware stack, with production settings and one kept
database connection, as bench/inprocess.py does. Per page: the median of
`--rounds` plain requests, then as many profiled ones, whose time is split by
bench/attribution.py into the driver (SQL), django/db/models (ORM Python),
the template engine (templates) and the rest (views, middleware, forms,
sessions and the cache), as shares of the profiled time less what the
profiling itself costs (calibrate()); the profiled median, and that less the
cost, beside the plain one; and the queries of one request. `--top 5` adds
each page's five functions with the most own time (cProfile, over `--rounds`
more requests).

    make bench-profile
    make bench-profile BENCH_ARGS="--top 5 --pages dashboard,insights"
    python bench/profile_pages.py [--dataset small] [--rounds 20] [--top N]

The database is BENCH_SMALL_DATABASE_URL (BENCH_DATABASE_URL with
`--dataset national`), the cache BENCH_REDIS_URL (emptied at the start).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dataset  # noqa: E402
import inprocess  # noqa: E402
from attribution import CATEGORIES, Attribution, corrected  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
HEADINGS = {"sql": "SQL", "orm": "ORM", "template": "templates", "rest": "rest"}


def timed(client, path: str) -> float:
    start = time.perf_counter()
    client.get(path)
    return (time.perf_counter() - start) * 1000


def queries_of(client, path: str) -> int:
    from django.db import connection

    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    return len(executed)


def profile_page(client, path: str, rounds: int, per_report: float) -> dict:
    """The plain median, the profiled median and the shares of one page.

    The shares are of the profiled time less `per_report` for each report
    (see calibrate()), taken from the categories on either side of it.
    """
    for _ in range(3):
        response = client.get(path)
    if response.status_code != 200:
        return {"status": response.status_code, "location": response.get("Location")}
    plain = [timed(client, path) for _ in range(rounds)]
    profiled = []
    # One block for all rounds: the interpreter instruments the code once, and
    # the first request, which pays for it, is not counted.
    with Attribution() as attribution:
        client.get(path)
        attribution.reset()
        for _ in range(rounds):
            before = attribution.lap()
            client.get(path)
            profiled.append((attribution.lap() - before) * 1000)
    reports = sum(attribution.events.values()) / rounds
    spent = corrected(attribution.seconds, attribution.events, per_report)
    total = sum(spent.values()) or 1.0
    return {
        "status": 200,
        "median_ms": statistics.median(plain),
        "profiled_ms": statistics.median(profiled),
        "corrected_ms": statistics.median(profiled) - per_report * reports * 1000,
        "reports": reports,
        "shares": {c: s / total for c, s in spent.items()},
        "queries": queries_of(client, path),
    }


CALIBRATION_TEMPLATE = """{% for row in rows %}<li>{{ row.name|upper }}
{{ row.number|floatformat:1 }}{% if row.number > 3 %} many{% endif %}</li>
{% endfor %}"""


def calibrate(repeat: int = 15) -> float:
    """Seconds a report of the attribution costs beyond what it charges to nobody.

    A template rendered and querysets compiled (no query runs), plainly and
    profiled, `repeat` times each; the fastest run of each counts, so that
    other work on the machine weighs little, and their difference divided by
    the reports of one run is the cost of one.
    """
    from django.template import engines

    from organisations.models import Membership

    template = engines["django"].from_string(CALIBRATION_TEMPLATE)
    rows = [{"name": f"rad {n}", "number": n} for n in range(150)]

    def work() -> float:
        start = time.perf_counter()
        template.render({"rows": rows})
        for n in range(20):
            Membership.objects.filter(organisation__slug=f"org-{n}").select_related(
                "user", "unit"
            ).exclude(pk=n).order_by("-pk").query.sql_with_params()
        return time.perf_counter() - start

    for _ in range(3):
        work()
    plain = min(work() for _ in range(repeat))
    profiled = []
    with Attribution() as attribution:
        work()
        attribution.reset()
        for _ in range(repeat):
            before = attribution.lap()
            work()
            profiled.append(attribution.lap() - before)
    reports = sum(attribution.events.values()) / repeat
    return max(0.0, (min(profiled) - plain) / reports)


def top_functions(client, path: str, rounds: int, count: int) -> list[str]:
    """The `count` functions with the most own time, per request."""
    profiler = cProfile.Profile()
    with profiler:
        for _ in range(rounds):
            client.get(path)
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:count]
    lines = []
    for (filename, line, name), (_cc, calls, own, _cum, _callers) in rows:
        place = short(filename)
        where = f"{place}:{line} {name}" if line else name
        lines.append(
            f"{own / rounds * 1000:7.2f} ms  {calls // rounds:6d} calls  {where}"
        )
    return lines


def short(filename: str) -> str:
    for marker in ("site-packages/", str(dataset.ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def table(results: dict[str, dict]) -> list[str]:
    shares = " | ".join(HEADINGS[c] for c in CATEGORIES)
    lines = [
        f"| page | ms (median) | ms profiled | corrected | reports | q | {shares} |",
        "|---|---:|---:|---:|---:|---:|" + "---:|" * len(CATEGORIES),
    ]
    for name, result in results.items():
        if result["status"] != 200:
            lines.append(
                f"| {name} | status {result['status']} {result.get('location') or ''}"
                " | | | | |" + " |" * len(CATEGORIES)
            )
            continue
        parts = " | ".join(f"{result['shares'][c]:.0%}" for c in CATEGORIES)
        lines.append(
            f"| {name} | {result['median_ms']:.1f} | {result['profiled_ms']:.1f} "
            f"| {result['corrected_ms']:.1f} | {result['reports']:,.0f} "
            f"| {result['queries']} | {parts} |"
        )
    return lines


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=sorted(dataset.DATABASES), default="small")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--top",
        type=int,
        default=0,
        help="print each page's N functions with most own time",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="only pages whose name contains one of these (comma)",
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    only = [p.strip() for p in args.pages.split(",") if p.strip()]
    os.environ["REDIS_URL"] = REDIS_URL
    inprocess.production_environment()
    url = dataset.DATABASES[args.dataset]
    dataset.create_database(url)
    dataset.setup_django(url)
    dataset.ensure(args.dataset, reseed=False)
    from django.core.cache import cache
    from django.core.management import call_command

    # Production settings serve static files from the manifest.
    call_command("collectstatic", verbosity=0, interactive=False)

    cache.clear()
    inprocess.quiet_server_process()
    described = dataset.describe()
    clients = {
        role: inprocess.client_for(email) for role, email in described["people"].items()
    }
    per_report = calibrate()
    results: dict[str, dict] = {}
    tops: dict[str, list[str]] = {}
    for page in described["pages"]:
        if only and not any(word in page["name"] for word in only):
            continue
        client = clients[page["role"]]
        results[page["name"]] = profile_page(
            client, page["path"], args.rounds, per_report
        )
        if args.top and results[page["name"]]["status"] == 200:
            tops[page["name"]] = top_functions(
                client, page["path"], args.rounds, args.top
            )
        print(f"  {args.dataset}: {page['name']}", file=sys.stderr, flush=True)
    print(
        f"\n{args.dataset} dataset, {args.rounds} rounds a page; "
        "shares of the profiled time less the reports' cost "
        f"({per_report * 1e6:.2f} µs each)\n"
    )
    print("\n".join(table(results)))
    for name, lines in tops.items():
        print(f"\n{name}: the {args.top} functions with the most own time, per request")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
