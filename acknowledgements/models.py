"""Members confirm that they have read what a new version changed for them.

An Acknowledgement is the one thing kept about a person's reading of the value
base: that they confirmed, and when. It is written once, audited, and kept for
as long as the version (versions are never deleted). A Notice is the proof
that an e-mail about a version went out to a person, written in the
transaction that sends it, so no mail goes twice.
"""

from __future__ import annotations

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Unit
from values.models import Version


class AcknowledgementQuerySet(models.QuerySet["Acknowledgement"]):
    def of(self, version: Version) -> AcknowledgementQuerySet:
        return self.filter(version=version)


class Acknowledgement(models.Model):
    version = models.ForeignKey(
        Version, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    acknowledged = models.DateTimeField(_("confirmed"), default=timezone.now)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["version", "acknowledged", "pk"]
        verbose_name = _("confirmation of reading")
        verbose_name_plural = _("confirmations of reading")
        constraints = [
            # Recorded once: a second click keeps the first time.
            models.UniqueConstraint(
                fields=["version", "membership"],
                name="acknowledgements_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.version}"

    audit_kind = "acknowledgement"

    @property
    def audit_organisation_id(self) -> int:
        return self.membership.organisation_id

    @property
    def audit_unit(self) -> Unit | None:
        return self.membership.unit

    def audit_name(self) -> str:
        return str(
            _("%(base)s, version %(number)s, confirmed as read on %(day)s")
            % {
                "base": self.version.value_base.name,
                "number": self.version.number,
                "day": formats.date_format(
                    timezone.localtime(self.acknowledged), "DATE_FORMAT"
                ),
            }
        )


class Notice(models.Model):
    """An e-mail about a version sent to one member: the announcement or a reminder."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("What changed")
        REMINDER = "reminder", _("Reminder to confirm")

    version = models.ForeignKey(
        Version, on_delete=models.PROTECT, related_name="notices"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The organisation's day: the version's first day for the announcement,
    # the day it went out for a reminder.
    day = models.DateField()
    sent = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent"]
        verbose_name = _("sent notice")
        verbose_name_plural = _("sent notices")
        constraints = [
            # At most one reminder a day; a second sender cannot record it.
            models.UniqueConstraint(
                fields=["version", "membership", "kind", "day"],
                name="acknowledgements_notice_once_a_day",
            ),
            # One announcement per person and version, whatever the day.
            models.UniqueConstraint(
                fields=["version", "membership"],
                condition=models.Q(kind="announcement"),
                name="acknowledgements_announced_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.version}"
