"""One invitation accepted by several people, or windows, at the same moment.

An invitation makes one account and one membership; whoever comes second is
told so in words, never shown a server error.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, Membership
from tests.factories import make_member, make_org, sign_in
from tests.translations import tr

User = get_user_model()
TAKEN = "This invitation has just been accepted"
EMAIL = "mette@vestby.example"


def make_invitation(org, **kwargs) -> Invitation:
    kwargs.setdefault("email", EMAIL)
    kwargs.setdefault("role", "staff")
    kwargs.setdefault("expires", timezone.now() + timedelta(days=14))
    return Invitation.objects.create(organisation=org, **kwargs)


def link(invitation: Invitation) -> str:
    return reverse("invitation_accept", kwargs={"token": invitation.token()})


def form(name: str) -> dict:
    password = f"{name} väljer ett långt lösenord"
    return {"name": name, "password1": password, "password2": password}


def at_once(posts: dict[str, tuple[str, dict]]) -> dict:
    """Send each form from its own browser and connection, all at one moment."""
    clients = {name: Client(raise_request_exception=False) for name in posts}
    for name, (address, _data) in posts.items():
        assert clients[name].get(address).status_code == 200
    start = threading.Barrier(len(posts))
    responses: dict = {}

    def send(name: str) -> None:
        address, data = posts[name]
        try:
            start.wait()
            responses[name] = clients[name].post(address, data)
        finally:
            # Each thread has its own connection; the test's teardown needs
            # them closed.
            connection.close()

    threads = [threading.Thread(target=send, args=(name,)) for name in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(responses) == set(posts)
    return responses


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time; the race needs PostgreSQL's rows",
)


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_four_people_accepting_at_once_make_one_account():
    org = make_org("vestby", name="Vestby Kommune", language="da")
    address = link(make_invitation(org))
    names = ["Mette", "Mads", "Maja", "Mikkel"]

    responses = at_once({name: (address, form(name)) for name in names})

    statuses = sorted(response.status_code for response in responses.values())
    assert statuses == [302, 409, 409, 409], [
        r.context and r.context.get("form") and r.context["form"].errors
        for r in responses.values()
    ]
    (winner,) = [n for n, r in responses.items() if r.status_code == 302]
    user = User.objects.get(email=EMAIL)
    assert user.name == winner
    assert user.check_password(form(winner)["password1"])
    assert Membership.objects.filter(organisation=org).get().user == user
    invitation = Invitation.objects.get()
    assert invitation.accepted is not None
    assert invitation.membership.user == user
    for name, response in responses.items():
        if name != winner:
            assert tr("da", TAKEN) in response.text
            assert '<html lang="da">' in response.text


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_two_organisations_invitations_accepted_at_once_make_one_account():
    """The account is made by one; the other is asked to sign in with it."""
    vestby = make_org("vestby", name="Vestby Kommune", language="da")
    norrby = make_org("norrby")
    posts = {
        "vestby": (link(make_invitation(vestby)), form("Mette")),
        "norrby": (link(make_invitation(norrby)), form("Mette H")),
    }

    responses = at_once(posts)

    statuses = {name: r.status_code for name, r in responses.items()}
    assert sorted(statuses.values()) == [302, 409]
    (winner,) = [name for name, status in statuses.items() if status == 302]
    (loser,) = [name for name, status in statuses.items() if status == 409]
    user = User.objects.get(email=EMAIL)
    assert user.check_password(posts[winner][1]["password1"])
    assert [m.organisation.slug for m in Membership.objects.all()] == [winner]
    language = {"vestby": "da", "norrby": "sv"}[loser]
    page = responses[loser].text
    assert tr(language, "Sign in") in page
    assert reverse("invitation_continue") in page
    assert Invitation.objects.get(organisation__slug=loser).accepted is None


@pytest.mark.django_db
def test_the_second_form_sent_is_told_the_invitation_was_taken(client):
    org = make_org("vestby", name="Vestby Kommune", language="da")
    invitation = make_invitation(org)
    second = Client()
    assert client.get(link(invitation)).status_code == 200
    assert second.get(link(invitation)).status_code == 200

    first_response = client.post(link(invitation), form("Mette"))
    second_response = second.post(link(invitation), form("Mads"))

    assert first_response.status_code == 302
    assert second_response.status_code == 409
    assert tr("da", TAKEN) in second_response.text
    assert EMAIL in second_response.text
    assert User.objects.get(email=EMAIL).name == "Mette"
    assert Membership.objects.filter(organisation=org).count() == 1
    # The second browser was not signed in as the person who accepted.
    assert "_auth_user_id" not in second.session


@pytest.mark.django_db
def test_the_same_person_accepting_in_two_windows_gets_one_membership(client):
    org = make_org("vestby", name="Vestby Kommune", language="da")
    person = make_member(make_org("norrby"), "staff", email=EMAIL)
    invitation = make_invitation(org)
    sign_in(client, person)
    window = Client()
    sign_in(window, person)
    assert client.get(link(invitation)).status_code == 200
    assert window.get(link(invitation)).status_code == 200

    first_response = client.post(link(invitation))
    second_response = window.post(link(invitation))

    dashboard = reverse("organisations:dashboard", kwargs={"org": "vestby"})
    assert first_response["Location"] == dashboard
    assert second_response["Location"] == dashboard
    assert Membership.objects.filter(organisation=org, user=person.user).count() == 1
