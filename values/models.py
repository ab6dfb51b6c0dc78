"""The value base: a legal-style document adopted on a date and never rewritten.

A ValueBase has numbered Versions. A version is a *draft* while editors work on
it, then *adopted* (on a date, by a body, effective from a date), and finally
*superseded* when a later version is adopted. Adopted and superseded versions,
and everything in them, are immutable: model saves and deletes, QuerySet
updates and deletes, the admin and the forms all refuse, and on PostgreSQL
database triggers refuse too (see migration 0002).

Items keep a stable `key` across versions so that versions can be compared and
a guideline's history followed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lib.locking import LockedRowsQuerySet
from lib.markdown import to_plain
from organisations.models import Membership, Organisation, TenantQuerySet

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from accounts.models import User

# Sent when a draft is filled with a copy of another version's content, with
# `source`, `target` and `values` (the source's value pks to the copied values).
# Apps whose models build on the version's content copy their own part here, so
# this module never needs to know them.
content_copied = Signal()


# Letters that Unicode does not decompose into a base letter and a mark; the
# others (å, ä, ö, é, ü…) lose their marks in slugify().
TRANSLITERATION = str.maketrans(
    {"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ß": "ss", "đ": "d", "ł": "l"}
)
# Keys as they have always been written; kept exactly as given.
PLAIN_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KEY_BASE_LENGTH = 60


def key_from(text: str) -> str:
    """A key made from a title or a key in any letters: "Chefer på enheten" ->
    "chefer-pa-enheten". Empty when nothing in it is a letter a-z or a digit."""
    if PLAIN_KEY_RE.match(text):
        return text
    return slugify(text.translate(TRANSLITERATION))[:KEY_BASE_LENGTH].strip("-_")


def unique_key(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not taken yet."""
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


class ImmutableVersionError(Exception):
    """Raised on any attempt to change an adopted or superseded version."""


class AdoptionError(ValueError):
    """An adoption that would make the value base's history untrue."""


class RetroactiveWithoutReasonError(AdoptionError):
    """The version would be in force before it was adopted, and no reason was given."""


class CitedElsewhereError(AdoptionError):
    """Signed-off reflections on or after the effective date cite another version.

    `reflections` lists them, earliest meeting first.
    """

    def __init__(self, reflections: list[CitingReflection]):
        self.reflections = reflections
        super().__init__(
            f"{len(reflections)} signed-off reflections cite another version."
        )


class _CitingGroup(Protocol):
    @property
    def name(self) -> str: ...


class _CitingMeeting(Protocol):
    @property
    def start(self) -> datetime.datetime: ...

    @property
    def group(self) -> _CitingGroup: ...


class CitingReflection(Protocol):
    """A signed-off reflection as this app reads it.

    The reflections app builds above this one, so its model is not imported here.
    """

    @property
    def meeting(self) -> _CitingMeeting: ...

    @property
    def version(self) -> Version | None: ...


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
        self.check_editable()
        for section in source.sections.all():
            Section.objects.create(
                version=self,
                key=section.key,
                title=section.title,
                body=section.body,
                position=section.position,
            )
        for basis in source.legal_bases.all():
            LegalBasis.objects.create(
                version=self,
                key=basis.key,
                law=basis.law,
                reference=basis.reference,
                text=basis.text,
                position=basis.position,
            )
        new_values: dict[int, CoreValue] = {}
        for value in source.values.prefetch_related("commitments"):
            copy = CoreValue.objects.create(
                version=self,
                key=value.key,
                title=value.title,
                description=value.description,
                position=value.position,
            )
            new_values[value.pk] = copy
            for commitment in value.commitments.all():
                Commitment.objects.create(
                    value=copy,
                    key=commitment.key,
                    text=commitment.text,
                    position=commitment.position,
                )
        # Content kept by apps that build on this one (guidelines) copies itself.
        content_copied.send(
            sender=Version, source=source, target=self, values=new_values
        )


class ContentQuerySet[C: VersionContent](LockedRowsQuerySet[C]):
    """Refuses bulk changes that would touch an adopted version."""

    lock_error = ImmutableVersionError
    lock_message = "Content of adopted versions is fixed."
    version_path = "version"

    def locked(self) -> Self:
        return self.exclude(**{f"{self.version_path}__status": Version.Status.DRAFT})

    def bulk_create(self, objs: Iterable[C], *args: Any, **kwargs: Any) -> list[C]:
        for obj in objs:
            obj.get_version().check_editable()
        return super().bulk_create(objs, *args, **kwargs)


class VersionContent(models.Model):
    """Shared behaviour of everything inside a version: keyed, ordered, immutable."""

    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Raised on every save; an edit form sends the revision it started from so a
    # second editor saving over the first gets a conflict instead of a silent loss.
    revision = models.PositiveIntegerField(default=1, editable=False)

    if TYPE_CHECKING:
        # Every concrete model but Commitment sits directly in a version;
        # Commitment overrides get_version and siblings.
        version: models.ForeignKey[Version | Combinable, Version]
        version_id: int

    class Meta:
        abstract = True

    def get_version(self) -> Version:
        return self.version

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.get_version().check_editable()
        if not self.key:
            self.key = self.make_key()
        if self.pk is not None:
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.get_version().check_editable()
        return super().delete(*args, **kwargs)

    def key_source(self) -> str:
        return ""

    def siblings(self) -> models.QuerySet[VersionContent]:
        """The items among which this one's key must be unique."""
        return type(self)._default_manager.filter(Q(version_id=self.version_id))

    def make_key(self) -> str:
        base = key_from(self.key_source()) or str(self._meta.model_name)
        return unique_key(base, set(self.siblings().values_list("key", flat=True)))


class SectionQuerySet[C: VersionContent](ContentQuerySet[C]):
    pass


class Section(VersionContent):
    """Free text: background, who we are here for, what a value base is."""

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"))

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="values_section_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def key_source(self) -> str:
        return self.title


class LegalBasis(VersionContent):
    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="legal_bases"
    )
    law = models.CharField(_("law"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    text = models.TextField(_("text"))

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="values_legal_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law} {self.reference}".strip()

    def key_source(self) -> str:
        return f"{self.law} {self.reference}"


class CoreValue(VersionContent):
    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="values"
    )
    title = models.CharField(_("value"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("core value")
        verbose_name_plural = _("core values")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="values_value_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def key_source(self) -> str:
        return self.title


class CommitmentQuerySet(ContentQuerySet["Commitment"]):
    version_path = "value__version"


class Commitment(VersionContent):
    """A concrete promise under a core value ("we listen before we decide")."""

    value = models.ForeignKey(
        CoreValue, on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.TextField(_("commitment"))

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["value", "position", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["value", "key"], name="values_commitment_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_version(self) -> Version:
        return self.value.version

    def siblings(self) -> models.QuerySet[VersionContent]:
        return Commitment.objects.filter(value_id=self.value_id)

    def key_source(self) -> str:
        return " ".join(to_plain(self.text).split()[:5])
