"""Sessions on practice cases: run like a dilemma's, never audited or erased."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from reflections.models import (
    Reflection,
    ReflectionStep,
    open_practice_reflection,
    sign_off,
)
from reflections.retention import apply_retention
from tests.dilemmas.helpers import (
    dilemma_method,
    make_dilemma,
    make_meeting,
    start_reflection,
)
from tests.factories import make_group, make_member, make_unit, sign_in
from tests.translations import tr

from .conftest import builtin, make_own_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(org, unit):
    return make_member(org, "staff", unit=unit, name="Maja Member")


@pytest.fixture
def group(org, unit, facilitator, member):
    return make_group(org, unit, facilitators=[facilitator], members=[member])


@pytest.fixture
def meeting(group):
    """A meeting on now, whatever the hour: one at 13:00 today had not begun
    before then, and a session cannot be signed off before its meeting."""
    now = timezone.now().replace(microsecond=0)
    meeting = make_meeting(group, timezone.localdate())
    meeting.start, meeting.end = now - timedelta(minutes=15), now + timedelta(hours=1)
    meeting.save(update_fields=["start", "end"])
    return meeting


def open_url(org, case) -> str:
    return reverse(
        "reflections:practice_open", kwargs={"org": org.slug, "case_uuid": case.uuid}
    )


def reflection_url(name: str, reflection, **kwargs) -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
            **kwargs,
        },
    )


def run(client, org, case, meeting) -> Reflection:
    response = client.post(
        open_url(org, case),
        {"meeting": meeting.pk, "method": dilemma_method(org).pk},
    )
    reflection = Reflection.objects.get(practice_case=case, meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == reflection_url("step", reflection, position=1)
    return reflection


def test_a_facilitator_runs_a_session_on_a_built_in_case(
    client, org, facilitator, member, meeting
):
    case = builtin("housing-hoarding")
    sign_in(client, facilitator)
    detail = reverse(
        "practice:detail", kwargs={"org": org.slug, "case_uuid": case.uuid}
    )
    page = client.get(detail).content.decode()
    assert tr("sv", "Run a session on this case") in page
    assert meeting.title in page

    reflection = run(client, org, case, meeting)
    assert reflection.dilemma is None
    assert reflection.group == meeting.group
    assert ReflectionStep.objects.filter(reflection=reflection).count() == (
        dilemma_method(org).steps.count()
    )
    # The meeting is no longer offered for the case: the panel links to the session.
    again = client.post(
        open_url(org, case), {"meeting": meeting.pk, "method": dilemma_method(org).pk}
    )
    assert again["Location"] == detail
    assert Reflection.objects.filter(practice_case=case).count() == 1
    assert reflection_url("detail", reflection) in client.get(detail).content.decode()

    step = client.get(reflection_url("step", reflection, position=1)).content.decode()
    assert case.text("sv").situation.splitlines()[0] in step
    assert case.text("sv").note.splitlines()[0] in step
    # The participant follows the same case, without the facilitator's note.
    sign_in(client, member)
    live = client.get(reflection_url("step", reflection, position=1))
    assert live.status_code == 200
    assert case.text("sv").question in live.content.decode()
    assert case.text("sv").note.splitlines()[0] not in live.content.decode()
    # The meeting's page lists it.
    meeting_page = client.get(
        reverse(
            "meetings:meeting_detail",
            kwargs={"org": org.slug, "meeting_uuid": meeting.uuid},
        )
    ).content.decode()
    assert case.text("sv").title in meeting_page


def test_a_practice_session_is_never_audited(client, org, facilitator, meeting):
    case = make_own_case(org, facilitator)
    sign_in(client, facilitator)
    before = AuditEvent.objects.count()
    reflection = run(client, org, case, meeting)
    for name, kwargs in [
        ("step", {"position": 1}),
        ("detail", {}),
        ("live", {}),
        ("log", {}),
        ("log_pdf", {}),
    ]:
        assert client.get(reflection_url(name, reflection, **kwargs)).status_code == 200
    response = client.post(
        reflection_url("sign_off", reflection),
        {"conclusion": "Vi tar inte emot nyckeln.", "confirm": "on"},
    )
    assert response.status_code == 302
    reflection.refresh_from_db()
    assert reflection.is_signed_off
    assert AuditEvent.objects.count() == before
    # The record names the practice case, in the organisation's language.
    page = client.get(reflection_url("detail", reflection)).content.decode()
    assert case.title in page
    assert "Vi tar inte emot nyckeln." in page


def test_a_practice_session_asks_for_no_person_and_has_no_easy_read_summary(
    client, org, facilitator, meeting
):
    """A practice case is fictional: nobody to have been present, nobody to write to."""
    case = make_own_case(org, facilitator)
    sign_in(client, facilitator)
    reflection = run(client, org, case, meeting)
    question = tr(
        "sv", "Was the person the case is about, or their representative, present?"
    )
    form = client.get(reflection_url("sign_off", reflection)).content.decode()
    assert tr("sv", "I sign off this reflection; it cannot be changed afterwards.") in (
        form
    )
    assert question not in form
    assert 'name="person_present"' not in form
    # A posted answer is not taken either.
    client.post(
        reflection_url("sign_off", reflection),
        {"conclusion": "Vi övar vidare.", "person_present": "person", "confirm": "on"},
    )
    reflection.refresh_from_db()
    assert reflection.is_signed_off
    assert reflection.person_present == ""

    log = client.get(reflection_url("log", reflection)).content.decode()
    assert tr("sv", "The person or their representative") not in log
    assert reflection_url("easy_read", reflection) not in log
    detail = client.get(reflection_url("detail", reflection)).content.decode()
    assert reflection_url("easy_read", reflection) not in detail
    assert client.get(reflection_url("easy_read", reflection)).status_code == 404
    assert client.get(reflection_url("easy_read_print", reflection)).status_code == 404


def test_retention_leaves_practice_sessions_alone(client, org, facilitator, group):
    old = make_meeting(group, timezone.localdate() - timedelta(days=800))
    case = builtin("older-shower")
    # Held long ago: a past meeting is no longer offered, so opened as the view does.
    reflection = open_practice_reflection(
        meeting=old, case=case, method=dilemma_method(org), facilitator=facilitator
    )
    sign_in(client, facilitator)
    client.post(
        reflection_url("sign_off", reflection),
        {"conclusion": "Vi övade på att lyssna.", "confirm": "on"},
    )
    # A session on a real case of the same day, which the rule does erase.
    real = start_reflection(old, make_dilemma(group, facilitator), facilitator)
    sign_off(reflection=real, by=facilitator, conclusion="Vi respekterar nejet.")
    later = timezone.now() + datetime.timedelta(days=org.retention_days + 400)
    apply_retention(now=later)
    real.refresh_from_db()
    assert real.erased is not None
    reflection.refresh_from_db()
    assert reflection.erased is None
    assert reflection.conclusion == "Vi övade på att lyssna."
    case.refresh_from_db()
    assert case.text("sv").title == "Han vill inte duscha"


def test_staff_cannot_start_a_session(client, org, member, meeting):
    case = builtin("older-shower")
    sign_in(client, member)
    response = client.post(
        open_url(org, case), {"meeting": meeting.pk, "method": dilemma_method(org).pk}
    )
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def test_a_meeting_of_a_group_one_does_not_lead_is_refused(client, org, facilitator):
    other_unit = make_unit(org, "Äldreomsorg")
    other_group = make_group(org, other_unit, "Äldregruppen")
    theirs = make_meeting(other_group, timezone.localdate())
    case = builtin("older-shower")
    sign_in(client, facilitator)
    response = client.post(
        open_url(org, case), {"meeting": theirs.pk, "method": dilemma_method(org).pk}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/practice/{case.uuid}/")
    assert not Reflection.objects.exists()


def test_bad_input_and_get_are_handled(client, org, facilitator, meeting):
    case = builtin("older-shower")
    sign_in(client, facilitator)
    assert client.get(open_url(org, case)).status_code == 405
    response = client.post(open_url(org, case), {"meeting": "x", "method": ""})
    assert response.status_code == 302
    assert not Reflection.objects.exists()


def test_another_organisations_case_cannot_be_run(
    client, org, other_org, facilitator, meeting
):
    theirs = make_own_case(other_org)
    sign_in(client, facilitator)
    response = client.post(
        open_url(org, theirs),
        {"meeting": meeting.pk, "method": dilemma_method(org).pk},
    )
    assert response.status_code == 404
    assert not Reflection.objects.exists()
