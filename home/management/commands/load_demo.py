from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from guidelines.models import Audience
from insights.demo import close_demo_evaluations, load_demo_history
from meetings.demo import load_demo_meetings
from organisations.management.demo_data import (
    DEMO_PASSWORD,
    ORGANISATIONS,
    SHARED_PERSON,
)
from organisations.models import Membership, Organisation, ReflectionGroup, Unit
from reflections.demo import load_demo_reflections
from values.management.demo import load_demo_value_base


class Command(BaseCommand):
    help = "Create or refresh the demo organisations and people (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--quiet-sign-ins",
            action="store_true",
            help="Do not print the demo sign-ins.",
        )

    def handle(self, *args, **options) -> None:
        # The demo's past evaluations close as any other would: each in a
        # transaction of its own, after the one that wrote their answers.
        close_demo_evaluations(self.load(**options))

    @transaction.atomic
    def load(self, **options) -> list[int]:
        User = get_user_model()
        sign_ins: list[tuple[str, str, str]] = []
        to_close: list[int] = []
        memberships_by_org: dict[str, dict[str, Membership]] = {}

        def person(email: str, name: str):
            user = User.objects.filter(email=email).first()
            if user is None:
                # The demo people have accepted their invitations long ago.
                user = User.objects.create_user(
                    email, DEMO_PASSWORD, name=name, verified=True
                )
            EmailAddress.objects.update_or_create(
                user=user,
                email=user.email,
                defaults={"primary": True, "verified": True},
            )
            return user

        def member(org, units, audiences, user, role, unit_name, audience_keys):
            membership, _ = Membership.objects.update_or_create(
                user=user,
                organisation=org,
                defaults={"role": role, "unit": units[unit_name], "is_active": True},
            )
            membership.audiences.set([audiences[key] for key in audience_keys])
            return membership

        orgs = {}
        for spec in ORGANISATIONS:
            org, _ = Organisation.objects.update_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "language": spec["language"],
                    "time_zone": spec["time_zone"],
                    # Keep the demo easy to try; new organisations require MFA.
                    "require_mfa": False,
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
            audiences = {}
            for position, (key, name) in enumerate(spec["audiences"]):
                audiences[key], _ = Audience.objects.update_or_create(
                    organisation=org,
                    key=key,
                    defaults={"name": name, "position": position},
                )
            people = memberships_by_org.setdefault(org.slug, {})
            for role, name, unit_name, audience_keys in spec["people"]:
                email = f"{role}@{spec['domain']}"
                user = person(email, name)
                people[role] = member(
                    org, units, audiences, user, role, unit_name, audience_keys
                )
                sign_ins.append((org.name, role, email))
            for local, name, unit_name, audience_keys in spec["colleagues"]:
                user = person(f"{local}@{spec['domain']}", name)
                people[local] = member(
                    org, units, audiences, user, "staff", unit_name, audience_keys
                )
            orgs[org.slug] = (org, units, audiences)

        shared = person(SHARED_PERSON["email"], SHARED_PERSON["name"])
        for slug, role, unit_name, keys in SHARED_PERSON["memberships"]:
            org, units, audiences = orgs[slug]
            membership = member(org, units, audiences, shared, role, unit_name, keys)
            memberships_by_org[slug].setdefault("shared", membership)
            sign_ins.append((org.name, role, shared.email))

        for spec in ORGANISATIONS:
            org, units, _ = orgs[spec["slug"]]
            people = memberships_by_org[org.slug]
            for name, unit_name in spec["groups"]:
                group, _ = ReflectionGroup.objects.update_or_create(
                    organisation=org, name=name, defaults={"unit": units[unit_name]}
                )
                group.facilitators.set([people["facilitator"]])
                group.members.set([m for key, m in people.items() if key != "admin"])

        for org, _units, _audiences in orgs.values():
            load_demo_value_base(org)
            load_demo_meetings(org)
            load_demo_reflections(org)
            to_close += load_demo_history(org)

        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        if not options["quiet_sign_ins"]:
            self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
            for org_name, role, email in sign_ins:
                self.stdout.write(f"  {email:<32} {role:<12} {org_name}")
        return to_close
