"""The pattern page: every component in its states, for the platform's staff only."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, make_member, make_org, make_user, sign_in


def tr(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


@pytest.mark.django_db
class TestPatternPage:
    def test_staff_of_the_platform_see_every_component(self, client):
        make_user("ops@etikrum.example", is_staff=True)
        assert client.login(email="ops@etikrum.example", password=PASSWORD)
        page = client.get(reverse("patterns"), headers={"accept-language": "sv"})
        assert page.status_code == 200
        text = page.text
        for heading in ("Buttons", "Fields", "Errors", "Tables", "Charts", "Steps"):
            assert f">{tr(heading)}</h2>" in text
        # The same includes as the product: error summary, pager, progress, charts.
        assert 'class="error-summary"' in text
        assert 'rel="next"' in text and 'rel="prev"' in text
        assert 'class="progress"' in text and 'aria-current="step"' in text
        assert text.count('<svg class="chart__svg"') == 3
        assert 'role="region"' in text
        for kind in ("success", "info", "warning", "error"):
            assert f"message--{kind}" in text
        for state in ("adopted", "draft", "superseded", "cancelled"):
            assert f"badge--{state}" in text

    def test_a_member_who_is_not_platform_staff_gets_404(self, client):
        sign_in(client, make_member(make_org(), "admin"))
        assert client.get(reverse("patterns")).status_code == 404

    def test_anonymous_gets_404(self, client):
        assert client.get(reverse("patterns")).status_code == 404

    @override_settings(DEBUG=True)
    def test_in_development_anyone_sees_it(self, client):
        assert client.get(reverse("patterns")).status_code == 200

    def test_only_get(self, client):
        make_user("ops@etikrum.example", is_staff=True)
        assert client.login(email="ops@etikrum.example", password=PASSWORD)
        assert client.post(reverse("patterns")).status_code == 405
