"""The page after signing in speaks the person's language, its message included.

The sign-in form is answered in the browser's language (nobody is known yet);
the "signed in" message is stored as text during that request, so it used to
stay English for an English browser at a Swedish or Danish organisation.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    make_member,
    make_org,
    make_user,
    sign_in_with_two_factors,
)

pytestmark = pytest.mark.django_db

SIGNED_IN = "You are signed in as %(name)s."


def signed_in_text(language: str, name: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(SIGNED_IN) % {"name": name}


def sign_in_from_an_english_browser(client, email: str):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": PASSWORD},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize(("slug", "language"), [("norrby", "sv"), ("vestby", "da")])
def test_the_dashboard_after_signing_in_speaks_the_organisations_language(
    client, slug, language
):
    org = make_org(slug, language=language)
    member = make_member(org, "staff", name="Kim Berg")

    page = sign_in_from_an_english_browser(client, member.user.email)

    assert page.redirect_chain[-1][0] == reverse(
        "organisations:dashboard", kwargs={"org": slug}
    )
    assert f'<html lang="{language}">' in page.text
    assert signed_in_text(language, "Kim Berg") in page.text
    assert signed_in_text(language, "Kim Berg") != SIGNED_IN % {"name": "Kim Berg"}
    assert "You are signed in" not in page.text


def test_the_choice_of_organisations_speaks_the_first_ones_language(client):
    vestby = make_org("vestby", language="da")
    norrby = make_org("norrby", language="sv")
    user = make_user("kim@demo.example", name="Kim Dahl")
    make_member(vestby, "staff", user=user)
    make_member(norrby, "facilitator", user=user)

    page = sign_in_from_an_english_browser(client, "kim@demo.example")

    assert page.redirect_chain[-1][0] == reverse("home")
    assert '<html lang="da">' in page.text
    assert signed_in_text("da", "Kim Dahl") in page.text
    assert "You are signed in" not in page.text


def test_with_two_factors_the_message_is_in_the_organisations_language(client):
    org = make_org("vestby", language="da")
    member = make_member(org, "admin", name="Mette Holm")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    sign_in_with_two_factors(client, member.user)

    page = client.get(reverse("home"), follow=True)
    assert '<html lang="da">' in page.text
    assert signed_in_text("da", "Mette Holm") in page.text


def test_a_person_who_chose_english_is_greeted_in_english(client):
    org = make_org("norrby", language="sv")
    member = make_member(org, "staff", name="Kim Berg")
    member.user.language = "en"
    member.user.save(update_fields=["language"])

    page = client.post(
        reverse("account_login"),
        {"login": member.user.email, "password": PASSWORD},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert '<html lang="en">' in page.text
    assert "You are signed in as Kim Berg." in page.text
    assert signed_in_text("sv", "Kim Berg") not in page.text
