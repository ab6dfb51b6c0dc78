"""The account pages (django-allauth) draw their forms as every form of the
product does: an error summary linking to each field, the message at the
field, one primary button."""

from __future__ import annotations

import re

import pytest
from allauth.account.forms import ResetPasswordForm
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, make_member, make_org, sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db

REQUIRED = "This field is required."


def summary_links(html: str) -> list[tuple[str, str]]:
    """The (anchor, message) of each link in the page's error summary."""
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None, "no error summary"
    assert "data-error-summary" in summary.group(0)
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


def test_password_reset_names_the_missing_field(client):
    response = client.post(reverse("account_reset_password"), {"email": ""})

    with translation.override("sv"):
        label = str(ResetPasswordForm().fields["email"].label)
        message = tr("sv", "Fill in “%(label)s”.") % {"label": label}
    assert summary_links(response.text) == [("id_email", message)]
    assert f'id="id_email_error">{message}</p>' in response.text
    assert 'aria-invalid="true"' in response.text
    assert tr("sv", REQUIRED) not in response.text
    assert 'class="button"' in response.text


def test_a_wrong_password_is_in_the_summary(client, org, unit):
    person = make_member(org, unit=unit, email="kim@norrby.example")

    response = client.post(
        reverse("account_login"),
        {"login": person.user.email, "password": "not the password"},
    )

    links = summary_links(response.text)
    assert len(links) == 1
    anchor, message = links[0]
    # A message of the whole form goes to the form's own box.
    assert anchor == "form-errors"
    assert 'id="form-errors"' in response.text
    assert message in response.text.split("</div>", 1)[1]


def test_password_change_links_to_the_wrong_field(client, org, unit):
    person = sign_in(client, make_member(org, unit=unit, email="kim@norrby.example"))

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not the password", "password1": "", "password2": ""},
    )

    anchors = [anchor for anchor, _ in summary_links(response.text)]
    assert anchors[0] == "id_oldpassword"
    assert "id_password1" in anchors
    assert person.user.check_password("not the password") is False
    # One primary button; the rest secondary.
    buttons = re.findall(r'<button[^>]*class="(button[^"]*)"', response.text)
    assert buttons.count("button") <= 1


def test_a_wrong_authenticator_code_is_in_the_summary(client):
    editor = make_member(make_org("strikt", require_mfa=True), "editor")
    client.post(
        reverse("account_login"), {"login": editor.user.email, "password": PASSWORD}
    )
    asked = client.get(reverse("mfa_activate_totp"), follow=True)
    client.post(asked.redirect_chain[-1][0], {"password": PASSWORD})

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})

    links = summary_links(response.text)
    assert [anchor for anchor, _ in links] == ["id_code"]
    assert f'id="id_code_error">{links[0][1]}</p>' in response.text
    # The secret, drawn by allauth's own field, reads like our fields.
    assert '<label for="authenticator_secret">' in response.text
    assert not editor.user.authenticator_set.exists()
