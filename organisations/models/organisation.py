"""The organisation: a tenant, and the queries every tenant-owned model answers."""

from __future__ import annotations

import zoneinfo
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    # Off until an administrator decides: while off, the public address answers
    # as if there were no organisation at all.
    publish_values = models.BooleanField(
        _("publish the value base in force on a public page"),
        default=False,
        help_text=_(
            "Anyone can then read the values, their commitments, the legal basis "
            "and the guidelines the editors mark as public, without signing in. "
            "Nothing else is shown."
        ),
    )
    public_contact = models.EmailField(
        _("contact address for the public pages"),
        blank=True,
        help_text=_(
            "Where readers of the public pages report a problem with "
            "accessibility or ask about them. Needed to publish."
        ),
    )
    # The set-up checklist a new organisation's first administrator works
    # through (organisations/setup.py): open from `create_organisation` until
    # an administrator finishes it; each step's state by its name, "done" or
    # "skipped". Organisations made otherwise never see the checklist.
    setup_open = models.BooleanField(_("set-up checklist shown"), default=False)
    setup_steps = models.JSONField(_("set-up steps"), default=dict, blank=True)
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


class TenantQuerySet[M: models.Model](models.QuerySet[M]):
    """Every tenant-owned model answers `for_organisation` and nothing else leaks."""

    def for_organisation(self, organisation: Organisation | int) -> Self:
        return self.filter(organisation=organisation)
