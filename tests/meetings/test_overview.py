from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import PASSWORD, make_group

pytestmark = pytest.mark.django_db


def login(client, membership) -> None:
    assert client.login(email=membership.user.email, password=PASSWORD)


def overview(client, org, **params):
    return client.get(reverse("meetings:overview", kwargs={"org": org.slug}), params)


def test_overview_shows_upcoming_quiet_groups_and_attendance_rate(
    client, org, unit, manager, meeting, member, facilitator
):
    group = meeting.group
    make_group(org, unit, "Tysta gruppen")
    now = timezone.now()
    held = Meeting.objects.create(
        organisation=org,
        group=group,
        title="Förra mötet",
        place="Rum 1",
        start=now - timedelta(days=10),
        end=now - timedelta(days=10, hours=-1),
    )
    held.record_attendance([member])
    login(client, manager)

    response = overview(client, org, weeks=4)

    text = response.text
    assert response.status_code == 200
    assert "Etisk reflektion" in text  # the upcoming meeting
    quiet_section = text.split('id="quiet-heading"')[1].split("</section>")[0]
    assert "Tysta gruppen" in quiet_section
    assert group.name not in quiet_section
    assert "1 / 2" in text and "50 %" in text


def test_attendance_rate_respects_the_period(client, org, manager, meeting, member):
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        start=now - timedelta(days=200), end=now - timedelta(days=200, hours=-1)
    )
    meeting.refresh_from_db()
    meeting.record_attendance([member])
    login(client, manager)

    recent = overview(client, org)
    everything = overview(
        client, org, start=(now - timedelta(days=365)).date().isoformat()
    )

    assert "50 %" not in recent.text
    assert "50 %" in everything.text


def test_staff_cannot_see_the_overview(client, org, staff):
    login(client, staff)

    assert overview(client, org).status_code == 403


def test_manager_sees_only_groups_of_units_they_manage(
    client, org, manager, other_member
):
    login(client, manager)

    assert "Äldregruppen" not in overview(client, org).text
