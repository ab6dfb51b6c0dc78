"""Importing members from an HR system's file: upload, preview, confirm.

The files are made here, as HR systems and spreadsheets write them: headers
in Swedish, Danish or English (mixed, even), semicolons, commas or tabs,
UTF-8 with or without a byte order mark, Windows-1252, UTF-16, Excel.
"""

from __future__ import annotations

import csv
import io
import re
from functools import partial

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from audit.models import AuditEvent
from organisations.models import Invitation, MemberImport, Membership, Unit
from organisations.tasks import INVITATION_BATCH, send_invitation_batch
from tests.factories import (
    make_audience,
    make_member,
    make_org,
    make_unit,
    sign_in,
)
from tests.translations import tr


@pytest.fixture
def norrby(db):
    org = make_org("norrby")
    top = make_unit(org, "Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    north = make_unit(org, "Norra området", kind=Unit.Kind.AREA, parent=top)
    south = make_unit(org, "Södra området", kind=Unit.Kind.AREA, parent=top)
    units = {
        "family": make_unit(org, "Barn och familj", code="BF10", parent=north),
        "elderly": make_unit(org, "Äldreomsorg", code="AO20", parent=south),
        # Two units of one name: only their codes tell them apart.
        "home_north": make_unit(org, "Hemtjänst", code="HT1", parent=north),
        "home_south": make_unit(org, "Hemtjänst", code="HT2", parent=south),
    }
    audiences = {
        "clients": make_audience(
            org, "clients", name="Medarbetare i mötet med brukare"
        ),
        "managers": make_audience(org, "managers", name="Chefer"),
    }
    admin = make_member(org, "admin", email="admin@norrby.example")
    return org, units, audiences, admin


def _url(name: str, org, **kwargs) -> str:
    return reverse(f"organisations:{name}", kwargs={"org": org.slug, **kwargs})


def upload(client, org, content: bytes, filename: str = "personal.csv"):
    """Upload a file; return the response (the preview, when it was read)."""
    return client.post(
        _url("member_import", org),
        {"file": io_file(content, filename)},
        follow=True,
    )


def io_file(content: bytes, filename: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(filename, content)


def csv_bytes(rows: list[list[str]], *, sep: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_counts(page: str) -> list[tuple[str, str]]:
    """The counts the import's page shows when it is done, as (label, figure)."""
    state = page[page.index('id="import-state"') :]
    return re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", state)


def counted(label: str) -> str:
    """A label of the counts of a done import, in Swedish."""
    with translation.override("sv"):
        return pgettext("import count", label)


def the_import(org) -> MemberImport:
    return MemberImport.objects.get(organisation=org)


@pytest.mark.django_db
# long: one import of 3,000 people from upload to audit log
def test_three_thousand_rows_mixed_headers_cp1252_with_errors(
    client, norrby, django_capture_on_commit_callbacks
):
    org, units, audiences, admin = norrby
    vestby = make_org("vestby", language="da")
    vestby_unit = make_unit(vestby, "Barn och familj", code="BF10")
    outsider = make_member(
        vestby, "staff", email="delad@vestby.example", unit=vestby_unit
    )
    # Forty members already: twenty move, ten become managers, ten stay as they are.
    members = [
        make_member(
            org, "staff", email=f"kollega{i}@norrby.example", unit=units["family"]
        )
        for i in range(40)
    ]
    gone = make_member(org, "staff", email="slutat@norrby.example", is_active=False)
    already = Invitation.objects.create(
        organisation=org,
        email="inbjuden@norrby.example",
        expires="2999-01-01T00:00:00Z",
    )
    # Headers in three languages in one line, in an order of their own.
    rows = [
        [
            "Rolle",
            "E-post",
            "Fornavn",
            "Efternamn",
            "Enhet",
            "Kostnadsställe",
            "Audiences",
            "Anställningsnr",
        ]
    ]
    for i in range(2900):
        unit, code = [("Barn och familj", ""), ("", "AO20"), ("Hemtjänst", "HT2")][
            i % 3
        ]
        role = ["Medarbetare", "Samtalsledare", "", "Chef"][i % 4]
        audience = "Chefer; Medarbetare i mötet med brukare" if i % 10 == 0 else ""
        rows.append(
            [
                role,
                f"person{i}@norrby.example",
                "Åsa",
                f"Öberg {i}",
                unit,
                code,
                audience,
                str(1000 + i),
            ]
        )
    for i, member in enumerate(members):
        if i < 20:
            rows.append(["", member.user.email.upper(), "", "", "", "AO20", "", ""])
        elif i < 30:
            rows.append(["Chef", member.user.email, "", "", "", "", "", ""])
        else:
            rows.append(
                [
                    "Medarbetare",
                    member.user.email,
                    "",
                    "",
                    "Barn och familj",
                    "",
                    "",
                    "",
                ]
            )
    rows.append(
        ["", "delad@vestby.example", "Delad", "Person", "Barn och familj", "", "", ""]
    )
    rows.append(["", "inbjuden@norrby.example", "", "", "", "", "", ""])
    errors = [
        ["", "inte-en-adress", "", "", "", "", "", ""],
        ["", "", "Utan", "Adress", "", "", "", ""],
        ["", "okand@norrby.example", "", "", "Okänd enhet", "", "", ""],
        ["Chefsassistent", "roll@norrby.example", "", "", "", "", "", ""],
        ["", "person1@norrby.example", "", "", "", "", "", ""],  # twice in the file
        ["", "tvetydig@norrby.example", "", "", "Hemtjänst", "", "", ""],
        ["", "slutat@norrby.example", "", "", "", "", "", ""],
        ["", "publik@norrby.example", "", "", "", "", "Okänd publik", ""],
        ["", "admin@norrby.example", "", "", "", "", "", ""],
    ]
    # Rows in error scattered through the file, not gathered at its end.
    for position, row in zip(range(100, 3000, 300), errors, strict=False):
        rows.insert(position, row)
    errors_count = len(errors) - 1  # the administrator's own row changes nothing
    assert len(rows) - 1 == 2900 + 40 + 2 + len(errors) >= 2950
    content = csv_bytes(rows, sep=";", encoding="cp1252")
    assert b"\xc5sa" in content  # "Åsa" in Windows-1252

    sign_in(client, admin)

    preview = upload(client, org, content)
    assert preview.status_code == 200
    counts = preview.context["counts"]
    assert counts == {"error": errors_count, "invite": 2901, "change": 30, "same": 12}
    assert tr("sv", "Preview of the import") in preview.text
    # Errors come first, each with its reason.
    first = [(row.outcome, row.errors) for row in preview.context["rows"]][
        :errors_count
    ]
    assert all(outcome == "error" and reasons for outcome, reasons in first)
    page = preview.text
    for reason in (
        "Not an e-mail address.",
        "No e-mail address.",
        "Deactivated in this organisation: reactivate them from the member list.",
    ):
        assert tr("sv", reason) in page
    # Stored server-side under a token; the address carries no content.
    stored = the_import(org)
    assert preview.redirect_chain[-1][0].endswith(f"/members/import/{stored.uuid}/")
    assert len(stored.rows) == len(rows) - 1
    # Nothing is written by previewing.
    assert Invitation.objects.count() == 1
    errors_only = client.get(preview.redirect_chain[-1][0], {"show": "error"})
    assert len(errors_only.context["rows"]) == errors_count

    confirm = _url("member_import_confirm", org, import_uuid=stored.uuid)
    refused = client.post(confirm, follow=True)
    assert Invitation.objects.count() == 1
    assert the_import(org).confirmed is None
    assert not mail.outbox
    assert "8" in str(list(refused.context["messages"])[0])

    page = _url("member_import_preview", org, import_uuid=stored.uuid)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        waiting = client.post(confirm, {"skip_errors": "on"}, follow=True)
        # The request only confirms: the worker has not applied it yet.
        assert waiting.redirect_chain[-1][0] == page
        assert tr("sv", "Waiting to be applied.") in waiting.text
        assert Invitation.objects.count() == 1
    # Applied by the task worker (at once in tests), invitations sent in batches.
    batches = [
        c
        for c in callbacks
        if isinstance(c, partial) and c.func == send_invitation_batch.enqueue
    ]
    assert len(batches) == -(-2901 // INVITATION_BATCH)
    done = client.get(page)
    assert tr("sv", "The import is done.") in done.text
    assert import_counts(done.text) == [
        (counted("Invited"), "2901"),
        (counted("Changed"), "30"),
        (counted("Unchanged"), "12"),
        (counted("Rows in error left out"), "8"),
    ]
    assert len(mail.outbox) == 2901
    invitations = Invitation.objects.for_organisation(org).open()
    assert invitations.count() == 2902
    person = invitations.get(email="person0@norrby.example")
    assert (person.name, person.role, person.unit) == (
        "Åsa Öberg 0",
        "staff",
        units["family"],
    )
    assert set(person.audiences.all()) == set(audiences.values())
    assert invitations.get(email="person1@norrby.example").role == "facilitator"
    assert invitations.get(email="person2@norrby.example").unit == units["home_south"]
    assert invitations.get(email="person4@norrby.example").unit == units["elderly"]
    assert Invitation.objects.get(pk=already.pk).sendings == 1
    for member in members:
        member.refresh_from_db()
    assert {m.unit for m in members[:20]} == {units["elderly"]}
    assert {m.role for m in members[20:30]} == {"manager"}
    assert {(m.role, m.unit) for m in members[30:]} == {("staff", units["family"])}
    gone.refresh_from_db()
    assert not gone.is_active
    # Another organisation's person, unit and members are untouched; the
    # address is invited to this organisation like any other.
    outsider.refresh_from_db()
    assert (outsider.organisation, outsider.unit, outsider.role) == (
        vestby,
        vestby_unit,
        "staff",
    )
    assert not Invitation.objects.filter(organisation=vestby).exists()
    assert Membership.objects.filter(organisation=vestby).count() == 1
    assert not AuditEvent.objects.for_organisation(vestby).exists()
    # The audit log: each invitation, each change, and the import itself.
    log = AuditEvent.objects.for_organisation(org)
    assert log.filter(action="invite", object_kind="invitation").count() == 2901
    assert log.filter(action="change", object_kind="membership").count() == 30
    (summary,) = log.filter(action="import", object_kind="member import")
    assert "2901" in summary.detail and "8" in summary.detail
    moved = log.get(action="change", object_uuid=members[0].uuid)
    assert "Äldreomsorg" in moved.detail
    # The rows are not kept once applied; the page shows the counts only.
    stored.refresh_from_db()
    assert stored.rows == [] and stored.counts["invite"] == 2901
    assert (stored.state, stored.confirmed_by, stored.skip_errors) == (
        "done",
        admin,
        True,
    )
    assert "Åsa" not in done.text and "person0@" not in done.text


HEADERS = {
    "en": ["E-mail", "Name", "Department", "Unit code", "Role", "Guideline audiences"],
    "sv": ["E-postadress", "Namn", "Avdelning", "Enhetskod", "Roll", "Målgrupper"],
    "da": ["E-mailadresse", "Navn", "Afdeling", "Enhedskode", "Rolle", "Målgrupper"],
}


def _small_file(language: str) -> list[list[str]]:
    roles = {"en": "Facilitator", "sv": "Samtalsledare", "da": "Samtaleleder"}
    return [
        HEADERS[language],
        [
            "Per.Nilsson@norrby.example",
            "Per Nilsson",
            "Äldreomsorg",
            "",
            roles[language],
            "Chefer",
        ],
        ["sara@norrby.example", "Sara Ågren", "", "BF10", "", ""],
        ["fel@", "Fel Felsson", "", "", "", ""],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "sep", "encoding", "filename"),
    [
        ("en", ",", "utf-8-sig", "export.csv"),
        ("sv", ";", "utf-8", "export.csv"),
        ("da", "\t", "utf-16", "export.txt"),
        ("sv", ",", "cp1252", "export.csv"),
        ("da", ";", "xlsx", "export.xlsx"),
    ],
)
def test_each_language_separator_and_encoding_reads_the_same(
    client, norrby, language, sep, encoding, filename
):
    org, units, audiences, admin = norrby
    rows = _small_file(language)
    if encoding == "xlsx":
        content = xlsx_bytes(rows)
    else:
        content = csv_bytes(rows, sep=sep, encoding=encoding)
    sign_in(client, admin)
    preview = upload(client, org, content, filename)
    assert preview.context["counts"] == {
        "error": 1,
        "invite": 2,
        "change": 0,
        "same": 0,
    }
    plans = {row.email: row for row in preview.context["rows"]}
    per = plans["per.nilsson@norrby.example"]
    assert (per.name, per.role, per.unit, per.audience_ids) == (
        "Per Nilsson",
        "facilitator",
        units["elderly"],
        [audiences["managers"].pk],
    )
    sara = plans["sara@norrby.example"]
    assert (sara.name, sara.role, sara.unit) == ("Sara Ågren", "staff", units["family"])
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_file_without_errors_needs_no_tick(
    client, norrby, django_capture_on_commit_callbacks
):
    org, units, _audiences, admin = norrby
    sign_in(client, admin)
    upload(client, org, b"email,name\nny@norrby.example,Ny Person\n")
    confirm = _url("member_import_confirm", org, import_uuid=the_import(org).uuid)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
    assert Invitation.objects.get().email == "ny@norrby.example"
    assert mail.outbox[0].to == ["ny@norrby.example"]
    # A second confirmation of the same upload (the form sent again) leads to
    # the import's page and applies nothing more.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = client.post(confirm, follow=True)
    assert not callbacks
    assert tr("sv", "This import was already confirmed.") in again.text
    assert tr("sv", "The import is done.") in again.text
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (
            b"Namn;Enhet\nPer;Hem\n",
            "No column of e-mail addresses was found. Name it E-mail, E-post "
            "or E-mailadresse.",
        ),
        (b"E-post\n", "The file has a header line but no people below it."),
        (
            b"PK\x03\x04 not really a workbook",
            "The file could not be read as an Excel workbook (.xlsx).",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_stores_nothing(
    client, norrby, content, message
):
    org, _units, _audiences, admin = norrby
    sign_in(client, admin)
    page = upload(client, org, content)
    assert page.status_code == 200
    assert tr("sv", message) in page.text
    assert not MemberImport.objects.exists()


@pytest.mark.django_db
def test_the_last_administrator_and_ones_own_role_are_kept(client, norrby):
    org, _units, _audiences, admin = norrby
    other = make_member(org, "admin", email="admin2@norrby.example")
    sign_in(client, admin)
    preview = upload(
        client,
        org,
        b"email;role\nadmin@norrby.example;staff\nadmin2@norrby.example;staff\n",
    )
    plans = {row.email: row for row in preview.context["rows"]}
    assert plans["admin@norrby.example"].errors == [
        tr("sv", "You cannot change your own role by an import.")
    ]
    # The other administrator may step down: the importer stays one.
    assert plans["admin2@norrby.example"].outcome == "change"
    assert other.role == "admin"


@pytest.mark.django_db
def test_only_the_uploading_administrator_reaches_the_import(client, norrby):
    org, _units, _audiences, admin = norrby
    staff = make_member(org, "staff")
    second_admin = make_member(org, "admin", email="admin2@norrby.example")
    vestby = make_org("vestby")
    outsider = make_member(vestby, "admin", email="admin@vestby.example")
    sign_in(client, admin)
    upload(client, org, b"email\nny@norrby.example\n")
    member_import = the_import(org)
    preview = _url("member_import_preview", org, import_uuid=member_import.uuid)
    confirm = _url("member_import_confirm", org, import_uuid=member_import.uuid)
    assert client.get(confirm).status_code == 405
    client.logout()

    assert client.get(_url("member_import", org)).status_code == 302  # to sign in
    sign_in(client, staff)
    assert client.get(_url("member_import", org)).status_code == 403
    assert client.get(preview).status_code == 403
    assert client.post(confirm, {"skip_errors": "on"}).status_code == 403
    sign_in(client, second_admin)
    assert client.get(preview).status_code == 404
    assert client.post(confirm).status_code == 404
    sign_in(client, outsider)
    assert client.get(preview).status_code == 404
    assert (
        client.get(
            _url("member_import_preview", vestby, import_uuid=member_import.uuid)
        ).status_code
        == 404
    )
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_discarding_deletes_the_upload(client, norrby):
    org, _units, _audiences, admin = norrby
    sign_in(client, admin)
    upload(client, org, b"email\nny@norrby.example\n")
    member_import = the_import(org)
    client.post(_url("member_import_discard", org, import_uuid=member_import.uuid))
    assert not MemberImport.objects.exists()
    assert not Invitation.objects.exists()
