from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from guidelines.models import Audience
from insights.demo import close_demo_evaluations, load_demo_history
from meetings.demo import load_demo_meetings
from organisations.management.demo_data import (
    DEMO_PASSWORD,
    ORGANISATIONS,
    SHARED_PERSON,
)
from organisations.models import Membership, Organisation, ReflectionGroup, Unit
from practice.demo import load_demo_practice_cases
from reflections.demo import load_demo_practice_session, load_demo_reflections
from values.management.demo import load_demo_value_base

# An organisation of the demo with its units and guideline audiences, by name.
Place = tuple[Organisation, dict[str, Unit], dict[str, Audience]]
# Who signs in where: organisation, role, e-mail address.
SignIn = tuple[str, str, str]


class Command(BaseCommand):
    help = "Create or refresh the demo organisations and people (idempotent)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--quiet-sign-ins",
            action="store_true",
            help="Do not print the demo sign-ins.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's past evaluations close as any other would: each in a
        # transaction of its own, after the one that wrote their answers.
        close_demo_evaluations(self.load(**options))

    @transaction.atomic
    def load(self, **options: Any) -> list[int]:
        sign_ins: list[SignIn] = []
        to_close: list[int] = []
        memberships_by_org: dict[str, dict[str, Membership]] = {}
        orgs: dict[str, Place] = {}
        for spec in ORGANISATIONS:
            place = _organisation(spec)
            org = place[0]
            people = memberships_by_org.setdefault(org.slug, {})
            sign_ins += _people(spec, place, people)
            orgs[org.slug] = place
        sign_ins += _shared_person(orgs, memberships_by_org)
        for spec in ORGANISATIONS:
            org, units, _ = orgs[spec["slug"]]
            _groups(spec, org, units, memberships_by_org[org.slug])

        for org, _units, _audiences in orgs.values():
            load_demo_value_base(org)
            load_demo_meetings(org)
            load_demo_reflections(org)
            load_demo_practice_cases(org)
            load_demo_practice_session(org)
            to_close += load_demo_history(org)

        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        if not options["quiet_sign_ins"]:
            self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
            for org_name, role, email in sign_ins:
                self.stdout.write(f"  {email:<32} {role:<12} {org_name}")
        return to_close


def _person(email: str, name: str) -> User:
    user_model = get_user_model()
    user: User | None = user_model.objects.filter(email=email).first()
    if user is None:
        # The demo people have accepted their invitations long ago.
        user = user_model.objects.create_user(
            email, DEMO_PASSWORD, name=name, verified=True
        )
    EmailAddress.objects.update_or_create(
        user=user,
        email=user.email,
        defaults={"primary": True, "verified": True},
    )
    return user


def _member(
    place: Place, user: User, role: str, unit_name: str, audience_keys: list[str]
) -> Membership:
    org, units, audiences = place
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organisation=org,
        defaults={"role": role, "unit": units[unit_name], "is_active": True},
    )
    membership.audiences.set([audiences[key] for key in audience_keys])
    return membership


def _organisation(spec: dict[str, Any]) -> Place:
    """The organisation, its tree of units and its guideline audiences."""
    org, _ = Organisation.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "language": spec["language"],
            "time_zone": spec["time_zone"],
            # Keep the demo easy to try; new organisations require MFA.
            "require_mfa": False,
            # One organisation publishes its value base, with its contact.
            **{
                name: spec[name]
                for name in ("publish_values", "public_contact")
                if name in spec
            },
        },
    )
    units: dict[str, Unit] = {}
    for name, kind, parent in spec["units"]:
        units[name], _ = Unit.objects.update_or_create(
            organisation=org,
            parent=units.get(parent) if parent else None,
            name=name,
            defaults={"kind": kind},
        )
    audiences: dict[str, Audience] = {}
    for position, (key, name) in enumerate(spec["audiences"]):
        audiences[key], _ = Audience.objects.update_or_create(
            organisation=org,
            key=key,
            defaults={"name": name, "position": position},
        )
    return org, units, audiences


def _people(
    spec: dict[str, Any], place: Place, people: dict[str, Membership]
) -> list[SignIn]:
    """One person in each role, who sign in, and their staff colleagues."""
    org = place[0]
    sign_ins = []
    for role, name, unit_name, audience_keys in spec["people"]:
        email = f"{role}@{spec['domain']}"
        user = _person(email, name)
        people[role] = _member(place, user, role, unit_name, audience_keys)
        sign_ins.append((org.name, role, email))
    for local, name, unit_name, audience_keys in spec["colleagues"]:
        user = _person(f"{local}@{spec['domain']}", name)
        people[local] = _member(place, user, "staff", unit_name, audience_keys)
    return sign_ins


def _shared_person(
    orgs: dict[str, Place], memberships_by_org: dict[str, dict[str, Membership]]
) -> list[SignIn]:
    """The person who belongs to two organisations."""
    sign_ins = []
    shared = _person(SHARED_PERSON["email"], SHARED_PERSON["name"])
    for slug, role, unit_name, keys in SHARED_PERSON["memberships"]:
        place = orgs[slug]
        membership = _member(place, shared, role, unit_name, keys)
        memberships_by_org[slug].setdefault("shared", membership)
        sign_ins.append((place[0].name, role, shared.email))
    return sign_ins


def _groups(
    spec: dict[str, Any],
    org: Organisation,
    units: dict[str, Unit],
    people: dict[str, Membership],
) -> None:
    for name, unit_name in spec["groups"]:
        group, _ = ReflectionGroup.objects.update_or_create(
            organisation=org, name=name, defaults={"unit": units[unit_name]}
        )
        group.facilitators.set([people["facilitator"]])
        group.members.set([m for key, m in people.items() if key != "admin"])
