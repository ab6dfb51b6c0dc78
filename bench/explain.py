"""The main query of each list page, explained on the national dataset.

Loads each list page in-process (production settings, the person the
benchmark uses for it), captures its queries, takes the slowest SELECT and
prints PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of it. Nothing here names a
query: whatever the views run when this is run is what gets explained. Writes
bench/results/explain.md as well, to copy into docs/performance.md.

    python bench/explain.py [--dataset national|small] [--top 1]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import dataset  # noqa: E402
import inprocess  # noqa: E402


def explain(sql: str, params) -> tuple[str, list[str]]:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        bound = cursor.cursor.mogrify(sql, params) if params else sql
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
        # ANALYZE runs the query; whatever it did is undone.
        transaction.set_rollback(True)
    return bound, plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--dataset", choices=sorted(dataset.DATABASES), default="national"
    )
    parser.add_argument(
        "--top", type=int, default=1, help="how many of the slowest queries per page"
    )
    args = parser.parse_args()
    inprocess.production_environment()
    dataset.setup_django(dataset.DATABASES[args.dataset])
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    inprocess.quiet_server_process()
    described = dataset.describe()
    clients = {
        role: inprocess.client_for(email) for role, email in described["people"].items()
    }
    profile = inprocess.Profile()
    out = [f"# Main queries of the list pages ({args.dataset} dataset)", ""]
    for page in described["lists"]:
        client = clients[page["role"]]
        client.get(page["path"])  # warm: caches, connection, statistics
        profile.reset()
        with connection.execute_wrapper(profile.execute):
            response = client.get(page["path"])
        selects = [
            q for q in profile.queries if q[1].lstrip().upper().startswith("SELECT")
        ]
        total = sum(q[0] for q in profile.queries)
        who = "" if page["role"] in page["name"] else f" ({page['role']})"
        head = (
            f"## {page['name']}{who}: {len(profile.queries)} "
            f"queries, {total:.1f} ms of SQL, answered {response.status_code}"
        )
        print(head)
        out += [head, ""]
        slowest = sorted(selects, key=lambda q: q[0], reverse=True)
        for elapsed, sql, params in slowest[: args.top]:
            bound, plan = explain(sql, params)
            text = [
                f"slowest query, {elapsed:.1f} ms:",
                "",
                "```sql",
                bound,
                "```",
                "",
                "```",
                *plan,
                "```",
                "",
            ]
            print("\n".join(text))
            out += text
    target = HERE / "results" / "explain.md"
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(out) + "\n")
    print(f"written {target.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
