"""Benchmark: the value-base pages served by gunicorn, against the minimal view.

Loads the demo data into the database in DATABASE_URL (give it one of its own),
signs a staff member and an editor in, starts gunicorn with production settings
on 127.0.0.1 and drives wrk at concurrency 8 over the value-base pages and, in
the same run, over /healthz. Prints req/s, p50/p99 and each page's ratio to the
minimal view, then in-process timings and queries per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/etikrum_bench \
        REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/value_base_served.py

BENCH_SECONDS (10), BENCH_CONNECTIONS (8), BENCH_WORKERS (2) and
BENCH_WORKER_CLASS (sync) change the run.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database of its own.")

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 50),
    "DJANGO_BEHIND_PROXY": "true",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
}
os.environ.update(PRODUCTION)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
HTTPS = {"X-Forwarded-Proto": "https"}

PAGES = [
    ("value base in force", "staff", "/o/alvdala/values/vardegrund/"),
    ("guidelines for me", "staff", "/o/alvdala/values/vardegrund/guidelines/"),
    ("in force on a date", "staff", "/o/alvdala/values/vardegrund/?on=2024-03-01"),
    ("compare", "staff", "/o/alvdala/values/vardegrund/compare/?from=1&to=2"),
    ("search", "staff", "/o/alvdala/values/vardegrund/search/?q=respekt"),
    ("value base (editor)", "editor", "/o/alvdala/values/vardegrund/"),
    ("dashboard", "staff", "/o/alvdala/"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed_in(email: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", headers=HTTPS)
    client.force_login(User.objects.get(email=email))
    return client


def cookie_header(client: Client) -> str:
    return "; ".join(f"{name}={m.value}" for name, m in client.cookies.items())


def wrk(url: str, headers: dict[str, str]) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for percent in ("50", "90", "99"):
        match = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        figures[f"p{percent}"] = value * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["errors"] = int(non_2xx.group(1)) if non_2xx else 0
    return figures


def in_process(client: Client, path: str, rounds: int = 200) -> tuple[float, int]:
    client.get(path)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(times), len(queries)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", verbosity=0, interactive=False)
    clients = {
        "staff": signed_in("staff@alvdala.example"),
        "editor": signed_in("editor@alvdala.example"),
    }
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            WORKERS,
            "--worker-class",
            WORKER_CLASS,
            "--threads",
            "4" if WORKER_CLASS == "gthread" else "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Both workers booted and connected before anything is measured.
        wrk(base + "/healthz", HTTPS)
        print(
            f"gunicorn: {WORKERS} {WORKER_CLASS} workers, wrk -c{CONNECTIONS} "
            f"for {SECONDS}s, cache {settings.CACHES['default']['BACKEND']}, "
            f"sessions {settings.SESSION_ENGINE.rsplit('.', 1)[-1]}"
        )
        # The machine may be shared: the minimal view is measured again before
        # each page, and each page is compared with the run just before it.
        for name, who, path in PAGES:
            headers = {**HTTPS, "Cookie": cookie_header(clients[who])}
            warm = ["curl", "-s", "-o", "/dev/null"]
            for header, value in headers.items():
                warm += ["-H", f"{header}: {value}"]
            subprocess.run([*warm, base + path], check=True)
            healthz = wrk(base + "/healthz", HTTPS)
            figures = wrk(base + path, headers)
            print(
                f"{name:22} {figures['rps']:6.0f} req/s  p50 {figures['p50']:6.2f} ms"
                f"  p99 {figures['p99']:6.2f} ms  | minimal view "
                f"{healthz['rps']:6.0f} req/s: "
                f"{100 * figures['rps'] / healthz['rps']:5.1f}%"
                + (f"  {figures['errors']} errors" if figures["errors"] else "")
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)

    # In-process, as in a long-running server: one connection, queries per request.
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    print("in-process (test client, median of 200):")
    for name, who, path in PAGES:
        median, queries = in_process(clients[who], path)
        print(f"  {name:26} {median:6.2f} ms  {queries:>2} queries")


if __name__ == "__main__":
    main()
