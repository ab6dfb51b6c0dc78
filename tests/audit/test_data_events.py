"""The value base, exports and anonymisation in the audit log, through their pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify

from audit.models import AuditEvent
from tests.factories import PASSWORD, make_member, sign_in
from tests.insights.helpers import add_session, export_url, make_town
from tests.translations import tr
from tests.values.helpers import adopt, fill, make_base, make_draft
from values.models import Version
from values.textformat import export_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(org, unit):
    return make_member(org, "editor", unit=unit, name="Edit Editor")


@pytest.fixture
def current(org):
    version = make_draft(make_base(org), 1)
    fill(version)
    return adopt(version, datetime.date(2024, 1, 1))


def values_url(name: str, **kwargs) -> str:
    return reverse(
        f"values:{name}", kwargs={"org": "norrby", "base": "vardegrund", **kwargs}
    )


def version_name(number: int) -> str:
    return tr("sv", "%(base)s, version %(number)s") % {
        "base": "Värdegrund för socialförvaltningen",
        "number": number,
    }


def test_an_adoption_is_written_with_its_body_and_dates(client, editor, current):
    draft = current.start_next_draft(author=None)
    sign_in(client, editor)
    today = timezone.localdate()
    in_force = today + datetime.timedelta(days=30)

    response = client.post(
        values_url("adopt", number=draft.number),
        {
            "adopted_on": today.isoformat(),
            "adopted_by": "Socialnämnden",
            "effective_from": in_force.isoformat(),
            "confirm": "on",
        },
    )

    assert response.status_code == 302
    row = AuditEvent.objects.get(action="adopt")
    assert (row.object_kind, row.object_name) == ("version", version_name(2))
    assert row.user == editor.user
    with translation.override("sv"):
        expected = translation.gettext(
            "Adopted by %(body)s on %(adopted_on)s, in force from %(effective_from)s"
        ) % {
            "body": "Socialnämnden",
            "adopted_on": formats.date_format(today),
            "effective_from": formats.date_format(in_force),
        }
    assert row.detail == expected


def test_a_refused_adoption_writes_nothing(client, editor, current):
    draft = current.start_next_draft(author=None)
    sign_in(client, editor)

    response = client.post(
        values_url("adopt", number=draft.number),
        # Before the version in force: refused, and the form comes back.
        {
            "adopted_on": "2023-01-01",
            "adopted_by": "Socialnämnden",
            "effective_from": "2023-06-01",
            "confirm": "on",
        },
    )

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="adopt").exists()


def test_an_import_an_export_and_a_discarded_draft_are_written(client, editor, current):
    sign_in(client, editor)
    upload = SimpleUploadedFile(
        "v.md", export_version(current).encode(), "text/markdown"
    )

    imported = client.post(values_url("import"), {"file": upload})
    exported = client.get(values_url("export_word", number=1))
    draft = Version.objects.get(status="draft")
    discarded = client.post(
        values_url("discard", number=draft.number), {"confirm": "yes"}
    )

    assert (imported.status_code, exported.status_code) == (302, 200)
    assert discarded.status_code == 302
    rows = AuditEvent.objects.order_by("seq")
    assert [(row.action, row.object_name, row.detail) for row in rows] == [
        ("import", version_name(2), tr("sv", "From a text file")),
        ("export", version_name(1), tr("sv", "As a Word document")),
        ("discard", version_name(2), ""),
    ]
    assert rows[1].via == "export"


def test_the_command_line_import_is_written_as_the_systems(org, current, tmp_path):
    path = tmp_path / "ny.md"
    path.write_text(export_version(current), encoding="utf-8")

    call_command("import_value_base", str(path), org="norrby", base="vardegrund")

    row = AuditEvent.objects.get()
    assert (row.action, row.via, row.user) == ("import", "system", None)
    assert row.person == tr("sv", "The system")
    assert row.object_name == version_name(2)


def test_an_insights_export_names_the_table_and_the_period(client, org):
    town = make_town(org)
    add_session(town, town.children_group, datetime.date(2024, 2, 6))
    sign_in(client, town.top_manager)

    response = client.get(
        export_url(org, "citations", start="2024-01-01", end="2024-06-30")
    )

    assert response.status_code == 200
    row = AuditEvent.objects.get()
    assert row.object_kind == "insights"
    # The table's title, as in the file's name.
    assert row.object_name
    assert slugify(row.object_name) in response["Content-Disposition"]
    assert row.detail.endswith("1 januari 2024 – 30 juni 2024")


def test_a_personal_data_download_is_written_in_each_organisation(client, staff):
    sign_in(client, staff)

    response = client.get(reverse("privacy:my_data"))

    assert response.status_code == 200
    row = AuditEvent.objects.get()
    assert (row.action, row.object_kind, row.via) == (
        "export",
        "personal data",
        "export",
    )
    assert row.object_name == "Sara Staff <staff@norrby.example>"


def test_anonymising_oneself_is_written_under_the_old_name(client, staff):
    sign_in(client, staff)

    client.post(reverse("privacy:forget_me"), {"password": PASSWORD, "confirm": "on"})

    row = AuditEvent.objects.get(action="anonymise")
    assert (row.via, row.membership, row.view) == ("page", staff, "privacy:forget_me")
    assert row.person == row.object_name == "Sara Staff <staff@norrby.example>"
    staff.user.refresh_from_db()
    assert staff.user.anonymised is not None


def test_anonymising_on_the_command_line_is_the_systems(staff):
    call_command("anonymise_account", "staff@norrby.example")

    row = AuditEvent.objects.get(action="anonymise")
    assert (row.via, row.membership, row.user) == ("system", None, None)
    assert row.person == tr("sv", "The system")
    assert row.object_name == "Sara Staff <staff@norrby.example>"
    assert row.organisation_id == staff.organisation_id
