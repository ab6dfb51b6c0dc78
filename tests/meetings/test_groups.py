from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import ReflectionGroup
from tests.dilemmas.helpers import make_meeting
from tests.factories import PASSWORD, make_unit

pytestmark = pytest.mark.django_db


def login(client, membership) -> None:
    assert client.login(email=membership.user.email, password=PASSWORD)


def test_manager_creates_a_group_in_a_unit_below_their_own(
    client, org, unit, manager, member, facilitator
):
    below = make_unit(org, "Familjebehandling", parent=unit)
    login(client, manager)

    response = client.post(
        reverse("meetings:group_create", kwargs={"org": org.slug}),
        {
            "name": "Familjegruppen",
            "unit": below.pk,
            "description": "",
            "facilitators": [facilitator.pk],
            "members": [member.pk],
            "reminder_hours": 48,
        },
    )

    group = ReflectionGroup.objects.get(name="Familjegruppen")
    assert response.status_code == 302
    assert (group.organisation, group.unit, group.reminder_hours) == (org, below, 48)
    assert list(group.facilitators.all()) == [facilitator]
    assert list(group.members.all()) == [member]


def test_manager_cannot_place_a_group_in_a_unit_they_do_not_manage(
    client, org, manager
):
    elsewhere = make_unit(org, "Ekonomiskt bistånd")
    login(client, manager)

    response = client.post(
        reverse("meetings:group_create", kwargs={"org": org.slug}),
        {"name": "Bistånd", "unit": elsewhere.pk, "reminder_hours": 24},
    )

    assert response.status_code == 200
    assert not ReflectionGroup.objects.filter(name="Bistånd").exists()


def test_manager_changes_members_of_a_group(client, manager, group, other_member):
    login(client, manager)

    response = client.post(
        reverse(
            "meetings:group_change",
            kwargs={"org": group.organisation.slug, "group_uuid": group.uuid},
        ),
        {
            "name": group.name,
            "unit": group.unit.pk,
            "members": [other_member.pk],
            "reminder_hours": 24,
        },
    )

    assert response.status_code == 302
    assert list(group.members.all()) == [other_member]
    assert not group.facilitators.exists()


def test_staff_cannot_create_groups(client, org, staff):
    login(client, staff)

    response = client.get(reverse("meetings:group_create", kwargs={"org": org.slug}))

    assert response.status_code == 403


def test_facilitator_sees_their_group_but_cannot_change_it(client, facilitator, group):
    login(client, facilitator)
    kwargs = {"org": group.organisation.slug, "group_uuid": group.uuid}

    page = client.get(reverse("meetings:group_detail", kwargs=kwargs))

    assert page.status_code == 200
    assert "Maja Member" in page.text
    assert reverse("meetings:group_change", kwargs=kwargs) not in page.text
    assert (
        client.get(reverse("meetings:group_change", kwargs=kwargs)).status_code == 403
    )


def test_group_list_shows_only_the_persons_groups(client, org, other_member, group):
    login(client, other_member)

    response = client.get(reverse("meetings:group_list", kwargs={"org": org.slug}))

    assert "Äldregruppen" in response.text
    assert group.name not in response.text


def test_other_organisation_gets_404_for_a_group(client, outsider, group):
    login(client, outsider)
    kwargs = {"org": group.organisation.slug, "group_uuid": group.uuid}

    assert (
        client.get(reverse("meetings:group_detail", kwargs=kwargs)).status_code == 404
    )


def test_admin_of_the_organisation_manages_every_group(client, admin_member, group):
    login(client, admin_member)
    kwargs = {"org": group.organisation.slug, "group_uuid": group.uuid}

    assert (
        client.get(reverse("meetings:group_change", kwargs=kwargs)).status_code == 200
    )


@pytest.mark.parametrize("language", ["sv", "da", "en"])
def test_the_group_page_shows_each_meeting_as_the_meeting_page_does(
    client, facilitator, group, language
):
    """The rows are formatted in the view; they read as meetings/includes/when.html."""
    facilitator.user.language = language
    facilitator.user.save(update_fields=["language"])
    now = timezone.now()
    # Around the change to winter time, one held and one to come.
    held = make_meeting(group, datetime.date(2026, 10, 24))
    coming = make_meeting(group, (now + datetime.timedelta(days=9)).date())
    login(client, facilitator)
    kwargs = {"org": group.organisation.slug, "group_uuid": group.uuid}

    page = client.get(reverse("meetings:group_detail", kwargs=kwargs))

    assert page.status_code == 200
    org = group.organisation
    with (
        translation.override(language),
        timezone.override(zoneinfo.ZoneInfo(org.time_zone)),
    ):
        for meeting in (held, coming):
            when = render_to_string("meetings/includes/when.html", {"meeting": meeting})
            address = reverse(
                "meetings:meeting_detail",
                kwargs={"org": org.slug, "meeting_uuid": meeting.uuid},
            )
            assert f'<a href="{address}">{when}</a>' in page.text
