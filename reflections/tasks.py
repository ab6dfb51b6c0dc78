from __future__ import annotations

from django.tasks import task

from .retention import apply_retention


@task
def apply_retention_task() -> int:
    """The daily retention run, for the task worker; returns dilemmas erased."""
    return apply_retention().total
