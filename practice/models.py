"""Practice cases: fictional dilemmas a group can train on.

A built-in case (no organisation) is shipped with the product and read by every
organisation; its texts live in the data files (`practice.library`). An
organisation's own case holds its texts here, in the organisation's language.
Neither is case text in the sense of docs/privacy.md: nothing in it is about a
real person, so reading one is not audited and the retention rule leaves it be.
"""

from __future__ import annotations

import uuid
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, TenantQuerySet

from .library import CaseText, builtin_cases


class Area(models.TextChoices):
    """The fields of social services the cases come from."""

    OLDER_PEOPLE = "older_people", _("Care of older people")
    CHILDREN = "children", _("Children and families")
    PSYCHIATRY = "psychiatry", _("Psychiatry and the personal ombudsman")
    DISABILITY = "disability", _("Disability support")
    SUBSTANCE = "substance", _("Substance use")
    FINANCIAL = "financial", _("Financial assistance")
    HOUSING = "housing", _("Housing")


class PracticeCaseQuerySet(TenantQuerySet["PracticeCase"]):
    def seed_builtin(self) -> None:
        """One row per built-in case, added when the library grows."""
        library = builtin_cases()
        present = set(
            self.model.objects.filter(organisation__isnull=True).values_list(
                "key", flat=True
            )
        )
        missing = [key for key in library if key not in present]
        if missing:
            self.model.objects.bulk_create(
                [
                    self.model(key=key, area=library[key].area, title="")
                    for key in missing
                ],
                ignore_conflicts=True,
            )

    def library_for(self, organisation: Organisation) -> Self:
        """The built-in cases and the organisation's own."""
        self.seed_builtin()
        return self.filter(
            Q(organisation__isnull=True, key__in=list(builtin_cases()))
            | Q(organisation=organisation)
        )

    def own(self, organisation: Organisation) -> Self:
        return self.for_organisation(organisation)


class PracticeCase(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # None for a built-in case, which every organisation reads and none changes.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practice_cases",
    )
    # The built-in case's key in the library; empty for an organisation's own.
    key = models.SlugField(_("key"), max_length=80, blank=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    # An organisation's own case keeps its texts here; a built-in one in the library.
    title = models.CharField(_("title"), max_length=200, blank=True)
    situation = models.TextField(
        _("the situation"),
        blank=True,
        help_text=_(
            "A made-up situation, or a real one rewritten so that nobody can be "
            "recognised: no names, ages, places or dates that point at anyone."
        ),
    )
    question = models.CharField(
        _("the dilemma question"),
        max_length=300,
        blank=True,
        help_text=_("For example: should we do A or B?"),
    )
    tensions = models.TextField(
        _("values in tension"),
        blank=True,
        help_text=_("One per line, for example: protection vs self-determination."),
    )
    note = models.TextField(
        _("facilitator's note"),
        blank=True,
        help_text=_(
            "What to look for, questions that open the conversation up, pitfalls. "
            "Shown to facilitators and managers only."
        ),
    )
    created_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("added"), auto_now_add=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    objects = PracticeCaseQuerySet.as_manager()

    class Meta:
        ordering = ["area", "key", "title", "pk"]
        verbose_name = _("practice case")
        verbose_name_plural = _("practice cases")
        constraints = [
            # A built-in case is found by its key; two rows of one would show
            # the same case twice in every library.
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(organisation__isnull=True),
                name="practice_builtin_key_unique",
            ),
            # Built-in cases have a key and no organisation; own cases the reverse.
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, key__gt="")
                | Q(organisation__isnull=False, key=""),
                name="practice_builtin_or_own",
            ),
        ]

    def __str__(self) -> str:
        return self.text().title

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    def text(self, language: str | None = None) -> CaseText:
        """The case in `language` (the active one by default)."""
        if self.is_builtin:
            language = language or translation.get_language() or "en"
            case = builtin_cases().get(self.key)
            if case is None:
                # Taken out of the library; sessions held on it still name it.
                return CaseText(str(_("A retired practice case")), "", "", (), "")
            return case.text(language)
        return CaseText(
            title=self.title,
            situation=self.situation,
            question=self.question,
            tensions=tuple(
                line.strip() for line in self.tensions.splitlines() if line.strip()
            ),
            note=self.note,
        )
