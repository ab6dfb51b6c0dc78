"""Invitations: an address asked to join, a member once they accept."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, Self

from django.core import signing
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .memberships import Membership, Role
from .organisation import Organisation, TenantQuerySet
from .units import Unit

# An invitation link works this long; an administrator can send a new one.
INVITATION_DAYS = 14


class InvitationQuerySet(TenantQuerySet["Invitation"]):
    def open(self) -> Self:
        """Neither accepted nor withdrawn (possibly expired)."""
        return self.filter(accepted__isnull=True, withdrawn__isnull=True)

    def pending(self) -> Self:
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
        invitation: Invitation | None = (
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

    @classmethod
    def invite(
        cls,
        organisation: Organisation,
        email: str,
        *,
        name: str = "",
        role: str = Role.STAFF,
        unit: Unit | None = None,
        invited_by: Membership | None = None,
    ) -> Invitation:
        """An open invitation to `email`: a new one, or the open one renewed.

        The caller sets the audiences and enqueues the mail after the commit.
        """
        fields = {"name": name, "role": role, "unit": unit, "invited_by": invited_by}
        invitation = (
            cls.objects.for_organisation(organisation)
            .open()
            .filter(email__iexact=email)
            .first()
        )
        if invitation is None:
            return cls.objects.create(
                organisation=organisation,
                email=email,
                expires=timezone.now() + timedelta(days=INVITATION_DAYS),
                **fields,
            )
        # An expired invitation to the same address is renewed.
        for field, value in fields.items():
            setattr(invitation, field, value)
        invitation.save(update_fields=list(fields))
        invitation.renew()
        return invitation

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
    # The user model lives in accounts, a layer above this one.
    def accept(self, user: Any) -> Membership:
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
