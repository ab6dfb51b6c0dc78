"""Demo data loads idempotently; a person in two organisations can switch."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from guidelines.models import Audience
from organisations.management.demo_data import DEMO_PASSWORD, SHARED_PERSON
from organisations.models import (
    Membership,
    Organisation,
    ReflectionGroup,
    Role,
    Unit,
)
from tests.factories import make_member, sign_in

User = get_user_model()


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "audiences": Audience.objects.count(),
        "groups": ReflectionGroup.objects.count(),
        "group members": ReflectionGroup.members.through.objects.count(),
        "facilitators": ReflectionGroup.facilitators.through.objects.count(),
        "member audiences": Membership.audiences.through.objects.count(),
    }


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_twice_creates_the_same_data():
    output = load_demo()
    first = counts()
    load_demo()

    assert counts() == first
    assert first["organisations"] == 3
    # Five roles and three colleagues in each organisation, and the shared person.
    assert first["users"] == 3 * (5 + 3) + 1
    assert first["memberships"] == 3 * (5 + 3) + 2
    assert DEMO_PASSWORD in output
    assert SHARED_PERSON["email"] in output


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the class, rolled back after it."""
    from tests import demo

    yield from demo.in_transaction(django_db_blocker, times=1)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    """What the demo holds: loaded once for these, each test in a savepoint."""

    def test_demo_organisations_are_easy_to_try(self):
        for org in Organisation.objects.all():
            assert org.require_mfa is False, org.slug
            roles = set(
                Membership.objects.for_organisation(org)
                .active()
                .values_list("role", flat=True)
            )
            assert roles == set(Role.values), org.slug
            assert Unit.objects.for_organisation(org).exists()
            assert ReflectionGroup.objects.for_organisation(org).exists()
        assert sorted(Organisation.objects.values_list("language", flat=True)) == [
            "da",
            "sv",
            "sv",
        ]

    def test_demo_groups_and_units_stay_inside_their_organisation(self):
        for group in ReflectionGroup.objects.all():
            assert group.unit.organisation_id == group.organisation_id
            for member in [*group.members.all(), *group.facilitators.all()]:
                assert member.organisation_id == group.organisation_id
        for membership in Membership.objects.select_related("unit"):
            assert membership.unit.organisation_id == membership.organisation_id
            for audience in membership.audiences.all():
                assert audience.organisation_id == membership.organisation_id

    def test_one_demo_person_is_in_two_organisations(self, client):
        shared = User.objects.get(email=SHARED_PERSON["email"])

        assert shared.memberships.count() == 2
        response = client.post(
            reverse("account_login"), {"login": shared.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        home = client.get(response["Location"])
        for membership in shared.memberships.select_related("organisation"):
            assert membership.organisation.name in home.text


@pytest.mark.django_db
def test_load_demo_keeps_a_changed_password():
    load_demo()
    person = User.objects.get(email="admin@alvdala.example")
    person.set_password("a-password-of-my-own")
    person.save()

    load_demo()

    person.refresh_from_db()
    assert person.check_password("a-password-of-my-own")


def test_a_new_organisation_requires_two_factor_sign_in(db):
    org = Organisation.objects.create(name="Ny kommun", slug="ny")
    assert org.require_mfa is True


# Switching between organisations


@pytest.fixture
def person_in_two(org, other_org, unit):
    first = make_member(
        org, "staff", unit=unit, name="Kim Dahl", email="kim@example.org"
    )
    second = make_member(other_org, "facilitator", user=first.user)
    return first, second


@pytest.mark.django_db
def test_home_lists_both_organisations(client, person_in_two):
    first, second = person_in_two
    sign_in(client, first)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert {m.pk for m in response.context["memberships"]} == {first.pk, second.pk}
    for membership in person_in_two:
        dashboard = reverse(
            "organisations:dashboard", args=[membership.organisation.slug]
        )
        assert membership.organisation.name in response.text
        assert f'href="{dashboard}"' in response.text


@pytest.mark.django_db
def test_both_dashboards_open_with_a_switcher(client, person_in_two):
    sign_in(client, person_in_two[0])

    for membership, other in (person_in_two, person_in_two[::-1]):
        response = client.get(
            reverse("organisations:dashboard", args=[membership.organisation.slug])
        )
        assert response.status_code == 200
        assert response.context["current_organisation"] == membership.organisation
        assert response.context["current_membership"] == membership
        other_dashboard = reverse(
            "organisations:dashboard", args=[other.organisation.slug]
        )
        assert f'href="{other_dashboard}"' in response.text
        assert other.organisation.name in response.text


@pytest.mark.django_db
def test_leaving_one_organisation_keeps_the_other(client, person_in_two):
    first, second = person_in_two
    second.is_active = False
    second.save()
    sign_in(client, first)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organisations:dashboard", args=[first.organisation.slug]
    )
    other = client.get(
        reverse("organisations:dashboard", args=[second.organisation.slug])
    )
    assert other.status_code == 404
