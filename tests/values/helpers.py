"""Value-base test data: a small document with every kind of content."""

from __future__ import annotations

import datetime

from guidelines.models import Audience, Guideline
from values.models import Commitment, CoreValue, LegalBasis, Section, ValueBase, Version


def make_base(org, slug: str = "vardegrund", **kwargs) -> ValueBase:
    kwargs.setdefault("name", "Värdegrund för socialförvaltningen")
    return ValueBase.objects.create(organisation=org, slug=slug, **kwargs)


def make_draft(base: ValueBase, number: int = 1, **kwargs) -> Version:
    kwargs.setdefault("title", "Vår värdegrund")
    return Version.objects.create(value_base=base, number=number, **kwargs)


def fill(version: Version, audience: Audience | None = None) -> dict:
    """Sections, a legal basis, two values with commitments and a guideline."""
    org = version.value_base.organisation
    audience = (
        audience
        or Audience.objects.get_or_create(
            organisation=org, key="clients", defaults={"name": "I mötet med brukare"}
        )[0]
    )
    section = Section.objects.create(
        version=version,
        key="background",
        title="Bakgrund",
        body="Varför vi har en värdegrund.",
    )
    legal = LegalBasis.objects.create(
        version=version,
        key="sol-1-1",
        law="Socialtjänstlagen",
        reference="1 kap. 1 §",
        text="Samhällets socialtjänst ska främja människornas trygghet.",
    )
    dignity = CoreValue.objects.create(
        version=version,
        key="dignity",
        title="Människors lika värde",
        description="Alla bemöts med respekt för sitt värde.",
        position=1,
    )
    integrity = CoreValue.objects.create(
        version=version,
        key="integrity",
        title="Integritet",
        description="Vi skyddar det privata.",
        position=2,
    )
    commitment = Commitment.objects.create(
        value=dignity, key="listen", text="Vi lyssnar innan vi bestämmer.", position=1
    )
    guideline = Guideline.objects.create(
        version=version,
        key="respect-clients",
        audience=audience,
        title="Bemötande",
        text="Vi möter brukare och närstående med respekt och tydlighet.",
        example="Vi förklarar beslut så att de går att förstå.",
    )
    guideline.related_values.set([dignity, integrity])
    return {
        "section": section,
        "legal": legal,
        "dignity": dignity,
        "integrity": integrity,
        "commitment": commitment,
        "guideline": guideline,
        "audience": audience,
    }


def adopt(version: Version, effective_from: datetime.date, **kwargs) -> Version:
    kwargs.setdefault("adopted_on", effective_from - datetime.timedelta(days=10))
    kwargs.setdefault("adopted_by", "Socialnämnden")
    return version.adopt(effective_from=effective_from, **kwargs)
