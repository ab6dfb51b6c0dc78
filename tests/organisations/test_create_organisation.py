"""`manage.py create_organisation`: a new organisation without the Django admin."""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from organisations.models import Invitation, Membership, Organisation
from tests.factories import make_org

NEW_PASSWORD = "ett långt lösenord i flera ord"


def create(**options) -> str:
    options.setdefault("name", "Norrby kommun, socialtjänsten")
    options.setdefault("short_name", "norrby")
    options.setdefault("admin_email", "Maja.Berg@Norrby.example")
    out = StringIO()
    call_command("create_organisation", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_organisation_is_made_and_its_first_administrator_invited(client):
    output = create(
        language="da", time_zone="Europe/Copenhagen", admin_name="Maja Berg"
    )

    organisation = Organisation.objects.get(slug="norrby")
    assert (organisation.name, organisation.language, organisation.time_zone) == (
        "Norrby kommun, socialtjänsten",
        "da",
        "Europe/Copenhagen",
    )
    assert organisation.setup_open and organisation.setup_steps == {}
    assert "/o/norrby/" in output and "maja.berg@norrby.example" in output
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role, invitation.name) == (
        "maja.berg@norrby.example",
        "admin",
        "Maja Berg",
    )
    # The invitation went out through the task (immediate in tests), in Danish.
    (message,) = mail.outbox
    assert message.to == ["maja.berg@norrby.example"]
    assert "Norrby kommun" in message.subject
    rows = AuditEvent.objects.for_organisation(organisation).order_by("seq")
    assert [(row.action, row.object_kind, row.via) for row in rows] == [
        ("create", "organisation", "system"),
        ("invite", "invitation", "system"),
    ]

    # Through HTTP: the link makes the person the organisation's administrator.
    (link,) = re.findall(r"https?://\S+", message.body)
    path = urlsplit(link).path
    assert client.get(path).status_code == 200
    client.post(
        path,
        {"name": "Maja Berg", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    user = get_user_model().objects.get(email="maja.berg@norrby.example")
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (organisation, "admin")


@pytest.mark.django_db
def test_a_short_name_in_use_is_refused_and_nothing_changes():
    existing = make_org("norrby", name="Det gamla Norrby")
    with pytest.raises(CommandError, match="already exists"):
        create()
    existing.refresh_from_db()
    assert existing.name == "Det gamla Norrby"
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"language": "fi"}, "language"),
        ({"time_zone": "Mars/Olympus"}, "time zone"),
        ({"short_name": "norr by!"}, "short name"),
        ({"admin_email": "inte-en-adress"}, "admin e-mail"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_named_and_nothing_is_created(options, message):
    with pytest.raises(CommandError, match=message) as raised:
        create(**options)
    assert "Nothing was created" in str(raised.value)
    assert not Organisation.objects.exists()
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not mail.outbox
