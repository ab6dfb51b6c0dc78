"""Administrators change the organisation's language, time zone and retention."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tests.factories import make_member, sign_in
from tests.translations import tr


def settings_url(org) -> str:
    return reverse("organisations:settings", kwargs={"org": org.slug})


def valid(org, **changes) -> dict:
    data = {
        "name": org.name,
        "language": org.language,
        "time_zone": org.time_zone,
        "retention_days": org.retention_days,
        "idle_minutes": org.idle_minutes,
        "evaluation_minimum": org.evaluation_minimum,
    }
    if org.require_mfa:
        data["require_mfa"] = "on"
    return {**data, **changes}


@pytest.mark.django_db
def test_settings_form_shows_the_current_values(client, admin_member):
    org = admin_member.organisation
    sign_in(client, admin_member)

    response = client.get(settings_url(org))

    assert response.status_code == 200
    assert response.context["form"].instance == org
    assert f'value="{org.name}"' in response.text
    assert '<option value="Europe/Stockholm" selected>' in response.text
    assert '<option value="sv" selected>' in response.text
    assert f'value="{org.retention_days}"' in response.text


@pytest.mark.django_db
def test_admin_changes_language_time_zone_and_retention(client, admin_member):
    org = admin_member.organisation
    sign_in(client, admin_member)

    response = client.post(
        settings_url(org),
        valid(
            org,
            name="Norrby kommun, omsorgen",
            language="da",
            time_zone="Europe/Copenhagen",
            retention_days="30",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(settings_url(org), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        tr("sv", "The settings were saved.")
    ]
    org.refresh_from_db()
    assert (org.name, org.language, org.time_zone, org.retention_days) == (
        "Norrby kommun, omsorgen",
        "da",
        "Europe/Copenhagen",
        30,
    )
    # Pages of the organisation now show times in its new zone.
    assert "Europe/Copenhagen" in response.text


@pytest.mark.django_db
def test_turning_on_two_factor_sends_the_admin_to_set_it_up(client, admin_member):
    org = admin_member.organisation
    sign_in(client, admin_member)

    response = client.post(settings_url(org), valid(org, require_mfa="on"))

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.require_mfa is True
    next_page = client.get(response["Location"])
    assert next_page.status_code == 302
    assert next_page["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "Europe/Atlantis"])
def test_an_unknown_time_zone_is_refused(client, admin_member, zone):
    org = admin_member.organisation
    sign_in(client, admin_member)

    response = client.post(settings_url(org), valid(org, time_zone=zone))

    assert response.status_code == 200
    errors = response.context["form"].errors["time_zone"]
    if zone:
        choice = tr(
            "sv",
            "Select a valid choice. %(value)s is not one of the available choices.",
        )
        assert errors == [choice % {"value": zone}]
        assert errors[0] in response.text
    else:
        assert errors == [tr("sv", "This field is required.")]
        # The page names the field rather than Django's bare message.
        label = response.context["form"]["time_zone"].label
        named = tr("sv", "Choose an answer for “%(label)s”.") % {"label": label}
        assert named in response.text
        assert errors[0] not in response.text
    org.refresh_from_db()
    assert org.time_zone == "Europe/Stockholm"


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["29", "0", "-1"])
def test_retention_under_30_days_is_refused(client, admin_member, days):
    org = admin_member.organisation
    before = org.retention_days
    sign_in(client, admin_member)

    response = client.post(settings_url(org), valid(org, retention_days=days))

    assert response.status_code == 200
    message = tr("sv", "Keep case texts for at least 30 days.")
    assert response.context["form"].errors["retention_days"] == [message]
    assert message in response.text
    assert f'value="{days}"' in response.text
    org.refresh_from_db()
    assert org.retention_days == before


@pytest.mark.django_db
def test_settings_refuse_put(client, admin_member):
    sign_in(client, admin_member)
    response = client.put(settings_url(admin_member.organisation))
    assert response.status_code == 405


@pytest.mark.django_db
def test_settings_ask_anonymous_people_to_sign_in(client, org):
    response = client.post(settings_url(org), valid(org, language="en"))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('account_login')}?next={settings_url(org)}"
    )
    org.refresh_from_db()
    assert org.language == "sv"


@pytest.mark.django_db
def test_settings_are_hidden_from_other_organisations(client, org, outsider):
    sign_in(client, outsider)
    response = client.post(settings_url(org), valid(org, language="en"))
    assert response.status_code == 404
    org.refresh_from_db()
    assert org.language == "sv"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "facilitator", "manager", "editor"])
def test_settings_are_forbidden_below_admin(client, org, role):
    member = make_member(org, role)
    sign_in(client, member)

    assert client.get(settings_url(org)).status_code == 403
    response = client.post(settings_url(org), valid(org, retention_days="3650"))
    assert response.status_code == 403
    assert Organisation.objects.get(pk=org.pk).retention_days == org.retention_days
