"""Two versions of a value base: a value and a guideline change in the second."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from guidelines.models import Audience, Guideline
from organisations.models import Membership, Organisation
from tests.factories import make_audience
from tests.values.helpers import adopt, fill, make_base, make_draft
from values.models import ValueBase, Version

D = datetime.date
TODAY = D(2026, 12, 7)
FIRST_DAY = D(2027, 1, 1)


@dataclass
class Bases:
    base: ValueBase
    first: Version
    second: Version
    clients: Audience
    managers: Audience


def two_versions(org: Organisation, *, asks: bool = True) -> Bases:
    """Version 1 in force; version 2 adopted ahead, from FIRST_DAY.

    Version 2 changes the description of a value, the guideline for those
    meeting clients, and adds a guideline for managers.
    """
    clients = make_audience(org, "clients", name="I mötet med brukare")
    managers = make_audience(org, "managers", name="Som chef", position=2)
    base = make_base(org)
    first = make_draft(base, 1)
    fill(first, clients)
    adopt(first, D(2024, 1, 1))
    second = first.start_next_draft(author=None)
    integrity = second.values.get(key="integrity")
    integrity.description = "Vi skyddar det privata och delar bara det som behövs."
    integrity.save(update_fields=["description"])
    guideline = second.guidelines.get(key="respect-clients")
    guideline.text = "Vi möter brukare och närstående med värme, respekt och tydlighet."
    guideline.save(update_fields=["text"])
    Guideline.objects.create(
        version=second,
        audience=managers,
        key="lead-by-example",
        text="Som chef visar du vägen genom att själv följa värdegrunden.",
    )
    adopt(second, FIRST_DAY, adopted_on=TODAY, asks_acknowledgement=asks)
    first.refresh_from_db()
    return Bases(base, first, second, clients, managers)


def url(name: str, version: Version) -> str:
    return reverse(
        f"acknowledgements:{name}",
        kwargs={
            "org": version.value_base.organisation.slug,
            "base": version.value_base.slug,
            "number": version.number,
        },
    )


def dashboard(client: Client, membership: Membership) -> str:
    response = client.get(
        reverse("organisations:dashboard", kwargs={"org": membership.organisation.slug})
    )
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return response.content.decode()
