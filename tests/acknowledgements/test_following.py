"""Managers follow who has confirmed, per unit, remind the others, and download it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from acknowledgements.models import Acknowledgement, Notice
from audit.models import AuditEvent
from organisations.models import Unit
from tests.factories import make_member, make_unit, sign_in
from tests.translations import tr
from values.models import Version

from .helpers import TODAY, two_versions, url

pytestmark = pytest.mark.django_db

ON_THE_DAY = datetime.datetime(2027, 1, 1, 9, tzinfo=datetime.UTC)
NEXT_DAY = ON_THE_DAY + datetime.timedelta(days=1)


@pytest.fixture
def place(org):
    """An area with two units; a manager heads the area."""
    area = make_unit(org, "Individ och familj", kind=Unit.Kind.AREA)
    children = make_unit(org, "Barn och unga", parent=area)
    adults = make_unit(org, "Vuxna", parent=area)
    elsewhere = make_unit(org, "Äldreomsorg")
    bases = two_versions(org)
    manager = make_member(org, "manager", unit=area, name="Maja Chef")
    people = {
        "anna": make_member(
            org, email="anna@norrby.example", unit=children, name="Anna Ek"
        ),
        "bo": make_member(org, email="bo@norrby.example", unit=children, name="Bo Al"),
        "cia": make_member(
            org, email="cia@norrby.example", unit=adults, name="=Cia Ask"
        ),
        "dan": make_member(org, email="dan@norrby.example", unit=elsewhere, name="Dan"),
    }
    for name in ("anna", "cia", "dan"):
        Acknowledgement.objects.create(
            version=bases.second,
            membership=people[name],
            acknowledged=ON_THE_DAY + datetime.timedelta(hours=1),
        )
    return (
        bases,
        manager,
        people,
        {"area": area, "children": children, "adults": adults},
    )


def rows(page: str) -> list[list[str]]:
    import re

    found = []
    body = page.split("<tbody>", 1)[1]
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        found.append([re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in cells[:4]])
    return found


def test_a_manager_sees_each_unit_of_their_part(client, place):
    bases, manager, _people, _units = place
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, manager)
        response = client.get(url("confirmations", bases.second))
    assert response.status_code == 200
    page = response.content.decode()
    # In the tree's order, the units below the area indented under it.
    assert rows(page) == [
        ["Individ och familj", "1", "0", "1"],
        ["Barn och unga", "2", "1", "1"],
        ["Vuxna", "1", "1", "0"],
    ]
    assert "\u00a0" * 3 + "Vuxna" in page
    # Someone outside the manager's area is not counted.
    assert "Äldreomsorg" not in page


def test_the_dashboard_gives_a_manager_the_count(client, place):
    bases, manager, _people, _units = place
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, manager)
        page = client.get(
            reverse("organisations:dashboard", kwargs={"org": "norrby"})
        ).content.decode()
    assert url("confirmations", bases.second) in page
    assert "2 av 4" in page or "2 of 4" in page


def test_a_reminder_goes_once_a_day_to_those_who_have_not_confirmed(
    client, place, django_capture_on_commit_callbacks
):
    bases, manager, people, units = place
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("remind", bases.second))
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(url("remind", bases.second))
    assert response.status_code == again.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == [
        "bo@norrby.example",
        "manager@norrby.example",
    ]
    message = mail.outbox[0]
    assert message.subject == tr(
        "sv", "Reminder: confirm that you have read version %(number)s of %(base)s"
    ) % {"number": 2, "base": bases.base.name}
    assert url("changes", bases.second) in message.body
    assert Notice.objects.filter(kind="reminder").count() == 2
    assert AuditEvent.objects.filter(action="remind").count() == 1
    with (
        time_machine.travel(NEXT_DAY),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sign_in(client, manager)
        client.post(url("remind", bases.second), {"unit": units["children"].pk})
    assert [m.to[0] for m in mail.outbox[2:]] == ["bo@norrby.example"]


def test_a_reminder_for_a_unit_outside_is_refused(client, place, org):
    bases, manager, _people, _units = place
    outside = Unit.objects.get(name="Äldreomsorg")
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, manager)
        assert (
            client.post(url("remind", bases.second), {"unit": outside.pk}).status_code
            == 404
        )
        assert (
            client.post(url("remind", bases.second), {"unit": "x"}).status_code == 404
        )
        assert client.get(url("remind", bases.second)).status_code == 405
    assert mail.outbox == [] and not Notice.objects.exists()


def test_the_csv_lists_each_person_and_when_they_confirmed(client, place):
    bases, manager, _people, _units = place
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, manager)
        response = client.get(url("confirmations_csv", bases.second))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == [
        ";".join(tr("sv", word) for word in ("Unit", "Name", "Confirmed")),
        "Barn och unga;Anna Ek;2027-01-01 11:00",
        "Barn och unga;Bo Al;",
        "Individ och familj;Maja Chef;",
        # A name that a spreadsheet would run as a formula stays text.
        "Vuxna;'=Cia Ask;2027-01-01 11:00",
    ]
    assert AuditEvent.objects.filter(action="export", via="export").count() == 1


@pytest.mark.parametrize("role", ["staff", "facilitator", "editor"])
def test_only_managers_and_administrators_follow(client, org, place, role):
    bases, _manager, _people, units = place
    member = make_member(
        org, role, email=f"{role}.x@norrby.example", unit=units["area"]
    )
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, member)
        for name in ("confirmations", "confirmations_csv"):
            assert client.get(url(name, bases.second)).status_code == 403
        assert client.post(url("remind", bases.second)).status_code == 403
    assert mail.outbox == []


def test_another_organisation_sees_no_counts(client, place, outsider):
    bases, *_rest = place
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, outsider)
        for name in ("confirmations", "confirmations_csv"):
            assert client.get(url(name, bases.second)).status_code == 404
        assert client.post(url("remind", bases.second)).status_code == 404
    assert mail.outbox == []


def test_an_administrator_follows_everyone(client, org, place):
    bases, *_rest = place
    admin = make_member(org, "admin", email="boss@norrby.example")
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, admin)
        page = client.get(url("confirmations", bases.second)).content.decode()
    assert "Äldreomsorg" in page
    assert [tr("sv", "No unit"), "1", "0", "1"] in rows(page)


def test_the_editor_chooses_at_adoption(client, org, unit):
    bases = two_versions(org)
    draft = bases.second.start_next_draft(author=None)
    editor = make_member(org, "editor", unit=unit)
    day = datetime.date(2027, 2, 1)
    adopt_url = reverse(
        "values:adopt", kwargs={"org": org.slug, "base": bases.base.slug, "number": 3}
    )
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC)):
        sign_in(client, editor)
        form = client.get(adopt_url).content.decode()
        response = client.post(
            adopt_url,
            {
                "adopted_on_0": TODAY.day,
                "adopted_on_1": TODAY.month,
                "adopted_on_2": TODAY.year,
                "adopted_by": "Socialnämnden",
                "effective_from_0": day.day,
                "effective_from_1": day.month,
                "effective_from_2": day.year,
                "confirm": "on",
            },
        )
    assert 'name="asks_acknowledgement" checked' in form or (
        'name="asks_acknowledgement"' in form and "checked" in form
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Version.Status.ADOPTED
    assert draft.asks_acknowledgement is False
    assert Version.objects.get(pk=bases.second.pk).asks_acknowledgement is True
