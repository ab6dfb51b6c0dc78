"""A person's calendar subscription, reached by a secret address."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Capability, Membership

from .meeting import Meeting, MeetingQuerySet


class CalendarFeed(models.Model):
    """A person's calendar subscription. Only a hash of the secret is kept."""

    class Scope(models.TextChoices):
        MINE = "mine", _("The meetings of my groups")
        UNITS = "units", _("Every meeting of the units I manage")

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("meetings"), max_length=8, choices=Scope.choices, default=Scope.MINE
    )
    created = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return str(self.membership)

    @staticmethod
    def hash_token(token: str) -> str:
        # The token is 256 random bits: a plain hash is enough, no salt needed.
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, membership: Membership, scope: str = Scope.MINE) -> str:
        """A new secret for the person; any earlier one stops working."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            membership=membership,
            defaults={"token_hash": cls.hash_token(token), "scope": scope},
        )
        return token

    def meetings(self) -> MeetingQuerySet[Meeting]:
        """What the subscription shows; units are looked up on every fetch."""
        membership = self.membership
        if self.scope == self.Scope.UNITS and membership.can(Capability.MANAGE):
            # Their own groups and every group of the units they manage.
            return Meeting.objects.for_member(membership)
        return Meeting.objects.for_invitee(membership)

    @classmethod
    def for_token(cls, token: str) -> CalendarFeed | None:
        return (
            cls.objects.filter(
                token_hash=cls.hash_token(token),
                membership__is_active=True,
                membership__user__is_active=True,
            )
            .select_related("membership__organisation", "membership__user")
            .first()
        )

    @classmethod
    def membership_for(cls, token: str) -> Membership | None:
        feed = cls.for_token(token)
        return feed.membership if feed else None
