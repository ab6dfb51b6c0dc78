"""One worker to run the tasks on the database queue (the `queue` fixture in
tests/conftest.py puts them there), as in production."""

from __future__ import annotations

from core.worker import RetryingWorker


def work_off_the_queue(worker_id: str = "tester") -> None:
    """One worker runs every task that is due, then stops (--batch)."""
    RetryingWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        heartbeat=False,
    ).run()
