"""Switching the interface language: remembered on the account and in a cookie."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import sign_in
from tests.translations import tr

COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch(client, language: str, next_url: str | None = None, **extra):
    data = {"language": language}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("set_language"), data, **extra)


def in_danish(message: str) -> str:
    translated = tr("da", message)
    assert translated != message, f"Danish catalogue has no {message!r}"
    return translated


@pytest.mark.django_db
def test_signed_in_person_switches_language(client, staff):
    sign_in(client, staff)
    profile = reverse("profile")

    response = switch(client, "da", profile)

    assert response.status_code == 302
    assert response["Location"] == profile
    staff.user.refresh_from_db()
    assert staff.user.language == "da"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "da"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"

    page = client.get(reverse("account_change_password"))
    assert '<html lang="da">' in page.text
    assert in_danish("Current Password") in page.text
    assert page["Content-Language"] == "da"


@pytest.mark.django_db
def test_the_choice_follows_the_person_to_another_browser(client, staff):
    sign_in(client, staff)
    switch(client, "da")

    elsewhere = Client()
    sign_in(elsewhere, staff)
    page = elsewhere.get(reverse("account_change_password"))

    assert COOKIE not in elsewhere.cookies
    assert '<html lang="da">' in page.text
    assert in_danish("Current Password") in page.text


@pytest.mark.django_db
def test_the_next_address_is_kept_with_its_query(client, admin_member):
    sign_in(client, admin_member)
    members = reverse(
        "organisations:member_list", args=[admin_member.organisation.slug]
    )

    response = switch(client, "en", f"{members}?q=sara&status=all")

    assert response["Location"] == f"{members}?q=sara&status=all"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert 'name="q" value="sara"' in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_an_outside_next_address_is_refused(client, staff, next_url):
    sign_in(client, staff)

    response = switch(client, "da", next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    staff.user.refresh_from_db()
    assert staff.user.language == "da"


@pytest.mark.django_db
def test_anonymous_switching_sets_the_cookie(client):
    login = reverse("account_login")

    response = switch(client, "da", login)

    assert response.status_code == 302
    assert response["Location"] == login
    assert response.cookies[COOKIE].value == "da"
    page = client.get(login)
    assert '<html lang="da">' in page.text
    assert in_danish("Password") in page.text
    assert '<option value="da" lang="da" selected>' in page.text


@pytest.mark.django_db
def test_the_interface_is_swedish_by_default(client):
    page = client.get(reverse("account_login"))
    assert '<html lang="sv">' in page.text
    assert tr("sv", "Password") in page.text
    assert tr("sv", "Password") != "Password"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["xx", "", "de", "sv-FI"])
def test_an_unknown_language_changes_nothing(client, staff, language):
    staff.user.language = "en"
    staff.user.save()
    sign_in(client, staff)
    profile = reverse("profile")

    response = switch(client, language, profile)

    assert response.status_code == 302
    assert response["Location"] == profile
    assert COOKIE not in response.cookies
    staff.user.refresh_from_db()
    assert staff.user.language == "en"
    page = client.get(profile)
    assert '<html lang="en">' in page.text
    assert [str(m) for m in page.context["messages"]] == [
        "Choose one of the languages in the list."
    ]
    assert "Choose one of the languages in the list." in page.text


@pytest.mark.django_db
def test_switching_by_get_is_refused(client, staff):
    sign_in(client, staff)

    response = client.get(reverse("set_language"), {"language": "da"})

    assert response.status_code == 405
    assert COOKIE not in response.cookies
    staff.user.refresh_from_db()
    assert staff.user.language == ""


@pytest.mark.django_db
def test_the_language_can_be_chosen_in_the_profile(client, staff):
    sign_in(client, staff)

    response = client.post(
        reverse("profile"), {"name": "Sara Staff", "language": "da"}, follow=True
    )

    assert response.redirect_chain == [(reverse("profile"), 302)]
    staff.user.refresh_from_db()
    assert staff.user.language == "da"
    assert '<html lang="da">' in response.text
    assert '<option value="da" selected>' in response.text


@pytest.mark.django_db
def test_the_profile_asks_anonymous_people_to_sign_in(client):
    response = client.post(reverse("profile"), {"name": "X", "language": "da"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/profile/"


@pytest.mark.django_db
def test_pages_outside_organisations_speak_the_organisations_language(client):
    from django.urls import reverse

    from tests.factories import PASSWORD, make_member, make_org
    from tests.translations import tr

    vestby = make_org("vestby", language="da")
    member = make_member(vestby, "staff")
    client.post(
        reverse("account_login"), {"login": member.user.email, "password": PASSWORD}
    )

    for name in ("profile", "mfa_index", "account_email"):
        page = client.get(reverse(name))
        assert '<html lang="da">' in page.text, name
    assert tr("da", "Your settings") in client.get(reverse("profile")).text
