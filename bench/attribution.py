"""Where a request's time goes: SQL, ORM Python, templates and the rest.

The clock is charged, at every moment, to the innermost function on the stack
whose code lies in one of three places; with none of them on the stack, to the
rest:

- **sql**: the database driver. The execute wrapper installed on every
  connection (around the driver's `execute` and `executemany`, on SQLite as on
  PostgreSQL) and psycopg's own Python code (fetching and decoding rows,
  commits, COPY).
- **orm**: `django/db/models`: building querysets and queries, compiling them
  (`SQLCompiler.as_sql`), the compiler's `execute_sql` less the driver's part,
  turning rows into model instances, related-object descriptors, prefetching,
  saving.
- **template**: `django/template` and `django/templatetags`: parsing and
  rendering, the tags and filters, form widgets (which render through it),
  less the ORM and SQL run from them.
- **rest**: everything else, when none of the three is on the stack:
  middleware, views, forms, URL resolution, sessions and the cache, our own
  code.

Code outside the three places counts to the one that called it: a filter from
`django/utils` or one of our template tags counts to the template that runs
it, `django/db/backends` called by a compiler to the ORM, our model method
called from a template to the template unless it builds a query.

It is exact, not sampled: `sys.monitoring` reports each start, return, yield,
resume and unwind of a function in the three places (the events of any other
code are disabled the first time they fire, so that code runs at full speed),
and each report reads the clock twice, so that the time spent in the report
itself is charged to nobody. What remains is the interpreter's way into the
report and back and the slower instrumented code, a few tenths of a
microsecond per report on the development machine: half of it is charged to
the category that ran before the report and half to the one after, and
`events` counts the reports on either side of each category in the same
halves, so that corrected() can take that cost out again
(bench/profile_pages.py measures it per page).

    with Attribution() as attribution:
        client.get(path)
    attribution.seconds     # {"sql": ..., "orm": ..., "template": ..., "rest": ...}
    attribution.shares()    # the same as fractions of their sum
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import CodeType

CATEGORIES = ("sql", "orm", "template", "rest")

# Where a function's code lies (a part of its file's path) and what it counts to.
PLACES = (
    ("/psycopg/", "sql"),
    ("/psycopg_pool/", "sql"),
    ("/django/db/models/", "orm"),
    ("/django/template/", "template"),
    ("/django/templatetags/", "template"),
)

_monitoring = sys.monitoring
_events = _monitoring.events
_ENTER = _events.PY_START | _events.PY_RESUME | _events.PY_THROW
_LEAVE = _events.PY_RETURN | _events.PY_YIELD | _events.PY_UNWIND
# The identifiers no other tool uses by convention (debugger 0, coverage 1,
# profiler 2, optimizer 5).
_FREE_IDS = (4, 3)


def category_of(filename: str) -> str | None:
    path = filename.replace("\\", "/")
    for place, category in PLACES:
        if place in path:
            return category
    return None


class Attribution:
    """The time of the block, by category; see the module's text."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.seconds = dict.fromkeys(CATEGORIES, 0.0)
        # Reports on either side of each category's time (see corrected()).
        self.events = dict.fromkeys(CATEGORIES, 0.0)
        # Each function in the three places now running: its code and category.
        self._stack: list[tuple[CodeType, str]] = []
        self._kinds: dict[CodeType, str | None] = {Attribution._driver.__code__: "sql"}
        self._last = 0.0
        self._tool = -1
        self._wrapped: list[object] = []

    # --- The block --------------------------------------------------------

    def __enter__(self) -> Attribution:
        from django.db import connections

        # Innermost, next to the driver, whatever other wrappers there are.
        self._wrapped = list(connections.all(initialized_only=False))
        for connection in self._wrapped:
            connection.execute_wrappers.insert(0, self._driver)
        self._tool = next((i for i in _FREE_IDS if _monitoring.get_tool(i) is None), -1)
        if self._tool < 0:
            raise RuntimeError("no sys.monitoring tool identifier is free")
        _monitoring.use_tool_id(self._tool, "etikrum attribution")
        for event in (_events.PY_START, _events.PY_RESUME, _events.PY_THROW):
            _monitoring.register_callback(self._tool, event, self._enter)
        for event in (_events.PY_RETURN, _events.PY_YIELD):
            _monitoring.register_callback(self._tool, event, self._leave)
        _monitoring.register_callback(self._tool, _events.PY_UNWIND, self._unwind)
        self._stack.clear()
        self._last = self.clock()
        _monitoring.set_events(self._tool, _ENTER | _LEAVE)
        return self

    def __exit__(self, *exc: object) -> None:
        _monitoring.set_events(self._tool, 0)
        self._charge(self.clock(), report=False)
        for event in (
            _events.PY_START,
            _events.PY_RESUME,
            _events.PY_THROW,
            _events.PY_RETURN,
            _events.PY_YIELD,
            _events.PY_UNWIND,
        ):
            _monitoring.register_callback(self._tool, event, None)
        _monitoring.free_tool_id(self._tool)
        for connection in self._wrapped:
            connection.execute_wrappers.remove(self._driver)

    def total(self) -> float:
        return sum(self.seconds.values())

    def reset(self) -> None:
        """Start counting afresh, inside the block (after a first request, say)."""
        self.seconds = dict.fromkeys(CATEGORIES, 0.0)
        self.events = dict.fromkeys(CATEGORIES, 0.0)
        self._last = self.clock()

    def lap(self) -> float:
        """The total so far, including the time since the last report."""
        now = self.clock()
        self._charge(now, report=False)
        self._last = self.clock()
        return self.total()

    def shares(self) -> dict[str, float]:
        total = self.total()
        return {c: (s / total if total else 0.0) for c, s in self.seconds.items()}

    # --- The reports ------------------------------------------------------

    def _driver(self, execute, sql, params, many, context):
        # Its own code counts as sql (see _kinds): the driver's execute runs in it.
        return execute(sql, params, many, context)

    def _kind(self, code: CodeType) -> str | None:
        try:
            return self._kinds[code]
        except KeyError:
            kind = category_of(code.co_filename)
            self._kinds[code] = kind
            return kind

    def _top(self) -> str:
        return self._stack[-1][1] if self._stack else "rest"

    def _charge(self, now: float, *, report: bool = True) -> None:
        top = self._top()
        self.seconds[top] += now - self._last
        if report:
            # The interpreter's way into this report is charged to the category
            # that ran before it, its way out to the one that runs after it.
            self.events[top] += 0.5

    def _enter(self, code: CodeType, offset: int, *rest: object) -> object:
        now = self.clock()
        kind = self._kind(code)
        if kind is None:
            # Only PY_START and PY_RESUME can be disabled; PY_THROW is rare.
            self._last += self.clock() - now
            return None if rest else _monitoring.DISABLE
        self._charge(now)
        self._stack.append((code, kind))
        self.events[kind] += 0.5
        self._last = self.clock()
        return None

    def _leave(self, code: CodeType, offset: int, value: object) -> object:
        now = self.clock()
        stack = self._stack
        # A function started before the block began has nothing on the stack.
        if stack and stack[-1][0] is code:
            self._charge(now)
            stack.pop()
            self.events[self._top()] += 0.5
            self._last = self.clock()
            return None
        disable = self._kind(code) is None
        self._last += self.clock() - now
        return _monitoring.DISABLE if disable else None

    def _unwind(self, code: CodeType, offset: int, exception: object) -> None:
        # Fired for every function left by an exception; it cannot be disabled.
        self._leave(code, offset, exception)


def corrected(
    seconds: dict[str, float], events: dict[str, float], per_report: float
) -> dict[str, float]:
    """The seconds of each category less `per_report` for each report beside them.

    `per_report` is what one report costs beyond the time it charges to nobody:
    the interpreter's call into it and back, and the slower instrumented code
    around it. bench/profile_pages.py derives it per page from the difference
    between profiled and plain requests.
    """
    return {c: max(0.0, spent - per_report * events[c]) for c, spent in seconds.items()}
