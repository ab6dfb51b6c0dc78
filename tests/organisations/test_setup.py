"""The set-up checklist of a new organisation, and its units from a CSV file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Organisation, Unit
from tests.factories import make_member, make_org, make_unit, sign_in
from tests.translations import tr
from values.models import ValueBase


def _url(name: str, org, **kwargs) -> str:
    return reverse(f"organisations:{name}", kwargs={"org": org.slug, **kwargs})


@pytest.fixture
def new_org(db) -> Organisation:
    return make_org("norrby", setup_open=True)


@pytest.mark.django_db
def test_the_first_administrator_skips_resumes_and_finishes(client, new_org):
    admin = sign_in(client, make_member(new_org, "admin"))
    dashboard = client.get(_url("dashboard", new_org))
    assert _url("setup", new_org) in dashboard.text

    page = client.get(_url("setup", new_org))
    assert [step.key for step in page.context["steps"]] == [
        "units",
        "values",
        "groups",
        "people",
        "settings",
    ]
    assert page.context["remaining"] == 5
    for link in (
        _url("unit_import", new_org),
        _url("member_import", new_org),
        _url("settings", new_org),
        reverse("meetings:group_create", kwargs={"org": new_org.slug}),
    ):
        assert link in page.text

    mark = _url("setup_mark", new_org, step="values")
    client.post(mark, {"state": "skipped"})
    client.post(_url("setup_mark", new_org, step="units"), {"state": "done"})
    new_org.refresh_from_db()
    assert new_org.setup_steps == {"values": "skipped", "units": "done"}
    page = client.get(_url("setup", new_org))
    assert page.context["remaining"] == 3
    assert tr("sv", "skipped for now") in page.text
    # Taken up again later, by another administrator.
    client.logout()
    sign_in(client, make_member(new_org, "admin", email="admin2@norrby.example"))
    client.post(mark, {"state": "todo"})
    new_org.refresh_from_db()
    assert new_org.setup_steps == {"units": "done"}

    response = client.post(_url("setup_finish", new_org))
    assert response["Location"] == _url("dashboard", new_org)
    new_org.refresh_from_db()
    assert not new_org.setup_open
    assert _url("setup", new_org) not in client.get(_url("dashboard", new_org)).text
    # Still reachable, and can be put back on the dashboard.
    assert client.get(_url("setup", new_org)).status_code == 200
    client.post(_url("setup_finish", new_org), {"open": "1"})
    new_org.refresh_from_db()
    assert new_org.setup_open and admin.role == "admin"


@pytest.mark.django_db
def test_the_checklist_is_the_administrators_alone(client, new_org):
    staff = make_member(new_org, "staff")
    other = make_org("vestby", setup_open=True)
    outsider = make_member(other, "admin", email="admin@vestby.example")
    mark = _url("setup_mark", new_org, step="units")
    sign_in(client, staff)
    assert _url("setup", new_org) not in client.get(_url("dashboard", new_org)).text
    assert client.get(_url("setup", new_org)).status_code == 403
    assert client.post(mark, {"state": "done"}).status_code == 403
    sign_in(client, outsider)
    assert client.get(_url("setup", new_org)).status_code == 404
    assert client.post(mark, {"state": "done"}).status_code == 404
    sign_in(client, make_member(new_org, "admin"))
    assert client.get(mark).status_code == 405
    assert client.post(mark, {"state": "maybe"}).status_code == 302
    bad_step = _url("setup_mark", new_org, step="cake")
    assert client.post(bad_step, {"state": "done"}).status_code == 404
    new_org.refresh_from_db()
    other.refresh_from_db()
    assert new_org.setup_steps == {} and other.setup_steps == {}


@pytest.mark.django_db
def test_an_organisation_without_a_value_base_starts_one(client, new_org):
    sign_in(client, make_member(new_org, "admin"))
    client.post(_url("setup_value_base", new_org))
    client.post(_url("setup_value_base", new_org))
    (base,) = ValueBase.objects.filter(organisation=new_org)
    assert base.name == tr("sv", "Value base")
    page = client.get(_url("setup", new_org))
    assert (
        reverse("values:import_word", kwargs={"org": "norrby", "base": base.slug})
        in page.text
    )


UNITS = (
    "Enhed;Overordnet;Kode\r\n"
    "Børn og unge;Socialforvaltningen;BU1\r\n"
    "Socialforvaltningen;;SF\r\n"
    "Familiehuset;Børn og unge;FH7\r\n"
)


@pytest.mark.django_db
def test_units_from_a_csv_file_parents_in_any_order(client, new_org):
    vestby = make_org("vestby")
    theirs = make_unit(vestby, "Socialforvaltningen")
    sign_in(client, make_member(new_org, "admin"))
    upload = SimpleUploadedFile("enheder.csv", UNITS.encode("cp1252"))
    response = client.post(_url("unit_import", new_org), {"file": upload})
    assert response["Location"] == _url("unit_list", new_org)
    units = {unit.name: unit for unit in Unit.objects.for_organisation(new_org)}
    assert set(units) == {"Socialforvaltningen", "Børn og unge", "Familiehuset"}
    assert units["Socialforvaltningen"].parent is None
    assert units["Børn og unge"].parent == units["Socialforvaltningen"]
    assert (units["Familiehuset"].parent, units["Familiehuset"].code) == (
        units["Børn og unge"],
        "FH7",
    )
    log = AuditEvent.objects.for_organisation(new_org).filter(action="create")
    assert sorted(log.values_list("object_name", flat=True)) == sorted(units)
    # The same file again adds nothing; another organisation is untouched.
    again = SimpleUploadedFile("enheder.csv", ("\ufeff" + UNITS).encode("utf-8"))
    client.post(_url("unit_import", new_org), {"file": again})
    assert Unit.objects.for_organisation(new_org).count() == 3
    assert list(Unit.objects.for_organisation(vestby)) == [theirs]


@pytest.mark.django_db
def test_a_unit_file_with_errors_adds_nothing_and_names_the_lines(client, new_org):
    sign_in(client, make_member(new_org, "admin"))
    content = "Unit,Parent\nHome care,Elderly care\n,Home care\nElderly care,Nowhere\n"
    upload = SimpleUploadedFile("units.csv", content.encode())
    page = client.post(_url("unit_import", new_org), {"file": upload})
    assert page.status_code == 200
    assert not Unit.objects.exists()
    assert tr("sv", "Line %(line)s: no name.") % {"line": 3} in page.text
    errors = page.context["errors"]
    assert len(errors) == 3
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_only_administrators_import_units(client, new_org):
    sign_in(client, make_member(new_org, "manager"))
    upload = SimpleUploadedFile("units.csv", b"Unit\nA\n")
    assert (
        client.post(_url("unit_import", new_org), {"file": upload}).status_code == 403
    )
    assert not Unit.objects.exists()
