"""A dilemma is raised only for a group whose cases the person may read.

An administrator sees every group, but reads no case by virtue of that role
(docs/privacy.md). The group page offered them "Raise a dilemma", the form
offered every group, and the dilemma they had just raised answered 404. The
group page also said "No open dilemmas" to them when there were some.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from dilemmas.models import Dilemma
from tests.factories import make_member, sign_in
from tests.translations import tr

from .helpers import make_dilemma
from .test_dilemmas import form_data, url

pytestmark = pytest.mark.django_db


def group_page(group) -> str:
    return reverse(
        "meetings:group_detail",
        kwargs={"org": group.organisation.slug, "group_uuid": group.uuid},
    )


def test_an_administrator_outside_the_group_cannot_raise_a_dilemma_for_it(
    client, admin_member, group
):
    sign_in(client, admin_member)
    form = client.get(url("create"))
    assert form.status_code == 200
    assert group.name not in form.text

    response = client.post(url("create"), form_data(group))

    assert response.status_code == 200
    assert not Dilemma.objects.exists()
    # What was typed stays; the group field says why.
    assert "Ett barn som inte vill åka hem" in response.text
    assert (
        tr(
            "sv",
            "Select a valid choice. That choice is not one of the available choices.",
        )
        in response.text
    )


def test_a_member_of_the_group_raises_and_reads_it(client, org, unit, group):
    admin = make_member(org, "admin", unit=unit, email="admin2@norrby.example")
    group.members.add(admin)
    sign_in(client, admin)

    response = client.post(url("create"), form_data(group))

    dilemma = Dilemma.objects.get()
    assert response["Location"] == url("detail", dilemma)
    assert client.get(response["Location"]).status_code == 200


def test_a_manager_above_the_group_raises_for_it(client, manager, group):
    sign_in(client, manager)
    response = client.post(url("create"), form_data(group))
    dilemma = Dilemma.objects.get()
    assert dilemma.author == manager
    assert client.get(response["Location"]).status_code == 200


def test_the_group_page_says_who_reads_its_dilemmas_to_those_who_cannot(
    client, admin_member, group, member
):
    make_dilemma(group, member, title="Ett ärende i gruppen")
    sign_in(client, admin_member)

    page = client.get(group_page(group))

    assert page.status_code == 200
    assert "Ett ärende i gruppen" not in page.text
    assert tr("sv", "No open dilemmas.") not in page.text
    assert (
        tr(
            "sv",
            "Only the group's members and facilitators, and the managers of its "
            "unit and the units above it, read its dilemmas.",
        )
        in page.text
    )
    assert url("create") + f"?group={group.pk}" not in page.text


def test_the_group_page_lists_open_dilemmas_to_its_members(client, group, member):
    make_dilemma(group, member, title="Ett ärende i gruppen")
    sign_in(client, member)

    page = client.get(group_page(group))

    assert "Ett ärende i gruppen" in page.text
    assert url("create") + f"?group={group.pk}" in page.text
