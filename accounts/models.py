from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import person_label


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(
        self, email: str, password: str | None, *, verified: bool, **extra: object
    ) -> User:
        from allauth.account.models import EmailAddress

        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        # Every account has its sign-in address as its one primary address;
        # it counts once proven (see docs/privacy.md).
        EmailAddress.objects.using(self._db).create(
            user=user, email=user.email, primary=True, verified=verified
        )
        return user

    def create_user(
        self,
        email: str,
        password: str | None = None,
        *,
        verified: bool = False,
        **extra: object,
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, verified=verified, **extra)

    def create_superuser(
        self, email: str, password: str | None = None, **extra: object
    ) -> User:
        # Made on the command line by whoever runs the platform, who vouches
        # for the address; the superuser must still set up two factors.
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, verified=True, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address."""

    # AbstractUser's fields these replace; django-stubs cannot express a field
    # taken away.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    # Set when the person's data was erased at their request; what they
    # contributed stays, under "former member".
    anonymised = models.DateTimeField(_("anonymised"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Ours creates accounts by e-mail address, not by user name, so it is not
    # the django.contrib.auth UserManager that django-stubs expects here.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        if self.anonymised:
            return str(_("Former member"))
        return self.name or self.email

    # In the audit log an account is named as its rows name people.
    audit_kind = "account"

    def audit_name(self) -> str:
        return person_label(self)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        if self.anonymised:
            return str(self)
        return self.name.split(" ")[0] if self.name else self.email
