"""What the shared cache and the task worker need to keep in the database.

The cache (core/cache.py) must never serve something stale because Redis was
away when it should have been told of a change, and must keep sign-in limits
while Redis is away. The task worker (core/worker.py) must notice a worker that
died mid-task.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MissedCacheWrite(models.Model):
    """A cache key written (or deleted) while Redis could not be reached.

    Redis may still hold an older value under it: a session copy after a
    sign-out, a stamp that was not raised. Every process deletes these keys
    from Redis before it reads Redis again, then removes the row.
    """

    key = models.CharField(_("cache key"), max_length=500, unique=True)
    # New on every recording: a process removes only the rows it has replayed,
    # never one recorded again since it read it.
    token = models.UUIDField(default=uuid.uuid4)
    recorded = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("missed cache write")
        verbose_name_plural = _("missed cache writes")

    def __str__(self) -> str:
        return self.key


class CacheRecord(models.Model):
    """Django's database cache table, for the few keys that are a record.

    django-allauth keeps its sign-in rate limits and the authenticator codes
    already used only in the cache. While Redis is away, core/cache.py keeps
    them here (through Django's own DatabaseCache, whose columns these are), so
    the limits hold. Rows expire within minutes.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_cache_record"
        ordering = ["expires"]
        verbose_name = _("cache record")
        verbose_name_plural = _("cache records")

    def __str__(self) -> str:
        return self.cache_key


class WorkerHeartbeat(models.Model):
    """A running task worker says it is alive (core/worker.py).

    A task left running by a worker that has not beaten for
    `TASKS_WORKER_TIMEOUT` seconds is taken up again by another worker.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True)
    started = models.DateTimeField(_("started"), default=timezone.now)
    beat = models.DateTimeField(_("last heartbeat"), default=timezone.now)

    class Meta:
        ordering = ["-beat"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class TaskStep(models.Model):
    """One step of a background task done, such as one e-mail sent.

    A task that is run again after a failure skips the steps already done
    (core.worker.Steps). Removed when the task succeeds, or after 30 days.
    """

    # The task result's id: a UUID from django-tasks-db, a random string from
    # Django's immediate backend.
    task_id = models.CharField(_("task"), max_length=64)
    step = models.CharField(_("step"), max_length=200)
    done = models.DateTimeField(_("done"), default=timezone.now)

    class Meta:
        ordering = ["done"]
        constraints = [
            # A step is done once per task: a second run finds it and skips it.
            models.UniqueConstraint(fields=["task_id", "step"], name="core_step_once")
        ]
        verbose_name = _("task step")
        verbose_name_plural = _("task steps")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.step}"
