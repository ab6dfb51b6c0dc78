"""The steps of a background task already done, for a task run more than once.

The worker (core/worker.py) runs a task again after a failure or after its
worker died. A task that sends several e-mails records each one sent, so that
the next run sends only the rest.
"""

from __future__ import annotations

from django.tasks import TaskContext, task_backends
from django_tasks_db.backend import DatabaseBackend

from .models import TaskStep


def runs_again(context: TaskContext | None) -> bool:
    """Whether this task may run again: only the database queue retries."""
    if context is None:
        return False
    backend = task_backends[context.task_result.backend]
    return isinstance(backend, DatabaseBackend)


class Steps:
    """The steps of one task already done by an earlier attempt of it.

    A task that sends several e-mails marks each one sent, so that running it
    again after a failure sends only those not sent yet:

        steps = Steps(context)
        for person in people:
            if f"mail:{person.pk}" not in steps:
                send(person)
                steps.done(f"mail:{person.pk}")

    A step is marked once it has returned: if the worker dies between the mail
    server taking a message and the mark, that one message goes out twice.
    Nothing is kept for a task that cannot run again: one called as a plain
    function, or run by Django's immediate backend.
    """

    def __init__(self, context: TaskContext | None):
        self.task_id = context.task_result.id if runs_again(context) else None
        self._done: set[str] = set()
        if self.task_id is not None:
            self._done = set(
                TaskStep.objects.filter(task_id=self.task_id).values_list(
                    "step", flat=True
                )
            )

    def __contains__(self, step: str) -> bool:
        return step in self._done

    def done(self, step: str) -> None:
        if self.task_id is not None:
            TaskStep.objects.get_or_create(task_id=self.task_id, step=step)
        self._done.add(step)
