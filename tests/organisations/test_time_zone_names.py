"""Time zones are named in the organisation's language: the footer says which
zone the times are in, and the settings offer places to choose by country and
city, sorted as the language sorts; the IANA key is what is stored."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_member, make_org, make_unit, sign_in

from .test_settings import settings_url, valid

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def zone_options(page: str) -> list[tuple[str, bool, str]]:
    """The time zone select's options: key, selected, label."""
    select = page.split('name="time_zone"', 1)[1].split("</select>", 1)[0]
    return [(key, bool(chosen), label) for key, chosen, label in OPTION.findall(select)]


def admin_of(org):
    return make_member(org, "admin", unit=make_unit(org), name="Anna Admin")


@pytest.fixture
def danish_admin(db):
    org = make_org("vestby", language="da", time_zone="Europe/Copenhagen")
    return admin_of(org)


@pytest.mark.django_db
def test_the_danish_settings_name_the_zones_in_danish(client, danish_admin):
    sign_in(client, danish_admin)

    page = client.get(settings_url(danish_admin.organisation)).text

    options = zone_options(page)
    labels = [label for _key, _chosen, label in options]
    assert ("Europe/Copenhagen", True, "Danmark – København") in options
    assert ("Europe/Isle_of_Man", False, "Isle of Man") in options
    assert ("Europe/Vienna", False, "Østrig – Wien") in options
    assert ("Atlantic/Faroe", False, "Færøerne") in options
    assert ("America/Nuuk", False, "Grønland – Nuuk") in options
    # No option shows a bare IANA key, and an old name of a zone is not offered
    # beside its new one.
    assert not [label for label in labels if "/" in label or "_" in label]
    assert "Europe/Kiev" not in [key for key, _chosen, _label in options]
    # The Danish alphabet ends with æ, ø, å.
    assert labels.index("Tyskland – Berlin") < labels.index("Østrig – Wien")
    assert labels.index("Østrig – Wien") < labels.index("Åland – Mariehamn")


@pytest.mark.django_db
def test_the_swedish_settings_sort_a_a_and_o_last(client, admin_member):
    sign_in(client, admin_member)

    page = client.get(settings_url(admin_member.organisation)).text

    options = zone_options(page)
    labels = [label for _key, _chosen, label in options]
    assert ("Europe/Stockholm", True, "Sverige – Stockholm") in options
    assert labels[-3:] == [
        "Vatikanstaten – Vatikanen",
        "Åland – Mariehamn",
        "Österrike – Wien",
    ]
    assert labels.index("Färöarna – Torshamn") > labels.index("Frankrike – Paris")


@pytest.mark.django_db
def test_choosing_a_place_stores_its_key_and_the_footer_names_it(client, danish_admin):
    org = danish_admin.organisation
    sign_in(client, danish_admin)

    response = client.post(
        settings_url(org), valid(org, time_zone="Europe/Isle_of_Man"), follow=True
    )

    org.refresh_from_db()
    assert org.time_zone == "Europe/Isle_of_Man"
    assert "Tidspunkter vises i britisk tid (Isle of Man)." in response.text
    assert ("Europe/Isle_of_Man", True, "Isle of Man") in zone_options(response.text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "zone", "footer"),
    [
        ("sv", "Europe/Stockholm", "Tider visas i centraleuropeisk tid (Stockholm)."),
        (
            "da",
            "Europe/Copenhagen",
            "Tidspunkter vises i centraleuropæisk tid (København).",
        ),
        ("sv", "Europe/Helsinki", "Tider visas i östeuropeisk tid (Helsingfors)."),
    ],
)
def test_the_footer_names_the_zone_in_the_language(client, language, zone, footer):
    org = make_org("vestby", language=language, time_zone=zone)
    member = make_member(org, "staff")
    sign_in(client, member)

    page = client.get(reverse("organisations:dashboard", args=[org.slug])).text

    footer_html = page.split('<footer class="site-footer">', 1)[1]
    assert footer in footer_html
    assert zone not in footer_html


@pytest.mark.django_db
def test_a_zone_stored_by_an_old_name_stays_chosen(client, admin_member):
    org = admin_member.organisation
    org.time_zone = "Europe/Kiev"
    org.save(update_fields=["time_zone"])
    sign_in(client, admin_member)

    page = client.get(settings_url(org)).text
    assert ("Europe/Kiev", True, "Ukraina – Kiev") in zone_options(page)

    response = client.post(settings_url(org), valid(org))

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.time_zone == "Europe/Kiev"
