from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from dilemmas.models import Dilemma, GuardOverride, ValueTension
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

PERSONAL_NUMBER = "19121212-1212"


def url(name: str, dilemma=None, org="norrby") -> str:
    kwargs = {"org": org}
    if dilemma is not None:
        kwargs["dilemma_uuid"] = dilemma.uuid
    return reverse(f"dilemmas:{name}", kwargs=kwargs)


def form_data(group, **overrides) -> dict:
    data = {
        "group": group.pk,
        "title": "Ett barn som inte vill åka hem",
        "description": "En tonåring vill bo kvar hos en kamrats familj.",
        "question": "Ska vi ordna boende hos kamraten eller hem till föräldrarna?",
        "tensions": [],
    }
    return {**data, **overrides}


def test_member_raises_a_dilemma_with_tensions_from_the_organisations_list(
    client, member, group
):
    sign_in(client, member)
    page = client.get(url("create"))
    assert page.status_code == 200
    # The organisation's list starts with the common tensions.
    tensions = ValueTension.objects.for_organisation(group.organisation)
    assert tensions.count() == 5
    care = tensions.get(key="care-autonomy")
    assert care.title in page.text

    response = client.post(
        url("create"), form_data(group, tensions=[care.pk], anonymous="on")
    )

    dilemma = Dilemma.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", dilemma)
    assert dilemma.author == member
    assert dilemma.anonymous
    assert dilemma.status == Dilemma.Status.RAISED
    assert list(dilemma.tensions.all()) == [care]


def test_a_personal_number_stops_the_save_and_the_text_stays(client, member, group):
    sign_in(client, member)
    description = f"Pojken, {PERSONAL_NUMBER}, vill inte åka hem."

    response = client.post(url("create"), form_data(group, description=description))

    assert response.status_code == 200
    assert not Dilemma.objects.exists()
    assert description in response.text
    assert "save_anyway_reason" in response.text


def test_saving_anyway_records_the_reason_but_never_the_value(client, member, group):
    sign_in(client, member)
    description = f"Pojken, {PERSONAL_NUMBER}, vill inte åka hem."

    client.post(
        url("create"),
        form_data(
            group,
            description=description,
            save_anyway_reason="Numret är påhittat i ett utbildningsexempel.",
        ),
    )

    dilemma = Dilemma.objects.get()
    override = GuardOverride.objects.get()
    assert override.membership == member
    assert override.object_uuid == dilemma.uuid
    assert override.fields == ["description"]
    assert override.reason == "Numret är påhittat i ett utbildningsexempel."
    stored = str(
        GuardOverride.objects.values_list("identifier_kinds", "fields", "reason")[0]
    )
    assert "1212" not in stored


def test_anonymous_author_is_not_shown_to_the_group(client, member, facilitator, group):
    dilemma = Dilemma.objects.create(
        organisation=group.organisation,
        group=group,
        author=member,
        anonymous=True,
        title="Anonymt",
        description="Text",
        question="A eller B?",
    )
    sign_in(client, facilitator)
    page = client.get(url("detail", dilemma))
    assert page.status_code == 200
    assert "Maja Member" not in page.text

    sign_in(client, member)
    assert "Maja Member" in client.get(url("detail", dilemma)).text


def test_case_text_is_for_the_group_and_its_managers_only(
    client, dilemma, manager, other_member, outsider
):
    sign_in(client, manager)
    assert dilemma.description in client.get(url("detail", dilemma)).text

    sign_in(client, other_member)
    assert client.get(url("detail", dilemma)).status_code == 404
    assert dilemma.title not in client.get(url("list")).text

    sign_in(client, outsider)
    assert client.get(url("detail", dilemma)).status_code == 404
    assert client.get(url("detail", dilemma, org="soderby")).status_code == 404


def test_reading_a_case_is_audited_without_the_text(client, dilemma, facilitator):
    sign_in(client, facilitator)
    client.get(url("detail", dilemma))

    log = AuditEvent.objects.get()
    assert (log.membership_id, log.object_kind, log.object_uuid, log.action) == (
        facilitator.pk,
        "dilemma",
        dilemma.uuid,
        "read",
    )
    assert dilemma.description not in str(log.__dict__)


def test_only_the_author_changes_a_raised_dilemma(client, dilemma, member, colleague):
    sign_in(client, colleague)
    assert client.get(url("change", dilemma)).status_code == 403

    sign_in(client, member)
    response = client.post(
        url("change", dilemma),
        {"title": "Ny titel", "description": "Ny text", "question": "A eller B?"},
    )
    assert response.status_code == 302
    dilemma.refresh_from_db()
    assert dilemma.title == "Ny titel"


def test_staff_cannot_change_the_status_and_a_facilitator_can(
    client, dilemma, member, facilitator
):
    sign_in(client, member)
    assert client.post(url("status", dilemma), {"status": "closed"}).status_code == 403
    sign_in(client, facilitator)
    assert client.get(url("status", dilemma)).status_code == 405
    client.post(url("status", dilemma), {"status": "closed"})
    dilemma.refresh_from_db()
    assert dilemma.status == Dilemma.Status.CLOSED


def test_anonymous_visitor_is_sent_to_sign_in(client, dilemma):
    response = client.get(url("detail", dilemma))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
