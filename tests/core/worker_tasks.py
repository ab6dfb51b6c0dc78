"""Tasks for the worker's tests (tests/core/test_worker.py), run by real workers."""

from __future__ import annotations

import time
from pathlib import Path

from django.tasks import TaskContext, task


@task(takes_context=True)
def block_on_first_attempt(context: TaskContext, folder: str) -> str:
    """Hangs on its first attempt, until its worker is killed; then finishes."""
    Path(folder, f"started-{context.attempt}").touch()
    if context.attempt == 1:
        time.sleep(120)
    return f"finished on attempt {context.attempt}"


@task(takes_context=True)
def fail_at_first(context: TaskContext, times: int) -> int:
    """Fails its first `times` attempts, as a mail server that is away would."""
    if context.attempt <= times:
        raise ConnectionRefusedError("smtp.example.se refused sara@norrby.example")
    return context.attempt


@task
def always_fail() -> None:
    raise ConnectionRefusedError("smtp.example.se refused sara@norrby.example")
