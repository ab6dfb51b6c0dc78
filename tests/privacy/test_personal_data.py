"""A person's own data: download it as JSON, or have the account anonymised."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEvent
from meetings.models import CalendarFeed
from organisations.models import Membership
from reflections.models import Position, StepKind
from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.factories import PASSWORD, make_group, make_member, sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def case(org, unit, staff):
    facilitator = make_member(org, "facilitator", unit=unit, name="Fia Facilitator")
    group = make_group(org, unit, facilitators=[facilitator], members=[staff])
    dilemma = make_dilemma(group, staff, title="Sara skriver ett fall")
    import datetime

    meeting = make_meeting(group, datetime.date.today() + datetime.timedelta(days=3))
    reflection = start_reflection(meeting, dilemma, facilitator)
    Position.objects.create(
        step=reflection.steps.get(kind=StepKind.POSITIONS),
        membership=staff,
        body="Jag väljer att lyssna.",
    )
    return dilemma, reflection, facilitator


def test_my_data_is_a_json_download_of_my_own_things(client, staff, outsider, case):
    dilemma, _reflection, facilitator = case
    sign_in(client, staff)

    response = client.get(reverse("privacy:my_data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == staff.user.email
    assert [m["organisation"] for m in data["memberships"]] == [staff.organisation.name]
    assert data["memberships"][0]["groups"] == ["Etikgruppen"]
    assert [d["title"] for d in data["dilemmas_raised"]] == [dilemma.title]
    assert [p["text"] for p in data["positions_written"]] == ["Jag väljer att lyssna."]
    # Nobody else's data.
    text = response.content.decode()
    assert facilitator.user.email not in text and outsider.user.email not in text
    # The download itself is in the audit log, and in the next download.
    assert (
        AuditEvent.objects.filter(
            user=staff.user, action="export", object_kind="personal data"
        ).count()
        == 1
    )
    again = json.loads(client.get(reverse("privacy:my_data")).content)
    assert [e["action"] for e in again["audit_log"]] == ["export", "export"]


def test_my_data_needs_a_sign_in_and_a_get(client, staff):
    url = reverse("privacy:my_data")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    sign_in(client, staff)
    assert client.post(url).status_code == 405


def test_anonymising_forgets_the_person_and_keeps_their_contributions(
    client, staff, case
):
    dilemma, reflection, facilitator = case
    CalendarFeed.issue(staff)
    other_browser = client.__class__()
    sign_in(other_browser, staff)
    sign_in(client, staff)
    page = client.get(reverse("privacy:forget_me"))
    assert page.status_code == 200

    wrong = client.post(
        reverse("privacy:forget_me"), {"password": "fel", "confirm": "on"}
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["password"]

    done = client.post(
        reverse("privacy:forget_me"), {"password": PASSWORD, "confirm": "on"}
    )

    assert done["Location"] == reverse("account_login")
    user = User.objects.get(pk=staff.user.pk)
    assert user.anonymised is not None
    assert (user.name, user.is_active, user.has_usable_password()) == (
        "",
        False,
        False,
    )
    assert "sara" not in user.email and user.email.endswith("@anonymised.invalid")
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user, is_active=True).exists()
    assert not CalendarFeed.objects.filter(membership__user=user).exists()
    # Signed out here and in the other browser; the old password is worthless.
    dashboard = reverse("organisations:dashboard", kwargs={"org": "norrby"})
    assert client.get(dashboard).status_code == 302
    assert other_browser.get(dashboard).status_code == 302
    assert not client.login(email="staff@norrby.example", password=PASSWORD)
    # What they wrote stays for the group, by a former member.
    sign_in(client, facilitator)
    page = client.get(
        reverse(
            "dilemmas:detail", kwargs={"org": "norrby", "dilemma_uuid": dilemma.uuid}
        )
    )
    assert dilemma.description in page.text
    assert tr("sv", "Former member") in page.text
    assert "Sara Staff" not in page.text
    assert AuditEvent.objects.filter(action="anonymise", user=user).count() == 1


def test_the_last_administrator_cannot_be_anonymised(client, admin_member):
    sign_in(client, admin_member)
    page = client.get(reverse("privacy:forget_me"))
    assert tr("sv", "Delete my account") not in page.text.split("</h1>", 1)[1]

    client.post(reverse("privacy:forget_me"), {"password": PASSWORD, "confirm": "on"})

    admin_member.user.refresh_from_db()
    assert admin_member.user.anonymised is None
    # Commands speak the site's language (LANGUAGE_CODE, Swedish).
    refusal = tr(
        "sv",
        "You are the last administrator of %(orgs)s. Make someone else an "
        "administrator first.",
    ) % {"orgs": admin_member.organisation.name}
    with pytest.raises(CommandError) as refused:
        call_command("anonymise_account", admin_member.user.email)
    assert str(refused.value) == refusal


def test_the_command_anonymises_by_address(staff, capsys):
    call_command("anonymise_account", "STAFF@norrby.example")
    staff.user.refresh_from_db()
    assert staff.user.anonymised is not None
    assert "anonymised" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("anonymise_account", "nobody@norrby.example")


def test_deactivating_a_member_revokes_their_calendar_feed(client, admin_member, staff):
    token = CalendarFeed.issue(staff)
    feed = reverse("calendar_feed", kwargs={"token": token})
    assert client.get(feed).status_code == 200
    sign_in(client, admin_member)

    client.post(
        reverse(
            "organisations:member_deactivate",
            kwargs={"org": "norrby", "member_uuid": staff.uuid},
        )
    )

    assert not CalendarFeed.objects.filter(membership=staff).exists()
    client.post(
        reverse(
            "organisations:member_reactivate",
            kwargs={"org": "norrby", "member_uuid": staff.uuid},
        )
    )
    # Revoked, not paused: reactivation does not bring the old address back.
    assert client.get(feed).status_code == 404
