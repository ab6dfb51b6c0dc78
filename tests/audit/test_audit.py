"""The audit log: append-only rows, the administrators' view and export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AppendOnlyError, AuditEvent
from tests.dilemmas.helpers import make_dilemma
from tests.factories import (
    make_group,
    make_member,
    make_unit,
    make_user,
    sign_in,
    sign_in_with_two_factors,
)
from tests.translations import tr

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, unit, staff):
    group = make_group(org, unit, members=[staff])
    return make_dilemma(group, staff, description="Hemligt: en äldre man.")


def read(client, dilemma):
    return client.get(
        reverse(
            "dilemmas:detail", kwargs={"org": "norrby", "dilemma_uuid": dilemma.uuid}
        )
    )


def test_rows_are_never_changed_or_deleted(client, staff, case):
    sign_in(client, staff)
    read(client, case)
    row = AuditEvent.objects.get()

    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="change")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "read"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'change'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_update_and_delete(client, staff, case, statement):
    sign_in(client, staff)
    read(client, case)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().action == "read"


def test_a_row_outlives_the_person_it_names(client, staff, case):
    sign_in(client, staff)
    read(client, case)
    client.logout()
    user_pk = staff.user.pk

    case.delete()
    staff.user.delete()

    row = AuditEvent.objects.get()
    assert row.user_id == user_pk
    assert row.person == "Sara Staff <staff@norrby.example>"
    assert (row.role, row.unit_name) == ("staff", "Barn och familj")


def test_a_superusers_reading_in_the_django_admin_is_audited(client, case):
    root = make_user("root@drift.example", is_staff=True, is_superuser=True)
    sign_in_with_two_factors(client, root)

    response = client.get(reverse("admin:dilemmas_dilemma_change", args=[case.pk]))

    assert response.status_code == 200
    # The sign-in of a person with no membership is the platform's.
    signed_in = AuditEvent.objects.get(action="sign_in")
    assert (signed_in.user, signed_in.organisation_id) == (root, None)
    row = AuditEvent.objects.get(action="read")
    assert (row.user, row.via, row.action, row.object_uuid) == (
        root,
        "admin",
        "read",
        case.uuid,
    )
    assert row.organisation_id == case.organisation_id
    listing = client.get(reverse("admin:dilemmas_dilemma_changelist"))
    assert case.title not in listing.text


def test_the_admin_site_needs_a_two_factor_sign_in(client, case):
    root = make_user("root@drift.example", is_staff=True, is_superuser=True)
    client.force_login(root)

    response = client.get(reverse("admin:dilemmas_dilemma_change", args=[case.pk]))

    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


@pytest.fixture
def history(client, org, unit, staff, case, admin_member):
    """Readings by two people on two days, and a refusal."""
    other = make_member(org, "staff", unit=unit, email="other@norrby.example")
    day_one = timezone.now() - datetime.timedelta(days=3)
    sign_in(client, staff)
    read(client, case)
    sign_in(client, other)
    read(client, case)  # refused: not in the group
    AuditEvent.objects.create(
        at=day_one,
        organisation=org,
        user=staff.user,
        membership=staff,
        person="Sara Staff <staff@norrby.example>",
        object_kind="dilemma",
        object_uuid=case.uuid,
        action="change",
    )
    client.logout()
    return other


def log_url(**query):
    return reverse("audit:log", kwargs={"org": "norrby"})


def test_administrators_filter_the_log(client, admin_member, staff, history, case):
    sign_in(client, admin_member)
    url = reverse("audit:log", kwargs={"org": "norrby"})

    everything = client.get(url)
    assert len(everything.context["page"].object_list) == 3
    assert case.description not in everything.text

    by_person = client.get(url, {"person": "other@"})
    assert [e.outcome for e in by_person.context["page"]] == ["denied"]
    by_action = client.get(url, {"action": "change"})
    assert [e.person for e in by_action.context["page"]] == [
        "Sara Staff <staff@norrby.example>"
    ]
    today = timezone.localdate().isoformat()
    recent = client.get(url, {"start": today, "end": today})
    assert len(recent.context["page"].object_list) == 2
    by_object = client.get(url, {"object": str(case.uuid), "outcome": "denied"})
    assert len(by_object.context["page"].object_list) == 1

    backwards = client.get(url, {"start": today, "end": "2020-01-01"})
    assert backwards.context["form"].errors["end"] == [
        tr("sv", "The end of the period comes before its start.")
    ]


def test_the_export_is_csv_without_text_and_is_itself_audited(
    client, admin_member, history, case
):
    sign_in(client, admin_member)

    response = client.get(
        reverse("audit:export", kwargs={"org": "norrby"}), {"action": "read"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "audit-norrby-" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == tr("sv", "Time (UTC)")
    assert len(rows) == 3
    assert {row[6] for row in rows[1:]} == {str(case.uuid)}
    assert case.title not in body and case.description not in body
    assert rows[1][0].endswith("+00:00")
    export = AuditEvent.objects.get(
        action="export", object_kind="auditlog", membership=admin_member
    )
    # The row says what the file held.
    assert export.detail == f"{tr('sv', 'Action')}: {tr('sv', 'Read')}"
    assert export.object_name == tr("sv", "Audit log")


def test_a_person_sees_the_entries_about_their_own_actions(client, staff, history):
    sign_in(client, staff)

    response = client.get(reverse("audit:mine", kwargs={"org": "norrby"}))

    entries = list(response.context["page"])
    assert entries and all(e.user_id == staff.user.pk for e in entries)
    assert "other@norrby.example" not in response.text


def test_the_log_shows_names_and_details_and_filters_by_them(
    client, admin_member, staff, unit
):
    sign_in(client, admin_member)
    client.post(
        reverse(
            "organisations:member_change",
            kwargs={"org": "norrby", "member_uuid": staff.uuid},
        ),
        {"role": "manager", "unit": unit.pk},
    )
    client.post(
        reverse("organisations:unit_add", kwargs={"org": "norrby"}),
        {"name": "Vuxna", "kind": "unit"},
    )
    url = reverse("audit:log", kwargs={"org": "norrby"})

    page = client.get(url)

    assert "Sara Staff &lt;staff@norrby.example&gt;" in page.text
    assert f"{tr('sv', 'Role')}: {tr('sv', 'Staff')} → {tr('sv', 'Manager')}" in (
        page.text
    )
    assert "Vuxna" in page.text
    by_kind = client.get(url, {"kind": "unit"})
    assert [e.object_name for e in by_kind.context["page"]] == ["Vuxna"]
    by_name = client.get(url, {"object": "sara staff"})
    assert [e.action for e in by_name.context["page"]] == ["change"]
    by_action = client.get(url, {"action": "create"})
    assert [e.object_name for e in by_action.context["page"]] == ["Vuxna"]
    wrong = client.get(url, {"kind": "secrets", "action": "rewrite"})
    assert wrong.status_code == 200
    assert set(wrong.context["form"].errors) == {"kind", "action"}


def test_the_export_makes_cells_a_spreadsheet_would_run_text(client, org, unit):
    # People choose their own names, and administrators name units.
    admin = make_member(org, "admin", unit=unit, name='=HYPERLINK("http://x")')
    unit.name = "@SUM(A1)"
    unit.save()
    other = make_unit(org, "Äldre")
    sign_in(client, admin)
    client.post(
        reverse(
            "organisations:unit_change", kwargs={"org": "norrby", "unit_id": other.pk}
        ),
        {"name": "-2+3", "kind": "unit"},
    )

    response = client.get(reverse("audit:export", kwargs={"org": "norrby"}))

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body)))
    cells = [cell for row in rows for cell in row]
    assert """'=HYPERLINK("http://x") <admin@norrby.example>""" in cells
    assert "'@SUM(A1)" in cells
    assert "'-2+3" in cells
    assert not any(cell.startswith(("=", "@", "+", "-")) for cell in cells)
    # Numbers stay numbers: each entry's place in its chain.
    place = header.index(tr("sv", "Entry"))
    assert sorted(int(row[place]) for row in rows) == [1, 2]
