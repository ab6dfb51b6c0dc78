"""The value base in public: pages anyone can read, without signing in.

An administrator turns them on (`Organisation.publish_values`); while off, every
address answers 404, as for an organisation that does not exist. They show the
version in force today of each of the organisation's value bases: its values
with their easy-read texts and commitments, its legal basis, and the guidelines
an editor marked public. Nothing else: no sections, no internal guidelines, no
members, no cases. Beside it, the accessibility statement and the privacy
notice that Swedish and Danish public-sector sites must have.

The pages are the same for every reader, in the organisation's language, and
set no cookie. Each is kept whole in the shared cache under the organisation's
generation (organisations/pagecache.py), which every change of a version, its
content or the organisation's settings raises, and under the organisation's
today, so that a version adopted ahead shows on its day. A kept page is served
without a database query; when the cache cannot say what is current (Redis is
away) the page is made afresh from the database, never refused.
"""

from __future__ import annotations

import datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET

from core.replica import primary_reads
from guidelines.models import Guideline, LeadIn, by_audience
from lib import stamps
from organisations.models import Organisation
from organisations.pagecache import generation_key

from .models import CoreValue, ValueBase, Version

PAGE_TIMEOUT = 24 * 3600


class Kept(TypedDict):
    generation: int
    day: str
    time_zone: str
    content: bytes
    language: str


def _today(time_zone: str) -> datetime.date:
    return datetime.datetime.now(ZoneInfo(time_zone)).date()


class PublicVersion:
    """A version in force as the public page shows it."""

    def __init__(self, value_base: ValueBase, version: Version):
        self.value_base = value_base
        self.version = version
        self.legal_bases = list(version.legal_bases.all())
        self.values: list[CoreValue] = list(
            version.values.prefetch_related("commitments")
        )
        guidelines = list(
            Guideline.objects.filter(version=version, public=True).select_related(
                "audience"
            )
        )
        audiences = {guideline.audience_id for guideline in guidelines}
        lead_ins = LeadIn.objects.filter(
            version=version, audience_id__in=audiences
        ).select_related("audience")
        self.guidelines = by_audience(guidelines, lead_ins)


def published_versions(
    organisation: Organisation, day: datetime.date
) -> list[PublicVersion]:
    """The version in force on `day` of each value base; drafts never."""
    in_force = Version.objects.in_force_on(day).filter(
        value_base__organisation=organisation
    )
    by_base = {version.value_base_id: version for version in in_force}
    return [
        PublicVersion(base, by_base[base.pk])
        for base in ValueBase.objects.for_organisation(organisation)
        if base.pk in by_base
    ]


def _published(slug: str) -> Organisation:
    organisation: Organisation = get_object_or_404(
        Organisation, slug=slug, publish_values=True
    )
    return organisation


def _made(
    request: HttpRequest, organisation: Organisation, template: str, day: datetime.date
) -> bytes:
    with translation.override(organisation.language):
        context: dict[str, Any] = {
            "organisation": organisation,
            "day": day,
            "page": template,
        }
        if template == "values/public/value_base.html":
            context["versions"] = published_versions(organisation, day)
        return render_to_string(template, context, request=request).encode()


def _response(content: bytes, language: str) -> HttpResponse:
    response = HttpResponse(content)
    response["Content-Language"] = language
    return response


def _page(request: HttpRequest, slug: str, template: str) -> HttpResponse:
    """The page, kept or made; see the module's docstring."""
    key = f"public:page:{slug}:{template}"
    stamp_key = generation_key(slug)
    generation = None
    if stamps.enabled():
        generation = cache.get_many([stamp_key]).get(stamp_key)
        if generation is not None:
            kept: Kept | None = cache.get(key)
            if (
                kept is not None
                and kept["generation"] == generation
                and kept["day"] == _today(kept["time_zone"]).isoformat()
            ):
                return _response(kept["content"], kept["language"])
    with primary_reads():
        # Not published, or no such organisation: the same answer.
        if generation is None and stamps.enabled():
            # The stamp is read before the rows the page is made of, and only
            # made once the organisation is known to exist.
            if not Organisation.objects.filter(slug=slug).exists():
                raise Http404
            generation = stamps.current({}, stamp_key)
        organisation = _published(slug)
        day = _today(organisation.time_zone)
        content = _made(request, organisation, template, day)
    if generation is not None:
        entry: Kept = {
            "generation": generation,
            "day": day.isoformat(),
            "time_zone": organisation.time_zone,
            "content": content,
            "language": organisation.language,
        }
        cache.set(key, entry, PAGE_TIMEOUT)
    return _response(content, organisation.language)


@require_GET
def value_base(request: HttpRequest, org: str) -> HttpResponse:
    return _page(request, org, "values/public/value_base.html")


@require_GET
def accessibility(request: HttpRequest, org: str) -> HttpResponse:
    return _page(request, org, "values/public/accessibility.html")


@require_GET
def privacy(request: HttpRequest, org: str) -> HttpResponse:
    return _page(request, org, "values/public/privacy.html")
