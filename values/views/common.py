"""What the value base's pages share: finding a base, a version or a draft,
and showing a version."""

from __future__ import annotations

import datetime
from functools import cached_property

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from guidelines.models import Audience, Guideline, LeadIn, by_audience
from organisations import pagecache
from organisations.access import OrgRequest
from organisations.models import Capability
from values.models import (
    CoreValue,
    LegalBasis,
    Section,
    ValueBase,
    Version,
)


def get_base(request: OrgRequest, base: str) -> ValueBase:
    value_base: ValueBase = get_object_or_404(
        ValueBase.objects.for_member(request.membership), slug=base
    )
    return value_base


def get_version(request: OrgRequest, value_base: ValueBase, number: int) -> Version:
    """A version the member may read: drafts only for editors."""
    version: Version = get_object_or_404(
        value_base.versions.visible_to(request.membership), number=number
    )
    return version


def get_draft(request: OrgRequest, base: str, number: int) -> Version:
    value_base = get_base(request, base)
    draft: Version = get_object_or_404(
        value_base.versions.select_related("value_base"),
        number=number,
        status=Version.Status.DRAFT,
    )
    return draft


def local_today(request: OrgRequest) -> datetime.date:
    return timezone.localdate()


class Document:
    """A version's content, loaded lazily in a fixed number of queries.

    Lazy so that a cached page fragment costs no queries at all.
    """

    def __init__(self, version: Version):
        self.version = version

    @cached_property
    def sections(self) -> list[Section]:
        return list(self.version.sections.all())

    @cached_property
    def legal_bases(self) -> list[LegalBasis]:
        return list(self.version.legal_bases.all())

    @cached_property
    def values(self) -> list[CoreValue]:
        return list(self.version.values.prefetch_related("commitments"))

    @cached_property
    def guidelines(self) -> list[Guideline]:
        return list(
            self.version.guidelines.select_related("audience").prefetch_related(
                Prefetch(
                    "related_values", queryset=CoreValue.objects.only("key", "title")
                )
            )
        )

    @cached_property
    def lead_ins(self) -> list[LeadIn]:
        return list(self.version.lead_ins.select_related("audience"))

    @cached_property
    def guidelines_by_audience(
        self,
    ) -> list[tuple[Audience, LeadIn | None, list[Guideline]]]:
        """The guidelines under their audiences, in the order of the document."""
        return by_audience(self.guidelines, self.lead_ins)


def render_version(
    request: OrgRequest,
    version: Version,
    *,
    template: str = "values/version.html",
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    if version.is_draft:
        pagecache.skip(request)
    can_edit = request.membership.can(Capability.EDIT_VALUES)
    # Editors get "edit as a new draft", or "continue the draft" once there is one.
    draft = version.value_base.draft() if can_edit and not version.is_draft else None
    today = local_today(request)
    context = {
        "value_base": version.value_base,
        "version": version,
        "document": Document(version),
        "today": today,
        "coming": version.value_base.coming_on(today),
        "can_edit": can_edit,
        "draft": draft,
        **(extra or {}),
    }
    return render(request, template, context)


def edit_url(version: Version, anchor: str = "") -> str:
    url = reverse(
        "values:draft_edit",
        kwargs={
            "org": version.value_base.organisation.slug,
            "base": version.value_base.slug,
            "number": version.number,
        },
    )
    return f"{url}#{anchor}" if anchor else url
