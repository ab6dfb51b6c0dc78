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
    assert "Tider visas i östeuropeisk tid (Helsingfors)." in response.text
    assert "Europe/Helsinki" not in response.text


@pytest.mark.django_db
def test_the_time_zone_does_not_outlive_the_request(client, other_org):
    other_org.time_zone = "Europe/Helsinki"
    other_org.save()
    sign_in(client, make_member(other_org, "staff"))

    client.get(reverse("organisations:dashboard", args=[other_org.slug]))

    # The same thread serves the next request, perhaps for another organisation.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


@pytest.mark.django_db
def test_organisation_language_for_people_without_a_choice(client, unit):
    from tests.factories import make_org

    danish = make_org("vestby", language="da", time_zone="Europe/Copenhagen")
    member = make_member(danish, "staff")
    client.login(email=member.user.email, password=PASSWORD)
    url = reverse("organisations:dashboard", args=[danish.slug])
    assert '<html lang="da">' in client.get(url).text
    # A language chosen with the switcher (a cookie) or on the account wins.
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get(url).text
    del client.cookies["django_language"]
    member.user.language = "sv"
    member.user.save(update_fields=["language"])
    assert '<html lang="sv">' in client.get(url).text


@pytest.mark.django_db
def test_group_member_counts_are_whole_for_a_member(client, org, unit, staff):
    from tests.factories import make_group

    others = [make_member(org, "staff", email=f"s{i}@norrby.example") for i in range(3)]
    make_group(org, unit, "Etikgruppen", members=[staff, *others])
    client.login(email=staff.user.email, password=PASSWORD)
    page = client.get(reverse("organisations:dashboard", args=[org.slug]))
    assert [g.member_count for g in page.context["groups"]] == [4]
    groups = client.get(reverse("meetings:group_list", args=[org.slug]))
    assert [g.member_count for g in groups.context["groups"]] == [4]
