from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import person_label


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."), code="invalid")


class Organisation(models.Model):
    """A tenant: one municipality's social services, or one of its services."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Stockholm",
        validators=[validate_time_zone],
    )
    retention_days = models.PositiveIntegerField(
        _("retention period in days"),
        default=settings.DEFAULT_RETENTION_DAYS,
        help_text=_(
            "Dilemma and reflection texts are erased this long after the case "
            "was last worked on. Counts, value tensions, cited values and dates "
            "are kept."
        ),
    )
    require_mfa = models.BooleanField(
        _("require two-factor sign-in for editors and admins"), default=True
    )
    idle_minutes = models.PositiveSmallIntegerField(
        _("sign out after minutes without activity"),
        default=30,
        help_text=_(
            "People are signed out when they have done nothing for this long. "
            "Between 5 minutes and 8 hours."
        ),
    )
    evaluation_minimum = models.PositiveSmallIntegerField(
        _("fewest answers before evaluation results are shown"),
        default=5,
        help_text=_(
            "Results of a session evaluation are shown, in aggregate only, once "
            "at least this many have answered. At least 3."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            # Anything shorter than a day would erase records before anyone
            # could act on them; the form says so, the database enforces it.
            models.CheckConstraint(
                condition=Q(retention_days__gte=30),
                name="organisations_retention_at_least_30_days",
            ),
            # Shorter than five minutes cuts people off mid-sentence; longer
            # than a working day is no timeout.
            models.CheckConstraint(
                condition=Q(idle_minutes__gte=5, idle_minutes__lte=480),
                name="organisations_idle_timeout_in_range",
            ),
            # With one or two answers everyone who took part could tell whose
            # they were; an aggregate needs at least three behind it.
            models.CheckConstraint(
                condition=Q(evaluation_minimum__gte=3, evaluation_minimum__lte=50),
                name="organisations_evaluation_minimum_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return self.name


class TenantQuerySet(models.QuerySet):
    """Every tenant-owned model answers `for_organisation` and nothing else leaks."""

    def for_organisation(self, organisation: Organisation):
        return self.filter(organisation=organisation)


class UnitQuerySet(TenantQuerySet):
    def current(self):
        """Units in use: not archived."""
        return self.filter(archived__isnull=True)


class Unit(models.Model):
    """A node in the organisation's tree: administration -> area -> unit."""

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration")
        AREA = "area", _("Area")
        UNIT = "unit", _("Unit")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIT
    )
    # Archived units keep their history (groups, reflections, the audit log)
    # but take no new members or groups and leave the pickers.
    archived = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"],
                name="organisations_unit_unique_name_in_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self) -> Unit:
        return self

    def audit_name(self) -> str:
        return self.name

    def blockers(self) -> dict[str, int]:
        """What must move or be archived before this unit can be archived."""
        return {
            "units": self.children.filter(archived__isnull=True).count(),
            "members": self.memberships.filter(is_active=True).count(),
            "groups": self.groups.count(),
        }

    def clean(self) -> None:
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("A unit cannot be part of itself.")})
            if node.organisation_id != self.organisation_id:
                raise ValidationError(
                    {"parent": _("Choose a unit of the same organisation.")}
                )
            seen.add(node.pk)
            node = node.parent


def unit_tree(units: Iterable[Unit]) -> list[tuple[Unit, int]]:
    """Units in depth-first order with their depth, from one list (no extra queries).

    A unit whose parent is not in the list (a manager's own unit, say) is a root.
    """
    units = list(units)
    ids = {unit.pk for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.name):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def tree_choices(units: Iterable[Unit]) -> list[tuple[int, str]]:
    """(id, label) in tree order, each label indented by its depth."""
    indent = "\u00a0" * 3
    return [(unit.pk, indent * depth + unit.name) for unit, depth in unit_tree(units)]


def descendant_ids(units: Iterable[Unit], root_id: int) -> set[int]:
    """The ids of a unit and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.pk)
    found, stack = set(), [root_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    FACILITATOR = "facilitator", _("Facilitator")
    MANAGER = "manager", _("Manager")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


class Capability(models.TextChoices):
    """What a role allows. Views ask for a capability, never for a role."""

    READ = "read", _("read the value base and take part")
    FACILITATE = "facilitate", _("run reflection sessions")
    MANAGE = "manage", _("schedule discussions and follow units")
    EDIT_VALUES = "edit_values", _("edit the value base")
    ADMINISTER = "administer", _("administer members and settings")


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.STAFF: frozenset({Capability.READ}),
    Role.FACILITATOR: frozenset({Capability.READ, Capability.FACILITATE}),
    Role.MANAGER: frozenset(
        {Capability.READ, Capability.FACILITATE, Capability.MANAGE}
    ),
    Role.EDITOR: frozenset({Capability.READ, Capability.EDIT_VALUES}),
    Role.ADMIN: frozenset(Capability.values),
}

# Roles whose members must use two-factor sign-in where the organisation asks for it.
MFA_ROLES = frozenset({Role.EDITOR, Role.ADMIN})


class MembershipQuerySet(TenantQuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)

    def for_user(self, user):
        return self.active().filter(user=user).select_related("organisation", "unit")

    def with_role(self, *roles: str):
        return self.filter(role__in=roles)


class Membership(models.Model):
    """A person in one organisation, with one role and a home unit."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.STAFF
    )
    audiences = models.ManyToManyField(
        "guidelines.Audience",
        blank=True,
        related_name="memberships",
        verbose_name=_("guideline audiences"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("added"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="organisations_one_membership_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    @property
    def audit_unit(self) -> Unit | None:
        return self.unit

    def audit_name(self) -> str:
        return person_label(self.user)

    def can(self, capability: str) -> bool:
        return capability in ROLE_CAPABILITIES[self.role]

    @property
    def needs_mfa(self) -> bool:
        return self.organisation.require_mfa and self.role in MFA_ROLES

    def is_last_admin(self) -> bool:
        others = (
            Membership.objects.for_organisation(self.organisation)
            .active()
            .with_role(Role.ADMIN)
            .exclude(pk=self.pk)
        )
        return self.role == Role.ADMIN and not others.exists()

    def managed_unit_ids(self) -> set[int]:
        """Units this member manages: their unit and all below it (admins: all)."""
        if self.role == Role.ADMIN:
            return {unit.pk for unit in self._organisation_units()}
        return self.headed_unit_ids()

    def headed_unit_ids(self) -> set[int]:
        """Units a manager heads: their own unit and every unit below it.

        Unlike `managed_unit_ids`, an administrator heads no unit by role alone:
        this is what gives a manager the right to read the cases of a unit.
        """
        if self.role != Role.MANAGER or self.unit_id is None:
            return set()
        return descendant_ids(self._organisation_units(), self.unit_id)

    def _organisation_units(self) -> list[Unit]:
        """The organisation's tree, read once per membership object.

        A page asks who manages what several times over (the lists, the
        dashboard's next steps, the panels); a view's membership is loaded
        fresh for each request, so this never outlives one.
        """
        key = (self.organisation_id, self.role, self.unit_id)
        cached = getattr(self, "_units_cache", None)
        if cached is None or cached[0] != key:
            units = Unit.objects.for_organisation(self.organisation_id).only(
                "pk", "parent"
            )
            cached = (key, list(units))
            self._units_cache = cached
        return cached[1]


class ReflectionGroupQuerySet(TenantQuerySet):
    def joined_by(self, membership: Membership):
        """Groups the member belongs to or facilitates."""
        return self.for_organisation(membership.organisation).filter(
            pk__in=group_ids_of(membership)
        )

    def for_member(self, membership: Membership):
        """Groups a member may see: their own, and those in units they manage."""
        groups = self.for_organisation(membership.organisation)
        if membership.role == Role.ADMIN:
            return groups
        return groups.filter(
            pk__in=group_ids_of(membership, units=membership.managed_unit_ids())
        )

    def case_readable_by(self, membership: Membership):
        """Groups whose dilemmas and reflections the member may read.

        The group's members and facilitators, and the managers of its unit and
        of the units above it. An administrator or editor reads no case by
        virtue of that role alone (see docs/privacy.md).
        """
        return self.for_organisation(membership.organisation).filter(
            pk__in=group_ids_of(membership, units=membership.headed_unit_ids())
        )


def group_ids_of(membership: Membership, units: set[int] = frozenset()):
    """A subquery: ids of the member's own groups, and of the groups in `units`.

    A UNION of the two through tables, each read through its index on
    membership_id, rather than an OR across two joins: that needs DISTINCT
    and leads PostgreSQL to read every membership row of the country. It is
    also what callers that annotate counts over members need: no join here
    cuts their rows down.
    """
    through = (ReflectionGroup.members.through, ReflectionGroup.facilitators.through)
    parts = [
        model.objects.filter(membership_id=membership.pk)
        .values("reflectiongroup_id")
        .order_by()
        for model in through
    ]
    if units:
        parts.append(
            ReflectionGroup.objects.filter(
                organisation_id=membership.organisation_id, unit__in=units
            )
            .values("pk")
            .order_by()
        )
    return parts[0].union(*parts[1:])


class ReflectionGroup(models.Model):
    """A standing group that meets for ethics reflection, led by facilitators."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="groups"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="groups", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    facilitators = models.ManyToManyField(
        Membership,
        blank=True,
        related_name="facilitated_groups",
        verbose_name=_("facilitators"),
    )
    members = models.ManyToManyField(
        Membership,
        blank=True,
        related_name="reflection_groups",
        verbose_name=_("members"),
    )
    anonymous_positions = models.BooleanField(
        _("reveal positions without names"),
        default=False,
        help_text=_(
            "When the facilitator reveals the written positions, the group sees "
            "what was written but not by whom. The facilitator can choose "
            "otherwise for one session."
        ),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder, hours before a meeting"),
        default=24,
        help_text=_("Members get a reminder this long before each meeting."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReflectionGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("reflection group")
        verbose_name_plural = _("reflection groups")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="organisations_group_unique_name",
            ),
            # A reminder more than two weeks ahead is no reminder; zero turns it off.
            models.CheckConstraint(
                condition=Q(reminder_hours__lte=336),
                name="organisations_group_reminder_within_two_weeks",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self) -> Unit:
        return self.unit

    def audit_name(self) -> str:
        return self.name


# An invitation link works this long; an administrator can send a new one.
INVITATION_DAYS = 14


class InvitationQuerySet(TenantQuerySet):
    def open(self):
        """Neither accepted nor withdrawn (possibly expired)."""
        return self.filter(accepted__isnull=True, withdrawn__isnull=True)

    def pending(self):
        return self.open().filter(expires__gt=timezone.now())


class Invitation(models.Model):
    """An address asked to join the organisation in a role.

    Nobody becomes a member by an administrator typing their address: the
    membership is made when the person opens the link sent to that address and
    accepts, with a new account or the one they already have. The link is a
    signature over the invitation and the number of times it was sent, so a
    new sending or a withdrawal makes the earlier links worthless and no
    secret is stored.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.STAFF
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    audiences = models.ManyToManyField(
        "guidelines.Audience",
        blank=True,
        related_name="+",
        verbose_name=_("guideline audiences"),
    )
    invited_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("invited"), auto_now_add=True)
    sent = models.DateTimeField(_("last sent"), default=timezone.now)
    sendings = models.PositiveSmallIntegerField(default=1)
    expires = models.DateTimeField(_("expires"))
    accepted = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        # The primary key last: pages of a list need a unique order.
        ordering = ["-sent", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address and organisation: sending again
            # renews it rather than adding a second link.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted__isnull=True, withdrawn__isnull=True),
                name="organisations_one_open_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"

    @property
    def audit_unit(self) -> Unit | None:
        return self.unit

    def audit_name(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    SALT = "etikrum.invitation"

    def token(self) -> str:
        return signing.dumps([str(self.uuid), self.sendings], salt=self.SALT)

    @classmethod
    def from_token(cls, token: str) -> Invitation | None:
        try:
            invitation_uuid, sendings = signing.loads(token, salt=cls.SALT)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        invitation = (
            cls.objects.filter(uuid=invitation_uuid)
            .select_related("organisation", "unit")
            .first()
        )
        if invitation is None or invitation.sendings != sendings:
            return None
        return invitation

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.accepted is None and self.withdrawn is None

    def renew(self) -> None:
        """A new link, valid for another INVITATION_DAYS; the old one stops working."""
        self.sendings += 1
        self.sent = timezone.now()
        self.expires = self.sent + timedelta(days=INVITATION_DAYS)
        self.save(update_fields=["sendings", "sent", "expires"])

    def withdraw(self) -> None:
        self.withdrawn = timezone.now()
        self.save(update_fields=["withdrawn"])

    class Closed(Exception):
        """Accepted or withdrawn by another request since this one read it."""

    def lock_open(self) -> None:
        """Hold the invitation's row for the transaction, or raise Closed.

        Several people (or one person's several windows) may accept the same
        link at the same moment: the first holds the row until it commits, and
        the others then find it accepted, so there is one account and one
        membership.
        """
        locked = (
            Invitation.objects.select_for_update()
            .only("accepted", "withdrawn")
            .get(pk=self.pk)
        )
        if not locked.is_open:
            raise Invitation.Closed

    @transaction.atomic
    def accept(self, user) -> Membership:
        """Make the membership the invitation promised, for this person."""
        self.lock_open()
        membership, _created = Membership.objects.update_or_create(
            user=user,
            organisation=self.organisation,
            defaults={"role": self.role, "unit": self.unit, "is_active": True},
        )
        membership.audiences.set(self.audiences.all())
        self.accepted = timezone.now()
        self.membership = membership
        self.save(update_fields=["accepted", "membership"])
        return membership
