"""The practice library's pages through the HTTP path, for each role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from dilemmas.models import GuardOverride
from practice.models import Area, PracticeCase
from tests.factories import make_member, make_unit, sign_in
from tests.translations import tr

from .conftest import builtin, make_own_case

pytestmark = pytest.mark.django_db


def url(name: str, org, **kwargs) -> str:
    return reverse(f"practice:{name}", kwargs={"org": org.slug, **kwargs})


VALID = {
    "area": Area.CHILDREN,
    "title": "Fotbollsträningen",
    "situation": "En pojke vill spela fotboll men föräldrarna har inte råd.",
    "question": "Ska vi söka pengar åt honom eller vänta på föräldrarna?",
    "tensions": "Barnets delaktighet mot föräldrarnas ansvar",
    "note": "Fråga vem som äger frågan.",
}


# --- The list ------------------------------------------------------------------


def test_the_list_shows_the_library_in_the_organisations_language(
    client, org, staff, own_case
):
    sign_in(client, staff)
    response = client.get(url("list", org))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dörren på natten" in page
    assert "The door at night" not in page
    assert own_case.title in page
    # Staff read the cases but add none.
    assert url("create", org) not in page


def test_the_list_filters_by_area_and_own_cases(client, org, facilitator, own_case):
    sign_in(client, facilitator)
    page = client.get(url("list", org), {"area": Area.CHILDREN}).content.decode()
    assert "Hon vill att vi tiger" in page
    assert "Dörren på natten" not in page
    assert own_case.title not in page
    assert url("create", org) in page
    page = client.get(url("list", org), {"own": "on"}).content.decode()
    assert own_case.title in page
    assert "Dörren på natten" not in page


def test_an_unknown_area_is_a_translated_error_not_a_500(client, org, staff):
    sign_in(client, staff)
    response = client.get(url("list", org), {"area": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]
    assert tr("sv", "Area") in response.content.decode()
    # The summary links to the field that holds the error.
    assert '<a href="#id_area">' in response.content.decode()


def test_a_danish_organisation_reads_the_danish_texts(client, other_org):
    danish = other_org
    danish.language = "da"
    danish.save()
    person = make_member(danish, "staff", unit=make_unit(danish, "Bostøtte"))
    sign_in(client, person)
    page = client.get(url("list", danish)).content.decode()
    assert "Døren om natten" in page
    assert "Dörren på natten" not in page


def test_anonymous_is_sent_to_sign_in(client, org):
    response = client.get(url("list", org))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_list_answers_only_get(client, org, staff):
    sign_in(client, staff)
    assert client.post(url("list", org)).status_code == 405


# --- One case ------------------------------------------------------------------


def test_a_participant_reads_the_case_without_the_facilitators_note(client, org, staff):
    case = builtin("older-shower")
    sign_in(client, staff)
    response = client.get(url("detail", org, case_uuid=case.uuid))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Han vill inte duscha" in page
    assert case.text("sv").question in page
    assert case.text("sv").tensions[0] in page
    assert case.text("sv").note not in page
    assert tr("sv", "Facilitator's note") not in page


@pytest.mark.parametrize("role", ["facilitator", "manager"])
def test_facilitators_and_managers_read_the_note(client, org, unit, role):
    case = builtin("older-shower")
    sign_in(client, make_member(org, role, unit=unit))
    page = client.get(url("detail", org, case_uuid=case.uuid)).content.decode()
    assert case.text("sv").note in page
    # A built-in case is read by all and changed by none.
    assert url("change", org, case_uuid=case.uuid) not in page


def test_reading_a_practice_case_is_not_audited(client, org, staff, own_case):
    sign_in(client, staff)
    before = AuditEvent.objects.count()
    client.get(url("detail", org, case_uuid=own_case.uuid))
    client.get(url("detail", org, case_uuid=builtin("housing-hoarding").uuid))
    assert AuditEvent.objects.count() == before


def test_another_organisations_own_case_is_not_found(client, org, other_org, staff):
    theirs = make_own_case(other_org)
    sign_in(client, staff)
    assert client.get(url("detail", org, case_uuid=theirs.uuid)).status_code == 404
    page = client.get(url("list", org)).content.decode()
    assert theirs.title not in page


def test_a_member_of_another_organisation_gets_404(client, org, outsider, own_case):
    sign_in(client, outsider)
    response = client.get(url("detail", org, case_uuid=own_case.uuid))
    assert response.status_code == 404


# --- Own cases -----------------------------------------------------------------


def test_a_facilitator_adds_an_own_case(client, org, facilitator):
    sign_in(client, facilitator)
    assert client.get(url("create", org)).status_code == 200
    response = client.post(url("create", org), VALID)
    case = PracticeCase.objects.get(organisation=org)
    assert response.status_code == 302
    assert response["Location"] == url("detail", org, case_uuid=case.uuid)
    assert case.title == VALID["title"]
    assert case.key == ""
    assert case.created_by == facilitator
    assert case.text().tensions == (VALID["tensions"],)


def test_the_guard_stops_an_identifier_and_keeps_what_was_typed(
    client, org, facilitator
):
    sign_in(client, facilitator)
    data = {**VALID, "situation": VALID["situation"] + " Ring 070-123 45 67."}
    response = client.post(url("create", org), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not PracticeCase.objects.filter(organisation=org).exists()
    assert "Fotbollsträningen" in page
    assert 'href="#id_situation"' in page
    # With a reason it is saved, and the override is kept (never the number).
    data["save_anyway_reason"] = "Kommunens växel, inte en person."
    response = client.post(url("create", org), data)
    assert response.status_code == 302
    override = GuardOverride.objects.get(kind="practicecase")
    assert override.fields == ["situation"]
    assert "070" not in override.reason


def test_missing_fields_are_named_and_nothing_is_lost(client, org, facilitator):
    sign_in(client, facilitator)
    data = {**VALID, "question": "", "area": "nowhere"}
    response = client.post(url("create", org), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_question"' in page
    assert 'href="#id_area"' in page
    assert VALID["situation"] in page
    assert not PracticeCase.objects.filter(organisation=org).exists()


@pytest.mark.parametrize("role", ["staff", "editor"])
def test_roles_without_facilitation_cannot_add(client, org, unit, role):
    sign_in(client, make_member(org, role, unit=unit))
    assert client.get(url("create", org)).status_code == 403
    assert client.post(url("create", org), VALID).status_code == 403
    assert not PracticeCase.objects.filter(organisation=org).exists()


def test_a_facilitator_changes_an_own_case(client, org, unit, own_case):
    # Any facilitator of the organisation, not only the one who wrote it.
    sign_in(client, make_member(org, "facilitator", unit=unit, email="f2@x.example"))
    response = client.post(
        url("change", org, case_uuid=own_case.uuid), {**VALID, "title": "Ny titel"}
    )
    assert response.status_code == 302
    own_case.refresh_from_db()
    assert own_case.title == "Ny titel"
    assert own_case.organisation == org


def test_a_built_in_case_cannot_be_changed(client, org, facilitator):
    case = builtin("older-shower")
    sign_in(client, facilitator)
    assert client.get(url("change", org, case_uuid=case.uuid)).status_code == 403
    response = client.post(url("change", org, case_uuid=case.uuid), VALID)
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.title == ""


def test_another_organisations_case_cannot_be_changed(
    client, org, other_org, facilitator
):
    theirs = make_own_case(other_org)
    sign_in(client, facilitator)
    response = client.post(url("change", org, case_uuid=theirs.uuid), VALID)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Nyckeln till förrådet"
