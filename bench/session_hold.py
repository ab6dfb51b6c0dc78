"""Does one signed-in session hold under sustained load? (issue 26)

Starts gunicorn with production settings (bench/national.py: 2 gthread
workers x 4 threads, PostgreSQL, sessions in cached_db over Redis), signs in
once through the sign-in form, then has several threads fetch one signed-in
page with that one session cookie, as wrk does, for longer than a minute (the
session's time of last request is written once a minute, so the run crosses
at least one such write). Counts the answers by status per ten seconds and
says when the first answer other than 200 came.

    BENCH_DATABASE_URL=postgres://.../etikrum_x  (the demo data: make demo)
    HOLD_SECONDS=80  HOLD_THREADS=8  HOLD_PORT=8791
    HOLD_EMAIL=manager@alvdala.example  HOLD_PATH=/o/alvdala/insights/
    BENCH_REDIS_URL=redis://127.0.0.1:6379/1  (emptied first)
    HOLD_CLIENT=wrk  (wrk instead of Python threads; totals only)

With HOLD_SECOND_DATABASE_URL, a second site on another database shares the
Redis: HOLD_SECOND_AFTER seconds in, it starts on the next port, signs in
HOLD_SECOND_EMAIL (a person with the same id there; HOLD_SECOND_PASSWORD) and
reads HOLD_SECOND_PATH for a few seconds, as a second benchmark on the same
machine would.

    python bench/session_hold.py
"""

from __future__ import annotations

import collections
import http.client
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import (  # noqa: E402
    PUBLIC_HOST,
    REDIS_URL,
    Server,
    flush_redis,
    get,
    sign_in,
    wrk,
)

SECONDS = float(os.environ.get("HOLD_SECONDS", "80"))
THREADS = int(os.environ.get("HOLD_THREADS", "8"))
PORT = int(os.environ.get("HOLD_PORT", "8791"))
EMAIL = os.environ.get("HOLD_EMAIL", "manager@alvdala.example")
PASSWORD = os.environ.get("HOLD_PASSWORD", "reflektera-tillsammans")
PATH = os.environ.get("HOLD_PATH", "/o/alvdala/insights/")
BUCKET = 10
SECOND_DATABASE_URL = os.environ.get("HOLD_SECOND_DATABASE_URL", "")
SECOND_AFTER = float(os.environ.get("HOLD_SECOND_AFTER", "25"))
SECOND_EMAIL = os.environ.get("HOLD_SECOND_EMAIL", "manager@alvdala.example")
SECOND_PASSWORD = os.environ.get("HOLD_SECOND_PASSWORD", "reflektera-tillsammans")
SECOND_PATH = os.environ.get("HOLD_SECOND_PATH", "/o/alvdala/insights/")


def hammer(
    cookie: str, start: float, counts: dict, first: dict, lock: threading.Lock
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {
        "Host": PUBLIC_HOST,
        "X-Forwarded-Proto": "https",
        "Accept-Language": "sv",
        "Cookie": cookie,
    }
    while (elapsed := time.perf_counter() - start) < SECONDS:
        try:
            conn.request("GET", PATH, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            status = 0
        with lock:
            counts[int(elapsed // BUCKET) * BUCKET][status] += 1
            if status != 200 and "at" not in first:
                first.update(at=round(elapsed, 1), status=status)
    conn.close()


def second_site(start: float, seen: dict) -> None:
    """Another site on another database, on the same Redis, for a while."""
    time.sleep(max(0.0, SECOND_AFTER - (time.perf_counter() - start)))
    port = PORT + 1
    with Server(
        port,
        worker_class="gthread",
        workers=1,
        threads=2,
        DATABASE_URL=SECOND_DATABASE_URL,
    ):
        jar = sign_in(port, SECOND_EMAIL, SECOND_PASSWORD)
        seen["signed_in_at"] = round(time.perf_counter() - start, 1)
        statuses: collections.Counter = collections.Counter()
        until = time.perf_counter() + 10
        while time.perf_counter() < until:
            statuses[get(port, SECOND_PATH, jar)[0]] += 1
        seen["answers"] = dict(statuses)


def main() -> None:
    flush_redis(REDIS_URL)
    with Server(PORT, worker_class="gthread", workers=2, threads=4) as server:
        jar = sign_in(PORT, EMAIL, PASSWORD)
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        if os.environ.get("HOLD_CLIENT") == "wrk":
            figures = wrk(PORT, PATH, jar, THREADS, SECONDS)
            print("HOLD_JSON " + json.dumps({"server": server.describe, **figures}))
            return
        counts: dict = collections.defaultdict(collections.Counter)
        first: dict = {}
        lock = threading.Lock()
        start = time.perf_counter()
        threads = [
            threading.Thread(target=hammer, args=(cookie, start, counts, first, lock))
            for _ in range(THREADS)
        ]
        second: dict = {}
        if SECOND_DATABASE_URL:
            threads.append(threading.Thread(target=second_site, args=(start, second)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total: collections.Counter = collections.Counter()
        for at in sorted(counts):
            total.update(counts[at])
            print(f"{at:>3}-{at + BUCKET:<3} s  {dict(sorted(counts[at].items()))}")
        summary = {
            "server": server.describe,
            "threads": THREADS,
            "seconds": SECONDS,
            "path": PATH,
            "answers": dict(sorted(total.items())),
            "first_other": first or None,
            **({"second_site": second} if SECOND_DATABASE_URL else {}),
        }
        print("HOLD_JSON " + json.dumps(summary))


if __name__ == "__main__":
    main()
