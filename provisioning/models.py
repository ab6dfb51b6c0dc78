"""Provisioning: what the organisation's directory says about its people.

- `ScimToken`: a bearer token the directory's provisioning service presents;
  only a digest of it is kept.
- `ScimIdentity`: a member as the directory knows them (user name, external
  identifier, department); its membership's identifier is the SCIM `id`.
- `ScimGroup`: a group in the directory and the members in it.
- `IdentityMapping`: the administrator's rule that places a person by a group
  or a department: in a unit, with a role.
- `IdentitySettings`: whether a sign-in through the identity provider decides
  membership, and where in the provider's claims to look.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, Role, TenantQuerySet, Unit

TOKEN_PREFIX = "etikrum-scim-"


def token_digest(secret: str) -> str:
    # A token is 256 random bits: a plain digest is enough to keep it from
    # anyone who reads the database, and lets a request find it in one query.
    return hashlib.sha256(secret.encode()).hexdigest()


class ScimTokenQuerySet(TenantQuerySet["ScimToken"]):
    def in_use(self) -> Self:
        return self.filter(revoked__isnull=True)

    def authenticate(self, secret: str) -> ScimToken | None:
        if not secret.startswith(TOKEN_PREFIX):
            return None
        return (
            self.in_use()
            .select_related("organisation")
            .filter(digest=token_digest(secret))
            .first()
        )


class ScimToken(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scim_tokens"
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Which service uses the token, for example “Entra ID”."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters after the prefix, to tell tokens apart on the page.
    hint = models.CharField(max_length=8, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ScimTokenQuerySet.as_manager()

    audit_kind = "scim token"

    class Meta:
        ordering = ["-created"]
        verbose_name = _("provisioning token")
        verbose_name_plural = _("provisioning tokens")

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}{self.hint}…)"

    def audit_name(self) -> str:
        return str(self)

    @classmethod
    def issue(
        cls, organisation: Organisation, name: str, by: object
    ) -> tuple[Self, str]:
        """A new token and its secret, which is shown once and never kept."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=organisation,
            name=name,
            digest=token_digest(secret),
            hint=secret[len(TOKEN_PREFIX) :][:8],
            created_by=by,
        )
        return token, secret

    def revoke(self) -> None:
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])

    def used(self) -> None:
        now = timezone.now()
        # Once a minute is enough to show that the directory still calls.
        if self.last_used is None or (now - self.last_used).total_seconds() > 60:
            ScimToken.objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now


class ScimIdentity(models.Model):
    """A member provisioned by the directory; the SCIM id is the membership's."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="scim_identity"
    )
    user_name = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    department = models.CharField(max_length=200, blank=True)
    email_type = models.CharField(max_length=20, blank=True)
    email_primary = models.BooleanField(null=True)
    display_name = models.CharField(max_length=150, blank=True)
    formatted_name = models.CharField(max_length=150, blank=True)
    # What the directory last said of `active`; unsaid is active. A member
    # deactivated here reads as inactive whatever the directory said.
    active = models.BooleanField(null=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet["ScimIdentity"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user_name"],
                name="provisioning_one_user_name_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    display_name = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True)
    members = models.ManyToManyField(Membership, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet["ScimGroup"].as_manager()

    audit_kind = "scim group"

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "display_name"],
                name="provisioning_one_group_name_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def audit_name(self) -> str:
        return self.display_name


class Source(models.TextChoices):
    GROUP = "group", _("Group in the directory")
    DEPARTMENT = "department", _("Department")


class IdentityMapping(models.Model):
    """People in this group or department belong in this unit, in this role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(
        _("what to match"), max_length=20, choices=Source.choices, default=Source.GROUP
    )
    value = models.CharField(
        _("name in the directory"),
        max_length=254,
        help_text=_(
            "The group's name or the department exactly as the directory sends "
            "it; upper and lower case do not matter."
        ),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)

    objects = TenantQuerySet["IdentityMapping"].as_manager()

    audit_kind = "identity mapping"

    class Meta:
        ordering = ["source", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "value"],
                name="provisioning_one_mapping_per_name",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(role=""),
                name="provisioning_mapping_places_or_gives_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.value}"

    def audit_name(self) -> str:
        return str(self)


class IdentitySettings(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="identity_settings"
    )
    sign_in_decides = models.BooleanField(
        _("the identity provider decides who is a member"),
        default=False,
        help_text=_(
            "A person whose groups or department match a rule below becomes a "
            "member at their first sign-in, is moved when the directory moves "
            "them, and is deactivated when no rule matches any more."
        ),
    )
    provider_id = models.CharField(
        _("sign-in service"),
        max_length=100,
        blank=True,
        help_text=_("The identifier of the OpenID Connect sign-in set up for you."),
    )
    groups_claim = models.CharField(
        _("claim with the person's groups"), max_length=100, default="groups"
    )
    department_claim = models.CharField(
        _("claim with the person's department"), max_length=100, default="department"
    )

    objects = TenantQuerySet["IdentitySettings"].as_manager()

    audit_kind = "organisation"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider_id"],
                condition=Q(sign_in_decides=True),
                name="provisioning_one_organisation_per_sign_in",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def audit_name(self) -> str:
        return str(_("Sign-in and membership"))
