"""The first visit: what each role does first, on the dashboard until put away."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from guidance.models import Dismissal
from guidance.welcome import FIRST_STEPS
from organisations.models import Role
from tests.factories import make_member, make_org, sign_in

HEADING = "Ny här? Börja med det här"

pytestmark = pytest.mark.django_db


def dashboard(org) -> str:
    return reverse("organisations:dashboard", kwargs={"org": org.slug})


def dismiss(org) -> str:
    return reverse("guidance:dismiss", kwargs={"org": org.slug})


@pytest.mark.parametrize("role", Role.values)
def test_each_role_is_told_what_to_do_first(client, org, unit, role):
    member = sign_in(client, make_member(org, role, unit=unit))

    content = client.get(dashboard(org)).content.decode()

    assert HEADING in content
    assert f'action="{dismiss(org)}"' in content
    with translation.override("sv"):
        for text, name in FIRST_STEPS[role]:
            url = reverse(name, kwargs={"org": org.slug})
            assert f'<a href="{url}">{text}</a>' in content
            # Every suggestion opens for the role it is made to.
            assert client.get(url).status_code == 200, (role, name)
    with translation.override("sv"):
        mine = {str(t) for t, _ in FIRST_STEPS[role]}
        others = {str(t) for steps in FIRST_STEPS.values() for t, _ in steps}
    for text in others - mine:
        assert text not in content, (role, text)
    assert not Dismissal.objects.filter(membership=member).exists()


@pytest.mark.parametrize("role", Role.values)
def test_dismissed_it_is_gone_for_good(client, org, unit, role):
    member = sign_in(client, make_member(org, role, unit=unit))

    response = client.post(dismiss(org))

    assert response.status_code == 302
    assert response["Location"] == dashboard(org)
    assert Dismissal.objects.filter(membership=member).count() == 1
    assert HEADING not in client.get(dashboard(org)).content.decode()
    # A second press changes nothing.
    assert client.post(dismiss(org)).status_code == 302
    assert Dismissal.objects.filter(membership=member).count() == 1


def test_dismissing_is_for_the_own_membership_only(client, org, unit):
    second = make_org("osterby", name="Österby kommun", language="da")
    staff = make_member(org, "staff", unit=unit)
    # The same person in another organisation, and a colleague in this one.
    elsewhere = make_member(second, "facilitator", user=staff.user)
    colleague = make_member(org, "staff", unit=unit, email="kollega@norrby.example")
    sign_in(client, staff)

    client.post(dismiss(org), {"membership": colleague.pk})

    assert list(Dismissal.objects.values_list("membership", flat=True)) == [staff.pk]
    assert "Ny her? Begynd med dette" in client.get(dashboard(second)).content.decode()
    assert not Dismissal.objects.filter(membership=elsewhere).exists()
    client.logout()
    sign_in(client, colleague)
    assert HEADING in client.get(dashboard(org)).content.decode()


def test_dismiss_takes_only_post(client, org, staff):
    sign_in(client, staff)
    assert client.get(dismiss(org)).status_code == 405
    assert not Dismissal.objects.exists()


def test_anonymous_and_other_organisations_cannot_dismiss(client, org, outsider):
    response = client.post(dismiss(org))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    sign_in(client, outsider)
    assert client.post(dismiss(org)).status_code == 404
    assert not Dismissal.objects.exists()
