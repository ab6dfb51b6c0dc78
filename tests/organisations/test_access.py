from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_dashboard_shows_role_and_unit(client, staff):
    client.login(email=staff.user.email, password=PASSWORD)
    response = client.get(
        reverse("organisations:dashboard", args=[staff.organisation.slug])
    )
    assert response.status_code == 200
    assert "Barn och familj" in response.text
