"""A value base and its versions: drafted, adopted on a date, superseded."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from lib.locking import LockedRowsQuerySet
from organisations import pagecache
from organisations.models import Membership, Organisation, TenantQuerySet

from .errors import (
    CitedElsewhereError,
    CitingReflection,
    ImmutableVersionError,
    RetroactiveWithoutReasonError,
)

if TYPE_CHECKING:
    from accounts.models import User

    from .content import CoreValue

# Sent when a draft is filled with a copy of another version's content, with
# `source`, `target` and `values` (the source's value pks to the copied values).
# Apps whose models build on the version's content copy their own part here, so
# this module never needs to know them.
content_copied = Signal()


@dataclass(frozen=True)
class Coming:
    """A version adopted ahead, and the one in force until it takes effect."""

    value_base: ValueBase
    version: Version
    replaces: Version | None


class ValueBaseQuerySet(TenantQuerySet["ValueBase"]):
    def for_member(self, membership: Membership) -> ValueBaseQuerySet:
        return self.for_organisation(membership.organisation)


class ValueBase(models.Model):
    """One value-base document of an organisation, e.g. the municipality-wide one."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="value_bases"
    )
    slug = models.SlugField(_("short name in addresses"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ValueBaseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("value base")
        verbose_name_plural = _("value bases")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="values_base_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, day: datetime.date) -> Version | None:
        return self.versions.in_force_on(day).first()

    def next_on(self, day: datetime.date) -> Version | None:
        """The version adopted ahead: it takes effect after `day`."""
        return (
            self.versions.adopted()
            .filter(effective_from__gt=day)
            .order_by("effective_from")
            .first()
        )

    def coming_on(self, day: datetime.date) -> Coming | None:
        """The announcement every page of the value base carries on `day`."""
        version = self.next_on(day)
        if version is None:
            return None
        return Coming(self, version, self.in_force_on(day))

    def draft(self) -> Version | None:
        return self.versions.filter(status=Version.Status.DRAFT).first()

    def latest_adopted(self) -> Version | None:
        return (
            self.versions.exclude(status=Version.Status.DRAFT)
            .order_by("-number")
            .first()
        )


class VersionQuerySet(LockedRowsQuerySet["Version"]):
    lock_error = ImmutableVersionError
    lock_message = "Adopted versions cannot be changed or deleted."

    def adopted(self) -> VersionQuerySet:
        return self.exclude(status=Version.Status.DRAFT)

    def in_force_on(self, day: datetime.date) -> VersionQuerySet:
        return self.adopted().filter(
            Q(effective_until__isnull=True) | Q(effective_until__gt=day),
            effective_from__lte=day,
        )

    def visible_to(self, membership: Membership) -> VersionQuerySet:
        """Drafts are for the people who edit the value base."""
        from organisations.models import Capability

        if membership.can(Capability.EDIT_VALUES):
            return self
        return self.adopted()

    def locked(self) -> VersionQuerySet:
        return self.exclude(status=Version.Status.DRAFT)


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    class State(models.TextChoices):
        """Where a version stands on a given day (`state_on`)."""

        DRAFT = "draft", _("Draft")
        AHEAD = "ahead", _("Adopted, not yet in force")
        IN_FORCE = "in_force", _("In force")
        SUPERSEDED = "superseded", _("Superseded")

    value_base = models.ForeignKey(
        ValueBase, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    # Set when a later version is adopted: the day that version takes over.
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    change_summary = models.TextField(_("summary of changes"), blank=True)
    # Why a version is in force from before the day it was adopted, when it is.
    retroactive_reason = models.TextField(
        _("reason for retroactive effect"), blank=True
    )
    # Chosen at adoption: members confirm that they have read what changed.
    asks_acknowledgement = models.BooleanField(
        _("asks members to confirm they have read it"), default=True
    )
    author = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["value_base", "-number"]
        verbose_name = _("value base version")
        verbose_name_plural = _("value base versions")
        constraints = [
            models.UniqueConstraint(
                fields=["value_base", "number"], name="values_version_unique_number"
            ),
            # Editors work on one draft at a time; a second would fork history.
            models.UniqueConstraint(
                fields=["value_base"],
                condition=Q(status="draft"),
                name="values_version_one_draft",
            ),
            # One version is the current one; the others are drafts or superseded.
            models.UniqueConstraint(
                fields=["value_base"],
                condition=Q(status="adopted"),
                name="values_version_one_adopted",
            ),
            # Adopted versions carry their adoption record; drafts carry none.
            models.CheckConstraint(
                condition=(
                    Q(
                        status="draft",
                        adopted_on__isnull=True,
                        effective_from__isnull=True,
                    )
                    | (
                        ~Q(status="draft")
                        & Q(adopted_on__isnull=False, effective_from__isnull=False)
                        & ~Q(adopted_by="")
                    )
                ),
                name="values_version_adoption_record",
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gt=models.F("effective_from")),
                name="values_version_period_not_empty",
            ),
            # In force before its adoption only with the reason written down.
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(effective_from__gte=models.F("adopted_on"))
                | ~Q(retroactive_reason=""),
                name="values_version_retroactive_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value_base} v{self.number}"

    @property
    def audit_organisation_id(self) -> int:
        return self.value_base.organisation_id

    def audit_name(self) -> str:
        return _("%(base)s, version %(number)s") % {
            "base": self.value_base.name,
            "number": self.number,
        }

    def adoption_summary(self) -> str:
        """The adoption as the audit log records it, in the active language."""
        # Adopted versions carry their dates (values_version_adoption_record).
        assert self.adopted_on is not None and self.effective_from is not None
        return _(
            "Adopted by %(body)s on %(adopted_on)s, in force from %(effective_from)s"
        ) % {
            "body": self.adopted_by,
            "adopted_on": formats.date_format(self.adopted_on),
            "effective_from": formats.date_format(self.effective_from),
        }

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    # Set by `adopt` on the version it supersedes, for that one save.
    _superseding = False

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return (
            Version.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = self._stored_status()
        if stored is not None and stored != self.Status.DRAFT:
            # The one change history allows: a later version supersedes this one.
            allowed = {"status", "effective_until", "modified"}
            fields = kwargs.get("update_fields")
            if not (
                self._superseding and fields is not None and set(fields) <= allowed
            ):
                raise ImmutableVersionError(
                    f"Version {self.number} is {stored} and cannot be changed."
                )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_status() not in (None, self.Status.DRAFT):
            raise ImmutableVersionError("Adopted versions cannot be deleted.")
        return super().delete(*args, **kwargs)

    def check_editable(self) -> None:
        if not self.is_draft:
            raise ImmutableVersionError(
                f"Version {self.number} is {self.status} and cannot be changed."
            )

    def is_in_force_on(self, day: datetime.date) -> bool:
        if self.is_draft:
            return False
        # Adopted versions carry their dates (values_version_adoption_record).
        assert self.effective_from is not None
        return self.effective_from <= day and (
            self.effective_until is None or day < self.effective_until
        )

    def state_on(self, day: datetime.date) -> str:
        """Where the version stands on `day`, as a reader sees it.

        `status` records what editors did (a later adoption supersedes the
        version before it at once); the state says what is in force: a version
        adopted ahead is adopted and waits for its day, and the one before it
        stays in force until then.
        """
        if self.is_draft:
            return self.State.DRAFT
        # Adopted versions carry their dates (values_version_adoption_record).
        assert self.effective_from is not None
        if day < self.effective_from:
            return self.State.AHEAD
        if self.effective_until is not None and self.effective_until <= day:
            return self.State.SUPERSEDED
        return self.State.IN_FORCE

    def state_label_on(self, day: datetime.date) -> str:
        state = self.state_on(day)
        if state == self.State.AHEAD:
            assert self.effective_from is not None  # state_on found it ahead of `day`
            return _("Adopted – takes effect on %(date)s") % {
                "date": formats.date_format(self.effective_from, "DATE_FORMAT")
            }
        if state == self.State.SUPERSEDED:
            assert self.effective_until is not None  # state_on found it ended
            return _("Superseded on %(date)s") % {
                "date": formats.date_format(self.effective_until, "DATE_FORMAT")
            }
        return str(self.State(state).label)

    @property
    def state_today(self) -> str:
        return self.state_on(timezone.localdate())

    @property
    def state_label_today(self) -> str:
        return self.state_label_on(timezone.localdate())

    def status_on(self, day: datetime.date) -> str:
        """The status as a reader on `day` sees it.

        Adopting a version ahead supersedes the one before it at once (a base
        has one adopted version), but that one stays in force, and reads as
        adopted, until the new one takes effect.
        """
        if self.status == self.Status.SUPERSEDED and self.is_in_force_on(day):
            return self.Status.ADOPTED
        return self.status

    @transaction.atomic
    def adopt(
        self,
        *,
        adopted_on: datetime.date,
        adopted_by: str,
        effective_from: datetime.date,
        retroactive_reason: str = "",
        asks_acknowledgement: bool = True,
    ) -> Version:
        """Adopt this draft; the version before it is superseded in the same step.

        Refused (AdoptionError) when the version would be in force before it was
        adopted without a reason, or on a day for which signed-off reflections
        already cite another version.
        """
        version = Version.objects.select_for_update().get(pk=self.pk)
        version.check_editable()
        retroactive_reason = retroactive_reason.strip()
        if effective_from < adopted_on and not retroactive_reason:
            raise RetroactiveWithoutReasonError(
                "effective_from is before adopted_on and no reason was given."
            )
        if effective_from >= adopted_on:
            retroactive_reason = ""
        cited = self.reflections_citing_others_from(effective_from)
        if cited:
            raise CitedElsewhereError(cited)
        previous = (
            Version.objects.select_for_update()
            .filter(value_base_id=self.value_base_id, status=self.Status.ADOPTED)
            .first()
        )
        if previous is not None:
            previous._supersede_from(effective_from)
        self.status = self.Status.ADOPTED
        self.adopted_on = adopted_on
        self.adopted_by = adopted_by
        self.effective_from = effective_from
        self.effective_until = None
        self.retroactive_reason = retroactive_reason
        self.asks_acknowledgement = asks_acknowledgement
        # The stored row is still a draft, so this save is allowed.
        self.save(
            update_fields=[
                "status",
                "adopted_on",
                "adopted_by",
                "effective_from",
                "effective_until",
                "retroactive_reason",
                "asks_acknowledgement",
                "modified",
            ]
        )
        return self

    def _supersede_from(self, day: datetime.date) -> None:
        """This adopted version gives way to the next, in force from `day`."""
        assert self.effective_from is not None  # adopted, so it carries it
        if day <= self.effective_from:
            raise ValueError("effective_from must be after the current version's.")
        self.status = self.Status.SUPERSEDED
        self.effective_until = day
        self._superseding = True
        self.save(update_fields=["status", "effective_until", "modified"])

    def reflections_citing_others_from(
        self, day: datetime.date
    ) -> list[CitingReflection]:
        """Signed-off reflections held on or after `day` (in the organisation's
        time zone) that are pinned to another version of this value base.

        Adopting this version from `day` would put it in force on their dates,
        while they cite the version that was in force then.
        """
        zone = ZoneInfo(self.value_base.organisation.time_zone)
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        found: list[CitingReflection] = []
        # Read through the reflections' own relation: this module builds below
        # the reflections app and does not import it.
        for other in self.value_base.versions.adopted().exclude(pk=self.pk):
            found.extend(
                other.reflections.signed_off()
                .filter(meeting__start__gte=start)
                .select_related("meeting__group", "version")
            )
        return sorted(found, key=lambda reflection: reflection.meeting.start)

    @transaction.atomic
    def start_next_draft(self, *, author: User | None) -> Version:
        """A new draft of the value base, copying this version's content."""
        base = self.value_base
        number = (base.versions.aggregate(m=models.Max("number"))["m"] or 0) + 1
        draft = Version.objects.create(
            value_base=base,
            number=number,
            title=self.title,
            author=author,
        )
        draft.copy_content_from(self)
        return draft

    def copy_content_from(self, source: Version) -> None:
        """Copy the sections, legal bases, values and commitments of `source`.

        Each kind is written in one statement: the copies are new rows of a
        draft, so the only thing a save of each would add, retiring the kept
        pages of the organisation, is done once at the end.
        """
        from .content import LegalBasis, Section

        self.check_editable()
        Section.objects.bulk_create(
            [
                Section(
                    version=self,
                    key=section.key,
                    title=section.title,
                    body=section.body,
                    position=section.position,
                )
                for section in source.sections.all()
            ]
        )
        LegalBasis.objects.bulk_create(
            [
                LegalBasis(
                    version=self,
                    key=basis.key,
                    law=basis.law,
                    reference=basis.reference,
                    text=basis.text,
                    position=basis.position,
                )
                for basis in source.legal_bases.all()
            ]
        )
        new_values = self._copy_values(source)
        # Content kept by apps that build on this one (guidelines) copies itself.
        content_copied.send(
            sender=Version, source=source, target=self, values=new_values
        )
        # What a save of each copy would have done (values/signals.py).
        pagecache.changed(self.value_base.organisation_id)

    def _copy_values(self, source: Version) -> dict[int, CoreValue]:
        """Copy the values of `source` and their commitments; the copies by the
        originals' ids."""
        from .content import Commitment, CoreValue

        originals = list(source.values.prefetch_related("commitments"))
        copies = CoreValue.objects.bulk_create(
            [
                CoreValue(
                    version=self,
                    key=value.key,
                    title=value.title,
                    description=value.description,
                    easy_read=value.easy_read,
                    position=value.position,
                )
                for value in originals
            ]
        )
        new_values = {
            value.pk: copy for value, copy in zip(originals, copies, strict=True)
        }
        Commitment.objects.bulk_create(
            [
                Commitment(
                    value=new_values[value.pk],
                    key=commitment.key,
                    text=commitment.text,
                    position=commitment.position,
                )
                for value in originals
                for commitment in value.commitments.all()
            ]
        )
        return new_values
