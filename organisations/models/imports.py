"""Member imports: an uploaded list, kept server-side between preview and confirm."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Self

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .memberships import Membership
from .organisation import Organisation, TenantQuerySet

# An upload not confirmed within this time is deleted with the next upload:
# it holds names and addresses nobody asked to keep.
IMPORT_KEPT_HOURS = 24


class ImportState(models.TextChoices):
    """Where an import is: previewed, then applied by the task worker."""

    UPLOADED = "uploaded", _("Uploaded, not confirmed")
    CONFIRMED = "confirmed", _("Confirmed, waiting to be applied")
    APPLYING = "applying", _("Being applied")
    DONE = "done", _("Done")
    # The last attempt raised; the worker tries again (core/worker.py).
    FAILED = "failed", _("Failed, to be tried again")
    # Rows the administrator had not agreed to leave out were in error when
    # the worker came to apply it (the organisation changed in between).
    STOPPED = "stopped", _("Stopped, nothing changed")


class MemberImportQuerySet(TenantQuerySet["MemberImport"]):
    def waiting(self) -> Self:
        """Uploaded, previewed perhaps, neither confirmed nor stale."""
        since = timezone.now() - timedelta(hours=IMPORT_KEPT_HOURS)
        return self.filter(state=ImportState.UPLOADED, created__gt=since)

    def stale(self) -> Self:
        since = timezone.now() - timedelta(hours=IMPORT_KEPT_HOURS)
        return self.filter(state=ImportState.UPLOADED, created__lte=since)


class MemberImport(models.Model):
    """A list of members read from an uploaded file, and what became of it.

    The file itself is never kept: only the rows read from it, by column
    meaning (organisations.memberimport), so the preview and the confirmation
    plan from the same rows without the file going back and forth. The
    confirmation only marks the import confirmed; the task worker applies it
    (organisations.memberimport_apply.apply_import). The rows are emptied
    when it is done; the counts stay, and the audit log has the rest.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file"), max_length=200, blank=True)
    # [{"line": 2, "email": ..., "name": ..., "unit": ..., ...}, ...]
    rows = models.JSONField(default=list, blank=True)
    # The columns read, by meaning, and the headers of those left unread.
    columns = models.JSONField(default=dict, blank=True)
    ignored = models.JSONField(default=list, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ImportState.choices,
        default=ImportState.UPLOADED,
    )
    confirmed = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    # Whether the administrator agreed to leave out the rows in error.
    skip_errors = models.BooleanField(default=False)
    # The task that applies it (django_tasks_db's id), once queued.
    task_id = models.CharField(max_length=64, blank=True)
    applied = models.DateTimeField(_("applied"), null=True, blank=True)
    # What applying did: {"invite": 120, "change": 14, "same": 3, "error": 2}
    counts = models.JSONField(default=dict, blank=True)

    objects = MemberImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.organisation_id})"

    audit_kind = "member import"

    def audit_name(self) -> str:
        return str(
            _("Member import of %(day)s")
            % {"day": date_format(timezone.localtime(self.created), "DATE_FORMAT")}
        )
