"""Each benchmarked page in-process, through the whole middleware stack.

Production settings (debug off, the cache in Redis when REDIS_URL is set), one
database connection kept open as in a server process. Per page: the queries
of one request and their time, the time spent rendering templates (less the
queries run from them), the rest (views, middleware, query building), and the
median and 95th percentile of BENCH_ROUNDS requests. Prints JSON.

    python bench/inprocess.py --dataset small
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dataset  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def production_environment() -> None:
    """The environment the benchmark serves with, in-process and under gunicorn."""
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + os.urandom(16).hex())
    # The benchmark speaks plain HTTP to the web process as a TLS-terminating
    # proxy does, saying so in X-Forwarded-Proto; nothing else is relaxed.
    os.environ["DJANGO_BEHIND_PROXY"] = "true"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")


class Profile:
    """Time in queries and in template rendering during one request."""

    def __init__(self):
        self.depth = 0
        self.reset()

    def reset(self) -> None:
        self.queries: list[tuple[float, str, object]] = []
        # SELECTs compiled, subqueries included: a query built once is compiled once.
        self.compiled = 0
        self.sql_in_render = 0.0
        self.render = 0.0

    def execute(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            self.queries.append((elapsed, sql, params))
            if self.depth:
                self.sql_in_render += elapsed

    def install(self) -> None:
        from django.db.models.sql.compiler import SQLCompiler
        from django.template.backends.django import Template

        as_sql = SQLCompiler.as_sql

        def counted(compiler, *args, **kwargs):
            profile.compiled += 1
            return as_sql(compiler, *args, **kwargs)

        SQLCompiler.as_sql = counted

        original = Template.render
        profile = self

        def render(template, context=None, request=None):
            profile.depth += 1
            start = time.perf_counter()
            try:
                return original(template, context, request)
            finally:
                profile.depth -= 1
                if not profile.depth:
                    profile.render += (time.perf_counter() - start) * 1000

        Template.render = render


def quiet_server_process() -> None:
    # As in a long-running server process: one connection, kept.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def client_for(email: str):
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    client.force_login(User.objects.get(email=email))
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def measure(client, path: str, profile: Profile, rounds: int) -> dict:
    from django.db import connection

    for _ in range(3):
        response = client.get(path)
    if response.status_code != 200:
        return {"status": response.status_code, "location": response.get("Location")}
    profile.reset()
    with connection.execute_wrapper(profile.execute):
        start = time.perf_counter()
        response = client.get(path)
        total = (time.perf_counter() - start) * 1000
    compiled = profile.compiled
    sql = sum(q[0] for q in profile.queries)
    render = profile.render - profile.sql_in_render
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(profile.queries),
        "compiled": compiled,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        # One profiled request: where its time went.
        "profile_ms": {
            "total": round(total, 2),
            "sql": round(sql, 2),
            "render": round(render, 2),
            "other": round(total - sql - render, 2),
            "slowest_query": round(max((q[0] for q in profile.queries), default=0), 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", choices=sorted(dataset.DATABASES), required=True)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    production_environment()
    dataset.setup_django(dataset.DATABASES[args.dataset])
    from django.core.cache import cache

    cache.clear()
    quiet_server_process()
    described = dataset.describe()
    profile = Profile()
    profile.install()
    clients = {role: client_for(email) for role, email in described["people"].items()}
    results = {}
    for page in described["pages"]:
        results[page["name"]] = {
            "path": page["path"],
            "role": page["role"],
            **measure(clients[page["role"]], page["path"], profile, args.rounds),
        }
        print(f"  {args.dataset}: {page['name']}", file=sys.stderr, flush=True)
    print(json.dumps({"dataset": args.dataset, "pages": results}))


if __name__ == "__main__":
    main()
