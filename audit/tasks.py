from __future__ import annotations

from django.tasks import task

from .verify import verify_and_alert


@task
def verify_audit_task() -> bool:
    """The daily verification, for the task worker; False when a chain is broken.

    A broken chain is reported, not raised: running the check again would
    find the same break and tell the operators twice.
    """
    return verify_and_alert()
