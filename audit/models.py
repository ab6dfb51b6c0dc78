"""The audit log: one row for every reading and writing of case text.

Who did what to which case, when, and whether it was allowed; never the text
and never an identifier the guard found. Rows are appended and never changed:
the model, its QuerySet and (on PostgreSQL) a trigger refuse updates and
deletes. The people, units and organisations a row names are kept as stored
names too, so a row still says who it was after a membership or an account
is gone; the foreign keys carry no database constraint for the same reason.
"""

from __future__ import annotations

import uuid as uuid_module

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class Action(models.TextChoices):
    READ = "read", _("Read")
    PRINT = "print", _("Printed")
    EXPORT = "export", _("Exported")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    SIGN_OFF = "sign_off", _("Signed off")
    OVERRIDE = "override", _("Saved past the identifier guard")
    ERASE = "erase", _("Erased under the retention rule")
    ANONYMISE = "anonymise", _("Account anonymised")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    DENIED = "denied", _("Denied")


class Via(models.TextChoices):
    PAGE = "page", _("Page")
    HTMX = "htmx", _("Part of a page")
    ADMIN = "admin", _("Django admin")
    EXPORT = "export", _("Export")
    SYSTEM = "system", _("The system")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit rows are never changed.")

    def delete(self):
        raise AppendOnlyError("Audit rows are never deleted.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Audit rows are never changed.")

    def for_organisation(self, organisation):
        return self.filter(organisation_id=organisation.pk)

    def by_user(self, user):
        return self.filter(user_id=user.pk)


def _loose_key(to: str, **kwargs) -> models.ForeignKey:
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
    # The unit the case belongs to (its group's unit).
    unit = _loose_key("organisations.Unit", verbose_name=_("unit"))
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    object_kind = models.CharField(_("kind of object"), max_length=40)
    object_uuid = models.UUIDField(_("object"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED
    )
    via = models.CharField(
        _("through"), max_length=10, choices=Via.choices, default=Via.PAGE
    )
    # The name of the view, never the address: addresses can carry secrets.
    view = models.CharField(_("page"), max_length=100, blank=True)

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

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.person} {self.action} {self.object_kind}"
        )

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit rows are never deleted.")

    @classmethod
    def record(
        cls,
        *,
        action: str,
        obj: models.Model | None = None,
        object_kind: str = "",
        object_uuid: uuid_module.UUID | None = None,
        outcome: str = Outcome.ALLOWED,
        via: str = Via.PAGE,
        view: str = "",
        user=None,
        membership=None,
        organisation=None,
        person: str = "",
    ) -> AuditEvent:
        organisation_id = organisation.pk if organisation is not None else None
        if membership is not None:
            user = user or membership.user
            organisation_id = organisation_id or membership.organisation_id
        if obj is not None:
            object_kind = object_kind or obj._meta.model_name
            object_uuid = object_uuid or getattr(obj, "uuid", None)
            organisation_id = organisation_id or getattr(obj, "organisation_id", None)
        unit = getattr(obj, "audit_unit", None) if obj is not None else None
        if unit is None and membership is not None:
            unit = membership.unit
        return cls.objects.create(
            organisation_id=organisation_id,
            user=user,
            membership=membership,
            person=person or person_label(user),
            role=membership.role if membership is not None else "",
            unit=unit,
            unit_name=unit.name if unit is not None else "",
            object_kind=object_kind,
            object_uuid=object_uuid,
            action=action,
            outcome=outcome,
            via=via,
            view=view[:100],
        )


def person_label(user) -> str:
    """How a row names the person: as they were called when it happened."""
    if user is None:
        return str(_("The system"))
    if getattr(user, "anonymised", None):
        return str(user)
    if user.name:
        return f"{user.name} <{user.email}>"
    return user.email


def record_request(
    request,
    action: str,
    obj: models.Model | None = None,
    *,
    outcome: str = Outcome.ALLOWED,
    via: str | None = None,
    **kwargs,
) -> AuditEvent:
    """An audit row for what this request did: who, where, through which page."""
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
    return AuditEvent.record(
        action=action,
        obj=obj,
        outcome=outcome,
        via=via,
        view=view,
        user=user,
        membership=membership,
        **kwargs,
    )
