"""Dilemmas: real, de-identified cases a group reflects on.

Case texts are visible only to the group's members and facilitators and to
managers of its unit and the units above (`Dilemma.objects.for_member`); every
reading of a case text is written to the audit log, and every time someone
saves a text past the identifier guard the reason is kept in GuardOverride
(never the matched value) besides an audit row.
"""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import Self

from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEvent
from organisations.models import (
    Membership,
    Organisation,
    ReflectionGroup,
    TenantQuerySet,
    Unit,
    member_group_ids,
)

# The tensions social services name most often; each organisation gets its own
# editable copy, written in its language when first needed.
COMMON_TENSIONS = [
    ("child-adult", _("The child's best vs the adult's best")),
    ("care-autonomy", _("Duty of care vs the right to self-determination")),
    ("individual-family", _("The individual vs the family or network")),
    ("need-priority", _("Great need vs lesser need")),
    ("needs-budget", _("The individual's needs vs the budget")),
]


class ValueTensionQuerySet(TenantQuerySet["ValueTension"]):
    def seeded_for(self, organisation: Organisation) -> Self:
        """The organisation's tensions, seeded with the common ones on first use."""
        if not self.model.objects.filter(organisation=organisation).exists():
            with translation.override(organisation.language):
                self.model.objects.bulk_create(
                    [
                        self.model(
                            organisation=organisation,
                            key=key,
                            title=str(title),
                            position=position,
                        )
                        for position, (key, title) in enumerate(COMMON_TENSIONS)
                    ],
                    ignore_conflicts=True,
                )
        return self.for_organisation(organisation)


class ValueTension(models.Model):
    """A recurring pair of goods in conflict, e.g. duty of care vs autonomy."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="value_tensions"
    )
    key = models.SlugField(_("key"), max_length=60)
    title = models.CharField(_("value tension"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ValueTensionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("value tension")
        verbose_name_plural = _("value tensions")
        constraints = [
            # Seeding twice (two first requests at once) must not duplicate.
            models.UniqueConstraint(
                fields=["organisation", "key"], name="dilemmas_tension_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DilemmaQuerySet(TenantQuerySet["Dilemma"]):
    def for_member(self, membership: Membership) -> Self:
        """Dilemmas the member may read: see `ReflectionGroup.case_readable_by`."""
        return self.filter(
            organisation=membership.organisation,
            group_id__in=member_group_ids(membership).headed,
        )

    def open(self) -> Self:
        return self.exclude(status=Dilemma.Status.CLOSED)


class Dilemma(models.Model):
    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        ON_AGENDA = "on_agenda", _("On an agenda")
        DISCUSSED = "discussed", _("Discussed")
        CLOSED = "closed", _("Closed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dilemmas"
    )
    group = models.ForeignKey(
        ReflectionGroup,
        on_delete=models.PROTECT,
        related_name="dilemmas",
        verbose_name=_("group"),
    )
    # Known to the product for access control even when anonymous to the group.
    author = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        related_name="raised_dilemmas",
    )
    anonymous = models.BooleanField(
        _("anonymous to the group"),
        default=False,
        help_text=_("The group does not see who raised the dilemma."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"),
        help_text=_(
            "Describe the situation without names, personal identity numbers, "
            "addresses or other details that identify anyone."
        ),
    )
    question = models.CharField(
        _("the question"),
        max_length=300,
        help_text=_("For example: should we do A or B?"),
    )
    tensions = models.ManyToManyField(
        ValueTension,
        blank=True,
        related_name="dilemmas",
        verbose_name=_("value tensions"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RAISED
    )
    created = models.DateTimeField(_("raised"), auto_now_add=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)
    # Set when the retention rule erased the texts; what remains is counts,
    # tensions and dates (reflections.retention).
    erased = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = DilemmaQuerySet.as_manager()

    class Meta:
        # The primary key breaks ties between cases raised in the same instant
        # (a bulk import, a demo), so that pages of the list neither repeat
        # nor skip a dilemma.
        ordering = ["-created", "-pk"]
        verbose_name = _("dilemma")
        verbose_name_plural = _("dilemmas")
        indexes = [
            models.Index(fields=["group", "status"], name="dilemmas_group_status"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.erased:
            return str(_("Erased dilemma"))
        return self.title

    def author_shown_to(self, membership: Membership) -> Membership | None:
        """Who raised it, as far as `membership` may know."""
        if self.anonymous and self.author_id != membership.pk:
            return None
        return self.author

    @property
    def audit_unit(self) -> Unit:
        return self.group.unit

    def audit_name(self) -> str:
        """How the audit log names it: never by its title, which is case text."""
        return _("Dilemma raised in %(group)s on %(day)s") % {
            "group": self.group.name,
            "day": formats.date_format(timezone.localtime(self.created)),
        }

    @cached_property
    def voice_entries(self) -> list[VoiceEntry]:
        """Each kind of voice with its record, if any (see `voice_entries`)."""
        return voice_entries(self)

    @property
    def missing_voices(self) -> list[VoiceEntry]:
        """The kinds of voice not recorded, or recorded as not asked yet."""
        return [entry for entry in self.voice_entries if entry.missing]

    def set_status(self, status: str) -> None:
        self.status = status
        self.save(update_fields=["status", "changed"])


class Voice(models.Model):
    """The view of someone the case is about or who speaks for them.

    One per kind and dilemma: the person themselves, their relatives or
    network, and a representative (a personal ombudsman, a guardian). Whether
    and how they were asked is kept when the retention rule erases the case
    (insights count it); why not, and what they want in their own words, are
    case text: guarded like the rest and erased with it.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("The person's own view")
        NETWORK = "network", _("Relatives or network")
        REPRESENTATIVE = "representative", _("A representative")

    class Asked(models.TextChoices):
        IN_PERSON = "in_person", _("Yes, in person")
        THROUGH_REPRESENTATIVE = (
            "through_representative",
            _("Yes, through a representative"),
        )
        NOT_ASKED = "not_asked", _("Not asked yet")
        NOT_POSSIBLE = "not_possible", _("Not possible")
        NO_ONE = "no_one", _("There is no one in this role")

    # Answers under which a view was given, in one's own words.
    HEARD = (Asked.IN_PERSON, Asked.THROUGH_REPRESENTATIVE)
    # Answers that leave the voice missing from the case.
    MISSING = (Asked.NOT_ASKED,)

    dilemma = models.ForeignKey(
        Dilemma, on_delete=models.CASCADE, related_name="voices"
    )
    kind = models.CharField(_("whose view"), max_length=16, choices=Kind.choices)
    asked = models.CharField(_("asked"), max_length=24, choices=Asked.choices)
    why_not = models.TextField(_("why it was not possible"), blank=True)
    wishes = models.TextField(_("what they want, in their own words"), blank=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["dilemma", "kind"]
        verbose_name = _("voice")
        verbose_name_plural = _("voices")
        constraints = [
            models.UniqueConstraint(
                fields=["dilemma", "kind"], name="dilemmas_one_voice_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_asked_display()}"

    @property
    def heard(self) -> bool:
        return self.asked in self.HEARD


class VoiceEntry:
    """One kind of voice on a page: its record, or None when not recorded."""

    def __init__(self, kind: Voice.Kind, voice: Voice | None) -> None:
        self.kind = kind
        self.label = kind.label
        self.voice = voice

    @property
    def missing(self) -> bool:
        return self.voice is None or self.voice.asked in Voice.MISSING


def voice_entries(dilemma: Dilemma) -> list[VoiceEntry]:
    """The dilemma's voices in the order of their kinds, from `voices.all()`
    (prefetch it where many dilemmas are shown)."""
    by_kind = {voice.kind: voice for voice in dilemma.voices.all()}
    return [VoiceEntry(kind, by_kind.get(kind)) for kind in Voice.Kind]


class GuardOverride(models.Model):
    """A text saved although the identifier guard found something, and why."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("saved in"), max_length=40)
    object_uuid = models.UUIDField(_("object"), null=True, blank=True)
    # Kinds of identifier and field names only: the matched values are never kept.
    identifier_kinds = models.JSONField(_("kinds of identifier"), default=list)
    fields = models.JSONField(_("fields"), default=list)
    reason = models.TextField(_("reason"))
    created = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("identifier guard override")
        verbose_name_plural = _("identifier guard overrides")

    def __str__(self) -> str:
        return f"{self.kind} {self.created:%Y-%m-%d %H:%M}"

    @classmethod
    def record_from(
        cls, form: object, *, membership: Membership, obj: models.Model
    ) -> GuardOverride | None:
        """Keep the form's override, if the guard was overridden at all."""
        override = getattr(form, "guard_override", None)
        if not override:
            return None
        AuditEvent.record(
            action=Action.OVERRIDE,
            obj=obj,
            membership=membership,
        )
        return cls.objects.create(
            organisation_id=membership.organisation_id,
            membership=membership,
            kind=obj._meta.model_name,
            object_uuid=getattr(obj, "uuid", None),
            identifier_kinds=list(override.get("kinds", [])),
            fields=list(override.get("fields", [])),
            reason=override["reason"],
        )
