"""Benchmark: every main page at national scale, under gunicorn, driven by wrk.

1. Seeds the national and the small dataset into PostgreSQL (bench/dataset.py;
   reused when already there, `--reseed` to start afresh).
2. Measures each page in-process on both datasets (bench/inprocess.py):
   queries per request, median and 95th percentile, and where the time goes.
3. Starts gunicorn with production settings, signs in through the sign-in
   form as a staff member and as a manager of a large part of the
   organisation, and drives wrk at each concurrency over every page, with a
   minimal view (/healthz) and a static file as baselines in the same run.
4. Compares gunicorn's sync and gthread workers on a few pages.
5. Runs two web processes on two ports against the same PostgreSQL and Redis:
   a sign-in on one is valid on the other, and failed sign-ins count towards
   one limit across both.

Prints a table with the targets met or missed, and why, and writes
bench/results/national.json. Settings by environment:

    BENCH_SECONDS=10        seconds of wrk per page and concurrency
    BENCH_WARMUP=2          seconds of wrk before a page's first figure
    BENCH_CONCURRENCY=1,8,32
    BENCH_ROUNDS=30         in-process requests per page, split over
    BENCH_PASSES=2          passes alternating the datasets (the faster counts)
    BENCH_PAGES=            only pages whose name contains one of these (comma)
    BENCH_WORKERS=2  BENCH_THREADS=4  BENCH_WORKER_CLASS=gthread
    BENCH_PORT=8740
    BENCH_DATABASE_URL, BENCH_SMALL_DATABASE_URL, BENCH_REDIS_URL (db 1),
    BENCH_REDIS_URL_SECOND (db 5, for the two-process step)

    make bench                       # or: python bench/national.py [--reseed]
    BENCH_SECONDS=2 BENCH_ROUNDS=5 make bench      # a quick run
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PYTHON = sys.executable

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "2"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1,8,32").split(",")]
ROUNDS = os.environ.get("BENCH_ROUNDS", "30")
ONLY = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "gthread")
PORT = int(os.environ.get("BENCH_PORT", "8740"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
REDIS_URL_SECOND = os.environ.get("BENCH_REDIS_URL_SECOND", "redis://127.0.0.1:6379/5")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/etikrum_national"
)

PUBLIC_HOST = "127.0.0.1"

# The targets of issue 15.
P95_TARGET_MS = 50
VALUE_BASE_SHARE = 0.5
QUERY_TARGET = 12
GROWTH_TARGET = 0.20
TARGET_CONCURRENCY = 8
# Pages compared between worker classes.
WORKER_PAGES = ["value base in force", "dashboard (staff)", "dilemma list (staff)"]


def say(text: str) -> None:
    print(text, flush=True)


def environment(**extra: str) -> dict[str, str]:
    """Production settings for the web process; nothing relaxed but plain HTTP
    behind a proxy, which the benchmark plays (X-Forwarded-Proto: https)."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_BEHIND_PROXY": "true",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
    }
    env.update(extra)
    return {k: v for k, v in env.items() if v != ""}


SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)


def run_json(args: list[str], **extra: str) -> dict:
    done = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=environment(**extra),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- Web processes ---------------------------------------------------------------


class Server:
    def __init__(
        self, port: int, *, worker_class: str, workers: int, threads: int, **extra: str
    ):
        self.port = port
        self.describe = f"{workers} {worker_class} workers" + (
            f" x {threads} threads" if worker_class == "gthread" else ""
        )
        RESULTS.mkdir(exist_ok=True)
        self.log = open(RESULTS / f"gunicorn-{port}.log", "a")  # noqa: SIM115
        command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--logger-class",
            "core.logging.RedactingGunicornLogger",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--access-logfile",
            "-",
            "--backlog",
            "2048",
        ]
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment(**extra),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if get(port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn on port {port} did not start: see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict | None = None,
    body: str | None = None,
    headers: dict | None = None,
):
    """One request as the proxy in front of the web process would pass it on."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {
        # One public name for every web process, as a load balancer passes it
        # on: allauth keys failed sign-ins by site and address.
        "Host": PUBLIC_HOST,
        "X-Forwarded-Proto": "https",
        "Accept-Language": "en",
        **(headers or {}),
    }
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    content = response.read().decode("utf-8", "replace")
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    conn.close()
    return response.status, response.getheader("Location"), content, jar


def get(port: int, path: str, cookies: dict | None = None) -> tuple[int, str | None]:
    status, location, _content, _jar = request(port, "GET", path, cookies=cookies)
    return status, location


def post_login(port: int, email: str, password: str, cookies: dict | None = None):
    """Post the sign-in form as a browser does: its CSRF cookie and token."""
    cookies = dict(cookies or {})
    status, _loc, content, jar = request(
        port, "GET", "/accounts/login/", cookies=cookies
    )
    if status != 200:
        raise SystemExit(f"the sign-in page answered {status}")
    cookies.update(jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if token is None:
        raise SystemExit("no CSRF token on the sign-in page")
    from urllib.parse import urlencode

    origin = f"https://{PUBLIC_HOST}"
    body = urlencode(
        {
            "csrfmiddlewaretoken": html.unescape(token.group(1)),
            "login": email,
            "password": password,
        }
    )
    status, location, content, jar = request(
        port,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        body=body,
        headers={"Origin": origin, "Referer": origin + "/accounts/login/"},
    )
    cookies.update(jar)
    return status, location, content, cookies


def sign_in(port: int, email: str, password: str) -> dict:
    status, location, content, cookies = post_login(port, email, password)
    if status != 302 or not any("session" in name for name in cookies):
        raise SystemExit(f"signing in as {email} failed: {status} {location}")
    return cookies


# --- wrk -------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = subprocess.run(["which", "wrk"], capture_output=True, text=True)
    if found.returncode == 0:
        return found.stdout.strip()
    raise SystemExit("wrk is missing: apt-get install wrk (make bench does it)")


def settle(port: int, limit: float = 120) -> float:
    """Wait until the web process has worked off what wrk left behind.

    When wrk stops, the requests it had sent are still queued in the server,
    which answers them to nobody; the next figure would pay for them. A probe
    waits in the same queue, so it comes back quickly only once that is done.
    """
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        probe = time.perf_counter()
        get(port, "/healthz")
        if time.perf_counter() - probe < 0.1:
            break
    return time.perf_counter() - start


def wrk(
    port: int, path: str, cookies: dict | None, concurrency: int, seconds: float
) -> dict:
    settle(port)
    threads = 1 if concurrency == 1 else 2
    env = {
        **os.environ,
        "BENCH_COOKIE": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()),
    }
    done = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(concurrency),
            "-d",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(HERE / "report.lua"),
            f"http://127.0.0.1:{port}{path}",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"wrk failed on {path}: {done.stderr or done.stdout}")
    line = next(
        (x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None
    )
    if line is None:
        raise SystemExit(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
    return figures


def static_path() -> str:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/app.css"]


# --- Steps -----------------------------------------------------------------------


def prepare(reseed: bool) -> dict:
    say("== datasets")
    seeded = {}
    for name in ("small", "national"):
        args = ["bench/dataset.py", "--dataset", name]
        seeded[name] = run_json(args + (["--reseed"] if reseed else []))
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environment(),
        check=True,
    )
    return seeded


def in_process() -> dict:
    """Both datasets in turn, twice; each page's faster pass counts.

    Other work on the machine slows one pass or the other; alternating the
    datasets keeps it from showing up as growth with the data.
    """
    passes = int(os.environ.get("BENCH_PASSES", "2"))
    rounds = str(max(1, int(ROUNDS) // passes))
    say(f"== in-process, {passes} passes of {rounds} requests per page")
    results: dict = {"small": {}, "national": {}}
    for _ in range(passes):
        for name in ("small", "national"):
            flush_redis(REDIS_URL)
            pages = run_json(
                ["bench/inprocess.py", "--dataset", name, "--rounds", rounds]
            )["pages"]
            for page, figures in pages.items():
                best = results[name].get(page)
                if best is None or figures.get("median_ms", 0) < best.get(
                    "median_ms", 0
                ):
                    results[name][page] = figures
    return results


def chosen(pages: list[dict]) -> list[dict]:
    if not ONLY:
        return pages
    return [p for p in pages if any(o in p["name"] for o in ONLY)]


def load(pages: list[dict], people: dict, password: str) -> dict:
    say(
        f"== gunicorn ({WORKERS} {WORKER_CLASS} workers), wrk {SECONDS:g} s per "
        f"figure at {', '.join(map(str, CONCURRENCY))} connections"
    )
    flush_redis(REDIS_URL)
    results: dict = {}
    with Server(
        PORT, worker_class=WORKER_CLASS, workers=WORKERS, threads=THREADS
    ) as server:
        cookies = {
            role: sign_in(PORT, email, password)
            for role, email in people.items()
            if role in ("staff", "manager")
        }
        targets = [
            {"name": "minimal view (/healthz)", "path": "/healthz", "role": None},
            {"name": "static file (whitenoise)", "path": static_path(), "role": None},
            *pages,
        ]
        for target in targets:
            jar = cookies.get(target["role"]) if target["role"] else None
            status, location = get(PORT, target["path"], jar)
            if status != 200:
                raise SystemExit(
                    f"{target['name']} answered {status} "
                    f"{'-> ' + location if location else ''}: the session is not "
                    "valid or the page is broken; nothing measured"
                )
        for target in targets:
            jar = cookies.get(target["role"]) if target["role"] else None
            if WARMUP:
                wrk(PORT, target["path"], jar, TARGET_CONCURRENCY, WARMUP)
            figures = {}
            for c in CONCURRENCY:
                figures[c] = wrk(PORT, target["path"], jar, c, SECONDS)
                if figures[c]["non_200"] or figures[c]["socket_errors"]:
                    say(
                        f"   !! {target['name']} at c={c}: "
                        f"{figures[c]['non_200']} answers other than 200 "
                        f"(first: {figures[c]['first_non_200']}), "
                        f"{figures[c]['socket_errors']} socket errors"
                    )
            results[target["name"]] = {
                "path": target["path"],
                "role": target["role"],
                "wrk": figures,
            }
            at = figures.get(TARGET_CONCURRENCY) or figures[max(figures)]
            say(
                f"   {target['name']:<28} {at['rps']:>8.1f}/s  "
                f"p95 {at['p95_ms']:>8.1f} ms"
            )
        results["_server"] = server.describe
    return results


def worker_classes(pages: list[dict], people: dict, password: str) -> dict:
    say("== worker classes at c=8")
    compared = [{"name": "minimal view (/healthz)", "path": "/healthz", "role": None}]
    compared += [p for p in pages if p["name"] in WORKER_PAGES]
    results: dict = {}
    for worker_class in ("sync", "gthread"):
        flush_redis(REDIS_URL)
        with Server(
            PORT, worker_class=worker_class, workers=WORKERS, threads=THREADS
        ) as server:
            cookies = {
                role: sign_in(PORT, email, password)
                for role, email in people.items()
                if role in ("staff", "manager")
            }
            for target in compared:
                jar = cookies.get(target["role"]) if target["role"] else None
                if WARMUP:
                    wrk(PORT, target["path"], jar, TARGET_CONCURRENCY, WARMUP)
                figures = wrk(PORT, target["path"], jar, TARGET_CONCURRENCY, SECONDS)
                results.setdefault(target["name"], {})[server.describe] = figures
                say(
                    f"   {server.describe:<28} {target['name']:<26} "
                    f"{figures['rps']:>8.1f}/s  p95 {figures['p95_ms']:>8.1f} ms"
                )
    return results


def limit_per_key() -> int:
    rate = os.environ.get("ACCOUNT_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key")
    for part in rate.split(","):
        if part.endswith("/key"):
            return int(part.split("/")[0])
    raise SystemExit(f"no per-address limit in {rate!r}")


def refused(content: str) -> bool:
    return "Too many failed login attempts" in content


def count_failures(ports: list[int], email: str) -> dict:
    """Wrong passwords in turn on each port, until the sign-in is refused."""
    attempts = []
    for n in range(4 * limit_per_key()):
        port = ports[n % len(ports)]
        status, _location, content, _cookies = post_login(port, email, f"wrong-{n}")
        if refused(content):
            return {"refused_at_attempt": n + 1, "counted": attempts}
        if status != 200:
            raise SystemExit(f"a wrong password answered {status}")
        attempts.append(port)
    return {"refused_at_attempt": None, "counted": attempts}


def two_processes(people: dict, password: str, email: str, redis_url: str) -> dict:
    """Sign in on one process, read on the other; wrong passwords on both in turn.

    With `redis_url` empty each process keeps its own cache: the contrast that
    shows the check can fail.
    """
    ports = [PORT + 1, PORT + 2]
    if redis_url:
        flush_redis(redis_url)
    result: dict = {"redis": redis_url or None, "limit_per_key": limit_per_key()}
    servers = []
    try:
        for port in ports:
            servers.append(
                Server(
                    port,
                    worker_class="gthread",
                    workers=1,
                    threads=2,
                    REDIS_URL=redis_url,
                )
            )
        cookies = sign_in(ports[0], people["staff"], password)
        status, location = get(ports[1], "/profile/", cookies)
        result["session_valid_on_other"] = status == 200
        result["other_status"] = status
        say(
            f"   signed in on :{ports[0]}, /profile/ on :{ports[1]} answers "
            f"{status}{' -> ' + location if location else ''}"
        )
        counted = count_failures(ports, email)
        result.update(counted)
        on = {p: counted["counted"].count(p) for p in ports}
        result["failures_per_port"] = on
        shared = counted["refused_at_attempt"] == result["limit_per_key"] + 1
        result["limit_shared"] = shared
        say(
            f"   wrong passwords in turn: refused at attempt "
            f"{counted['refused_at_attempt']} after {on[ports[0]]} on "
            f":{ports[0]} and {on[ports[1]]} on :{ports[1]} "
            f"(limit {result['limit_per_key']} per address: "
            f"{'counted across both' if shared else 'counted per process'})"
        )
    finally:
        for server in servers:
            server.stop()
    return result


def both_ways(people: dict, password: str) -> dict:
    say(f"== two web processes, one PostgreSQL, the cache in {REDIS_URL_SECOND}")
    # Each run its own person: a refused address stays refused for minutes.
    shared = two_processes(people, password, people["admin"], REDIS_URL_SECOND)
    say("== the same without Redis (a cache in each process), for contrast")
    alone = two_processes(people, password, people["editor"], "")
    shared["without_redis"] = alone
    return shared


# --- Report ----------------------------------------------------------------------


def growth(small: dict, national: dict) -> float | None:
    if not small.get("median_ms") or not national.get("median_ms"):
        return None
    return national["median_ms"] / small["median_ms"] - 1


def why(name: str, page: dict, small: dict, misses: list[str]) -> str:
    profile = page.get("profile_ms", {})
    parts = [
        f"in-process {profile.get('total', 0):.0f} ms: "
        f"SQL {profile.get('sql', 0):.0f} ms in {page.get('queries')} queries "
        f"(slowest {profile.get('slowest_query', 0):.1f} ms), "
        f"templates {profile.get('render', 0):.0f} ms, "
        f"views and middleware {profile.get('other', 0):.0f} ms; "
        f"{page.get('bytes', 0) // 1024} KiB"
    ]
    hints = []
    total = profile.get("total") or 1
    if "growth" in misses and small.get("profile_ms"):
        before = small["profile_ms"]
        hints.append(
            f"grows with the country: SQL {before['sql']:.0f} -> "
            f"{profile.get('sql', 0):.0f} ms, slowest query "
            f"{before['slowest_query']:.1f} -> {profile.get('slowest_query', 0):.1f}"
            " ms: a query reads beyond the organisation (see bench/explain.py)"
        )
    if profile.get("render", 0) > total / 2 and page.get("bytes", 0) > 60_000:
        hints.append("mostly rendering a long page: one page of rows at a time")
    elif profile.get("sql", 0) > total / 2:
        hints.append("mostly queries: an index or a narrower query (bench/explain.py)")
    if "queries" in misses:
        hints.append(
            f"{page.get('queries')} queries: load what the page needs "
            "in fewer (select_related, prefetch, the membership once)"
        )
    if "share" in misses:
        hints.append(
            "at 50% of the minimal view each request may cost ~1 ms of CPU: "
            "only a response served from cache before the view runs gets there"
        )
    if "p95" in misses and not hints:
        hints.append("CPU per request: in-process time x 8 connections / 2 cores")
    return "; ".join(parts + hints)


def report(
    inproc: dict, loaded: dict, workers: dict | None, shared: dict | None
) -> tuple[list[str], dict]:
    national, small = inproc["national"], inproc["small"]
    minimal = loaded["minimal view (/healthz)"]["wrk"]
    minimal_rps = (minimal.get(TARGET_CONCURRENCY) or minimal[max(minimal)])["rps"]
    lines = []
    header = (
        f"{'page':<28} "
        + " ".join(f"{'c=' + str(c) + ' req/s':>11}" for c in CONCURRENCY)
        + f" {'p50':>7} {'p95':>7} {'p99':>7} {'q':>3} {'ratio':>6}"
        f" {'ms S':>6} {'ms N':>6} {'grow':>5}  targets"
    )
    lines += [
        f"Pages under {loaded['_server']}, wrk at each concurrency; latency (ms) "
        f"and ratio to the minimal view at c={TARGET_CONCURRENCY};",
        "q = queries per request, ms S/N = in-process median on the small and the "
        "national dataset, grow = N/S - 1.",
        header,
        "-" * len(header),
    ]
    summary: dict = {"pages": {}, "misses": []}
    whys = []
    for name, figures in loaded.items():
        if name.startswith("_"):
            continue
        w = figures["wrk"]
        at = w.get(TARGET_CONCURRENCY) or w[max(w)]
        page, before = national.get(name, {}), small.get(name, {})
        grow = growth(before, page)
        misses = []
        # The baselines are what the pages are measured against.
        baseline = figures["role"] is None
        if at["p95_ms"] > P95_TARGET_MS and not baseline:
            misses.append("p95")
        if page and page.get("queries", 0) > QUERY_TARGET:
            misses.append("queries")
        if grow is not None and grow > GROWTH_TARGET:
            misses.append("growth")
        if name == "value base in force" and at["rps"] < VALUE_BASE_SHARE * minimal_rps:
            misses.append("share")
        if any(f["non_200"] for f in w.values()):
            misses.append("non-200")
        ratio = at["rps"] / minimal_rps if minimal_rps else 0
        lines.append(
            f"{name:<28} "
            + " ".join(f"{w[c]['rps']:>11.1f}" for c in CONCURRENCY)
            + f" {at['p50_ms']:>7.1f} {at['p95_ms']:>7.1f} {at['p99_ms']:>7.1f}"
            f" {page.get('queries', '-'):>3} {ratio:>6.1%}"
            f" {before.get('median_ms', 0):>6.1f} {page.get('median_ms', 0):>6.1f}"
            f" {'' if grow is None else f'{grow:+.0%}':>5}  "
            + (
                "MISS " + ",".join(misses)
                if misses
                else "baseline"
                if baseline
                else "pass"
            )
        )
        summary["pages"][name] = {
            "misses": misses,
            "ratio": round(ratio, 4),
            "growth": None if grow is None else round(grow, 3),
        }
        if misses:
            summary["misses"].append(name)
            whys.append(f"  {name}: {why(name, page, before, misses)}")
    lines += [
        "",
        f"Targets: p95 <= {P95_TARGET_MS} ms at c={TARGET_CONCURRENCY}; "
        f"value base in force >= {VALUE_BASE_SHARE:.0%} of the minimal view; "
        f"<= {QUERY_TARGET} queries; in-process growth <= {GROWTH_TARGET:.0%}.",
    ]
    if whys:
        lines += ["Why each miss (in-process profile on the national dataset):", *whys]
    if workers:
        lines += ["", f"Worker classes at c={TARGET_CONCURRENCY} (req/s, p95 ms):"]
        best: dict[str, float] = {}
        for name, by_class in workers.items():
            cells = []
            for described, f in by_class.items():
                cells.append(f"{described}: {f['rps']:.1f}/s p95 {f['p95_ms']:.1f}")
                best[described] = best.get(described, 0) + f["rps"] / max(
                    1, next(iter(by_class.values()))["rps"]
                )
            lines.append(f"  {name:<26} " + "   ".join(cells))
        winner = max(best, key=best.get)
        summary["best_worker_class"] = winner
        lines.append(f"  best over these pages: {winner}")
    if shared:
        lines += [
            "",
            "Two web processes: session valid on the other: "
            f"{'yes' if shared.get('session_valid_on_other') else 'NO'}; failed "
            f"sign-ins refused at attempt {shared.get('refused_at_attempt')} with a "
            f"limit of {shared.get('limit_per_key')} per address: "
            f"{'counted across both' if shared.get('limit_shared') else 'NOT shared'}.",
        ]
        alone = shared.get("without_redis")
        if alone:
            lines.append(
                "  Without Redis (for contrast): refused at attempt "
                f"{alone.get('refused_at_attempt')}, "
                + (
                    "counted across both."
                    if alone.get("limit_shared")
                    else "each process counting its own."
                )
            )
    return lines, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--skip-workers", action="store_true")
    parser.add_argument("--skip-two-processes", action="store_true")
    parser.add_argument("--only-two-processes", action="store_true")
    args = parser.parse_args()
    if args.only_two_processes:
        described = run_json(["bench/dataset.py", "--describe"])
        print(json.dumps(both_ways(described["people"], described["password"])))
        return
    ensure_wrk()
    RESULTS.mkdir(exist_ok=True)
    started = time.time()
    seeded = prepare(args.reseed)
    described = run_json(["bench/dataset.py", "--describe"])
    pages = chosen(described["pages"])
    inproc = in_process()
    loaded = load(pages, described["people"], described["password"])
    workers = None
    if not args.skip_workers:
        workers = worker_classes(pages, described["people"], described["password"])
    shared = None
    if not args.skip_two_processes:
        shared = both_ways(described["people"], described["password"])
    lines, summary = report(inproc, loaded, workers, shared)
    # Other work on the machine lowers every figure; the ratios suffer less.
    load_average = [round(x, 2) for x in os.getloadavg()]
    lines.append(
        f"\nLoad average at the end (1, 5, 15 min): {load_average} on "
        f"{os.cpu_count()} cores; above the core count, other work shared them."
    )
    say("")
    for line in lines:
        say(line)
    output = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "settings": {
            "seconds": SECONDS,
            "concurrency": CONCURRENCY,
            "rounds": int(ROUNDS),
            "server": loaded["_server"],
        },
        "datasets": seeded,
        "in_process": inproc,
        "load": {k: v for k, v in loaded.items() if not k.startswith("_")},
        "worker_classes": workers,
        "two_processes": shared,
        "summary": summary,
        "table": lines,
        "duration_s": round(time.time() - started),
        "load_average": load_average,
    }
    target = RESULTS / "national.json"
    target.write_text(json.dumps(output, indent=2, ensure_ascii=False))
    say(f"\nwritten {target.relative_to(ROOT)} in {output['duration_s']} s")
    broken = [n for n, p in summary["pages"].items() if "non-200" in p["misses"]]
    if broken or (
        shared
        and not (shared.get("session_valid_on_other") and shared.get("limit_shared"))
    ):
        raise SystemExit(f"failed: {', '.join(broken) or 'two web processes'}")


if __name__ == "__main__":
    main()
