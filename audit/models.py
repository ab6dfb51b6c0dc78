"""The audit log: who did what, to what, when, and whether it was allowed.

Every reading and writing of case text, and what an auditor asks about
besides: sign-ins and their failures, two-factor methods, members, roles,
invitations, units, settings, the value base, exports, retention runs and
account anonymisation. Never case text and never an identifier the guard
found. Objects are named as people know them (a unit's name, "Reflection in
Etikgruppen on 3 March 2026"), in the organisation's language, and the name
is kept on the row: it stays readable after the object, its text or the
person is gone. The foreign keys carry no database constraint for the same
reason.

Rows are appended and never changed: the model, its QuerySet and (on
PostgreSQL) a trigger refuse updates and deletes, and the database role the
web and task processes use may only insert and read (docs/deployment.md).
Each row is chained by hash to the row before it of its organisation
(audit/chain.py), so a row changed, forged or removed by someone who can get
past all that is found by `manage.py verify_audit`.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, Self

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import chain

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class Action(models.TextChoices):
    # Case texts.
    READ = "read", _("Read")
    PRINT = "print", _("Printed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    SIGN_OFF = "sign_off", _("Signed off")
    OVERRIDE = "override", _("Saved past the identifier guard")
    # Signing in.
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Sign-in refused after too many failures")
    MFA_ADDED = "mfa_added", _("Two-factor sign-in set up")
    MFA_REMOVED = "mfa_removed", _("Two-factor sign-in removed")
    # Members, units and settings.
    INVITE = "invite", _("Invited")
    INVITE_RESEND = "invite_resend", _("Invitation sent again")
    INVITE_WITHDRAW = "invite_withdraw", _("Invitation withdrawn")
    INVITE_ACCEPT = "invite_accept", _("Invitation accepted")
    DEACTIVATE = "deactivate", _("Deactivated")
    REACTIVATE = "reactivate", _("Reactivated")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored")
    DELETE = "delete", _("Deleted")
    # The value base.
    ADOPT = "adopt", _("Adopted")
    IMPORT = "import", _("Imported")
    DISCARD = "discard", _("Discarded")
    ACKNOWLEDGE = "acknowledge", _("Confirmed as read")
    REMIND = "remind", _("Reminder to confirm sent")
    # Data that leaves the product, and data erased.
    EXPORT = "export", _("Exported")
    RETENTION_RUN = "retention_run", _("Retention rule run")
    ERASE = "erase", _("Erased under the retention rule")
    ANONYMISE = "anonymise", _("Account anonymised")


# The actions in the order and groups the filter offers them.
ACTION_GROUPS = [
    (
        _("Case texts"),
        [
            Action.READ,
            Action.PRINT,
            Action.CREATE,
            Action.CHANGE,
            Action.SIGN_OFF,
            Action.OVERRIDE,
        ],
    ),
    (
        _("Signing in"),
        [
            Action.SIGN_IN,
            Action.SIGN_IN_FAILED,
            Action.LOCKED_OUT,
            Action.MFA_ADDED,
            Action.MFA_REMOVED,
        ],
    ),
    (
        _("Members, units and settings"),
        [
            Action.INVITE,
            Action.INVITE_RESEND,
            Action.INVITE_WITHDRAW,
            Action.INVITE_ACCEPT,
            Action.DEACTIVATE,
            Action.REACTIVATE,
            Action.ARCHIVE,
            Action.RESTORE,
            Action.DELETE,
        ],
    ),
    (
        _("Value base"),
        [
            Action.ADOPT,
            Action.IMPORT,
            Action.DISCARD,
            Action.ACKNOWLEDGE,
            Action.REMIND,
        ],
    ),
    (
        _("Exports and erasure"),
        [Action.EXPORT, Action.RETENTION_RUN, Action.ERASE, Action.ANONYMISE],
    ),
]


class Kind(models.TextChoices):
    """What a row is about. Rows written before 2027 may hold other words."""

    DILEMMA = "dilemma", _("Dilemma")
    REFLECTION = "reflection", _("Reflection")
    ACTION = "action", _("Agreed action")
    ACCOUNT = "account", _("Account")
    MEMBERSHIP = "membership", _("Membership")
    INVITATION = "invitation", _("Invitation")
    MEMBER_IMPORT = "member import", _("Member import")
    UNIT = "unit", _("Unit")
    GROUP = "reflectiongroup", _("Reflection group")
    ORGANISATION = "organisation", _("Organisation settings")
    VERSION = "version", _("Value-base version")
    ACKNOWLEDGEMENT = "acknowledgement", _("Confirmation of reading")
    INSIGHTS = "insights", _("Insights")
    AUDIT_LOG = "auditlog", _("Audit log")
    PERSONAL_DATA = "personal data", _("Personal data")
    RETENTION = "retention", _("Retention rule")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    DENIED = "denied", _("Denied")


class Via(models.TextChoices):
    PAGE = "page", _("Page")
    HTMX = "htmx", _("Part of a page")
    ADMIN = "admin", _("Django admin")
    EXPORT = "export", _("Export")
    SYSTEM = "system", _("The system")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows are never changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit rows are never deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows are never changed.")


class AuditEventQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Each row is chained to the one before it, one at a time (save()).
        raise AppendOnlyError("Audit rows are appended one by one.")

    # An organisation (organisations.models imports this module, not the other
    # way round).
    def for_organisation(self, organisation: Any) -> Self:
        return self.filter(organisation_id=organisation.pk)

    def by_user(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        return self.filter(user_id=user.pk)

    def chain(self, organisation_id: int | None) -> Self:
        """One organisation's chain (None: the platform's), in its order."""
        return self.filter(organisation_id=organisation_id).order_by("seq")


def _loose_key(to: str, **kwargs: Any) -> models.ForeignKey[Any, Any]:
    """A reference that outlives what it points at: no constraint, no cascade."""
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class AuditEvent(models.Model):
    uuid = models.UUIDField(default=uuid_module.uuid4, unique=True, editable=False)
    # Stored in UTC like every datetime; shown in the organisation's time zone.
    at = models.DateTimeField(_("when"), default=timezone.now)
    organisation = _loose_key("organisations.Organisation")
    user = _loose_key(settings.AUTH_USER_MODEL, verbose_name=_("person"))
    membership = _loose_key("organisations.Membership")
    person = models.CharField(_("person"), max_length=300)
    role = models.CharField(_("role"), max_length=20, blank=True)
    # The unit the object belongs to (a case's group's unit, a member's unit).
    unit = _loose_key("organisations.Unit", verbose_name=_("unit"))
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    object_kind = models.CharField(
        _("kind of object"), max_length=40, choices=Kind.choices
    )
    object_uuid = models.UUIDField(_("object"), null=True, blank=True)
    # The object as people know it, in the organisation's language, never
    # its case text.
    object_name = models.CharField(_("object"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED
    )
    via = models.CharField(
        _("through"), max_length=10, choices=Via.choices, default=Via.PAGE
    )
    # The name of the view, never the address: addresses can carry secrets.
    view = models.CharField(_("page"), max_length=100, blank=True)
    # What changed ("Role: Staff → Manager"), how a sign-in was made, why
    # something was refused; in the organisation's language, never case text.
    detail = models.CharField(_("details"), max_length=500, blank=True)
    # The row's place in its organisation's chain, from 1 without gaps, and
    # its hash (audit/chain.py).
    seq = models.PositiveBigIntegerField(_("number"), editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [
            # The admin's filters: an organisation's log by time, by person, by
            # object; and a person's own entries.
            models.Index(fields=["organisation", "-at"], name="audit_org_at"),
            models.Index(fields=["object_uuid", "-at"], name="audit_object_at"),
            models.Index(fields=["user", "-at"], name="audit_user_at"),
        ]
        constraints = [
            # One row per place in a chain: two writers that both read the same
            # last row (which the chain lock prevents) fail rather than fork
            # the chain. This also finds an organisation's last row at once.
            models.UniqueConstraint(
                fields=["organisation", "seq"], name="audit_one_row_per_place"
            ),
            # The platform's chain has no organisation, and NULLs are never
            # equal in a unique index.
            models.UniqueConstraint(
                fields=["seq"],
                condition=Q(organisation__isnull=True),
                name="audit_one_row_per_platform_place",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.person} {self.action} {self.object_kind}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit rows are never changed.")
        using = kwargs.pop("using", None) or router.db_for_write(
            AuditEvent, instance=self
        )
        self._normalise()
        if connections[using].vendor == "postgresql" and not args and not kwargs:
            # One statement takes the chain's lock, reads its last row and
            # appends this one (audit/chain.py, APPEND): one round trip, and
            # outside a transaction it commits the row before it returns.
            chain.append(using, self)
            self._state.adding = False
            self._state.db = using
            return
        # One transaction holds the chain's lock from reading the last row to
        # writing this one; inside a caller's transaction no savepoint is
        # needed, since the lock lasts until that one ends.
        with transaction.atomic(using=using, savepoint=False):
            chain.lock(using, self.organisation_id)
            last = (
                AuditEvent.objects.using(using)
                .chain(self.organisation_id)
                .values_list("seq", "hash")
                .last()
            )
            self.seq, previous = (last[0] + 1, last[1]) if last else (1, chain.GENESIS)
            self.hash = chain.digest(previous, self)
            super().save(*args, using=using, **kwargs)

    def _normalise(self) -> None:
        """The fields as the database will give them back, for the hash."""
        if self.object_uuid is not None and not isinstance(
            self.object_uuid, uuid_module.UUID
        ):
            self.object_uuid = uuid_module.UUID(str(self.object_uuid))
        for name in ("person", "unit_name", "object_name", "view", "detail"):
            field = self._meta.get_field(name)
            limit = getattr(field, "max_length", None)
            setattr(self, name, str(getattr(self, name))[:limit])

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows are never deleted.")

    @property
    def object_label(self) -> str:
        """The object for a reader: its name, else its kind and identifier."""
        if self.object_name:
            return self.object_name
        label = str(self.get_object_kind_display())
        if self.object_uuid:
            return f"{label} {str(self.object_uuid)[:8]}"
        return label

    @classmethod
    def record(cls, **kwargs: Any) -> AuditEvent:
        """Append a row (the arguments as `prepare` takes them)."""
        event = cls.prepare(**kwargs)
        event.save()
        return event

    @classmethod
    def prepare(
        cls,
        *,
        action: str,
        obj: models.Model | None = None,
        object_kind: str = "",
        object_uuid: uuid_module.UUID | None = None,
        object_name: StrOrPromise | Callable[[], str] = "",
        detail: object = "",
        outcome: str = Outcome.ALLOWED,
        via: str = Via.PAGE,
        view: str = "",
        # A user, a membership, an organisation and a unit: of apps that
        # import this module, so not named here.
        user: Any = None,
        membership: Any = None,
        organisation: Any = None,
        unit: Any = None,
        person: StrOrPromise = "",
    ) -> AuditEvent:
        """A row, not yet appended: `record` or `append_all` appends it.

        `object_name` (or `obj.audit_name()`), `detail` and `person` become text
        in the organisation's language and time zone: pass lazy translations
        or callables, not text already translated for the person asking.
        """
        organisation_id = organisation.pk if organisation is not None else None
        if membership is not None:
            user = user or membership.user
            organisation_id = organisation_id or membership.organisation_id
        if obj is not None:
            object_kind, object_uuid, object_name = _described(
                obj, object_kind, object_uuid, object_name
            )
            organisation_id = organisation_id or _organisation_id_of(obj)
        if unit is None and obj is not None:
            unit = getattr(obj, "audit_unit", None)
        if unit is None and membership is not None:
            unit = membership.unit
        place = _place(organisation_id, organisation, membership, obj)
        with translation.override(place[0]), timezone.override(place[1]):
            object_name = str(object_name() if callable(object_name) else object_name)
            detail = str(detail() if callable(detail) else detail)
            return cls(
                organisation_id=organisation_id,
                user=user,
                membership=membership,
                person=str(person or person_label(user)),
                role=membership.role if membership is not None else "",
                unit=unit,
                unit_name=unit.name if unit is not None else "",
                object_kind=object_kind,
                object_uuid=object_uuid,
                object_name=object_name,
                action=action,
                outcome=outcome,
                via=via,
                view=view[:100],
                detail=detail,
            )

    @classmethod
    def append_all(cls, events: list[AuditEvent]) -> None:
        """Append many rows of one chain at once, in their order.

        The chain is locked and its last row read once, each row's hash
        follows the one before it as in `save`, and the rows go in with one
        statement per few hundred: an import of thousands of people writes
        its rows in a moment rather than one round trip after another.
        """
        if not events:
            return
        (organisation_id,) = {event.organisation_id for event in events}
        using = router.db_for_write(AuditEvent)
        with transaction.atomic(using=using, savepoint=False):
            chain.lock(using, organisation_id)
            last = (
                AuditEvent.objects.using(using)
                .chain(organisation_id)
                .values_list("seq", "hash")
                .last()
            )
            seq, previous = last if last else (0, chain.GENESIS)
            for event in events:
                event._normalise()
                seq += 1
                event.seq = seq
                event.hash = previous = chain.digest(previous, event)
            # Past AuditEventQuerySet.bulk_create, which refuses rows whose
            # chain nobody computed.
            models.QuerySet.bulk_create(
                AuditEvent.objects.using(using).all(), events, batch_size=500
            )

    @classmethod
    def record_for_person(cls, user: Any, **kwargs: Any) -> list[AuditEvent]:
        """A row in each organisation the person is an active member of.

        For what concerns the person rather than one organisation (signing
        in, two-factor methods): each organisation's auditor sees it. A person
        with no membership gets one row in the platform's chain.
        """
        Membership = apps.get_model("organisations", "Membership")
        memberships = (
            Membership.objects.filter(user=user, is_active=True)
            .select_related("organisation", "unit")
            # Chains are locked in one order, so that two of these at once
            # never wait for each other.
            .order_by("organisation_id")
        )
        rows = [cls.record(membership=m, **kwargs) for m in memberships]
        return rows or [cls.record(user=user, **kwargs)]


def _described(
    obj: models.Model,
    kind: str,
    uuid: uuid_module.UUID | None,
    name: StrOrPromise | Callable[[], str],
) -> tuple[str, uuid_module.UUID | None, StrOrPromise | Callable[[], str]]:
    """The kind, identifier and name of an object, where the caller gave none."""
    kind = kind or getattr(obj, "audit_kind", "") or obj._meta.model_name or ""
    uuid = uuid or getattr(obj, "uuid", None)
    if not name and hasattr(obj, "audit_name"):
        name = obj.audit_name
    return kind, uuid, name


def _organisation_id_of(obj: models.Model) -> int | None:
    if obj._meta.label == "organisations.Organisation":
        pk: int = obj.pk
        return pk
    organisation_id: int | None = getattr(obj, "organisation_id", None)
    if organisation_id is None and hasattr(obj, "audit_organisation_id"):
        organisation_id = obj.audit_organisation_id
    return organisation_id


def _place(
    organisation_id: int | None, organisation: Any, membership: Any, obj: Any
) -> tuple[str, str]:
    """The language and time zone a row's names and dates are written in."""
    if organisation_id is None:
        return settings.LANGUAGE_CODE, settings.TIME_ZONE
    candidates = [organisation]
    if membership is not None and membership.organisation_id == organisation_id:
        candidates.append(membership.organisation)
    if obj is not None and obj._meta.label == "organisations.Organisation":
        candidates.append(obj)
    found = next(
        (c for c in candidates if c is not None and c.pk == organisation_id), None
    )
    if found is None:
        Organisation = apps.get_model("organisations", "Organisation")
        found = (
            Organisation.objects.filter(pk=organisation_id)
            .only("language", "time_zone")
            .first()
        )
    if found is None:
        return settings.LANGUAGE_CODE, settings.TIME_ZONE
    return found.language, found.time_zone


class AuditCheckpoint(models.Model):
    """What a verification found at the end of one chain: its length and head.

    Written by every successful `verify_audit` and, like the log, only ever
    appended. A later verification checks that the chain still holds the
    row each checkpoint names: rows removed from the end of a chain, or the
    whole table emptied, leave a chain that is intact but too short.
    """

    organisation = _loose_key("organisations.Organisation")
    at = models.DateTimeField(_("when"), default=timezone.now)
    count = models.PositiveBigIntegerField(_("rows"))
    head = models.CharField(_("hash of the last row"), max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.organisation_id} {self.count}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit checkpoints are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints are never deleted.")


def person_label(user: Any) -> str:
    """How a row names the person: as they were called when it happened."""
    if user is None:
        return str(_("The system"))
    if getattr(user, "anonymised", None):
        return str(user)
    if user.name:
        return f"{user.name} <{user.email}>"
    email: str = user.email
    return email


def record_request(
    request: HttpRequest,
    action: str,
    obj: models.Model | None = None,
    **kwargs: Any,
) -> AuditEvent:
    """An audit row for what this request did: who, where, through which page."""
    event = prepare_request(request, action, obj, **kwargs)
    event.save()
    return event


def prepare_request(
    request: HttpRequest,
    action: str,
    obj: models.Model | None = None,
    *,
    outcome: str = Outcome.ALLOWED,
    via: str | None = None,
    **kwargs: Any,
) -> AuditEvent:
    """As `record_request`, not yet appended (`AuditEvent.append_all`)."""
    membership = getattr(request, "membership", None)
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match is not None else ""
    if via is None:
        if view.startswith("admin:"):
            via = Via.ADMIN
        elif getattr(request, "htmx", False):
            via = Via.HTMX
        else:
            via = Via.PAGE
    user = request.user if request.user.is_authenticated else None
    return AuditEvent.prepare(
        action=action,
        obj=obj,
        outcome=outcome,
        via=via,
        view=view,
        user=user,
        membership=membership,
        **kwargs,
    )
