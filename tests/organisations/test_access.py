from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, make_member, sign_in


@pytest.mark.django_db
def test_dashboard_shows_role_and_unit(client, staff):
    client.login(email=staff.user.email, password=PASSWORD)
    response = client.get(
        reverse("organisations:dashboard", args=[staff.organisation.slug])
    )
    assert response.status_code == 200
    assert "Barn och familj" in response.text


@pytest.mark.django_db
def test_pages_use_the_organisations_time_zone(client, other_org):
    other_org.time_zone = "Europe/Helsinki"
    other_org.save()
    member = make_member(other_org, "staff")
    sign_in(client, member)

    response = client.get(reverse("organisations:dashboard", args=[other_org.slug]))

    assert response.status_code == 200
    assert "Europe/Helsinki" in response.text


@pytest.mark.django_db
def test_the_time_zone_does_not_outlive_the_request(client, other_org):
    other_org.time_zone = "Europe/Helsinki"
    other_org.save()
    sign_in(client, make_member(other_org, "staff"))

    client.get(reverse("organisations:dashboard", args=[other_org.slug]))

    # The same thread serves the next request, perhaps for another organisation.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
