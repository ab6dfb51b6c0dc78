"""A signed-off reflection rewritten into a practice case, through a review."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from dilemmas.models import GuardOverride
from practice.models import Area, PracticeCase
from reflections.models import open_practice_reflection, sign_off
from tests.dilemmas.helpers import (
    dilemma_method,
    make_dilemma,
    make_meeting,
    start_reflection,
)
from tests.factories import make_group, make_member, sign_in
from tests.translations import tr

from .conftest import builtin

pytestmark = pytest.mark.django_db

PHONE = "070-123 45 67"


@pytest.fixture
def member(org, unit):
    return make_member(org, "staff", unit=unit, name="Maja Member")


@pytest.fixture
def group(org, unit, facilitator, member):
    return make_group(org, unit, facilitators=[facilitator], members=[member])


@pytest.fixture
def signed(group, facilitator, member):
    meeting = make_meeting(group, timezone.localdate())
    dilemma = make_dilemma(
        group,
        member,
        description=f"En äldre man tackar nej till dusch. Sonen ringer {PHONE}.",
    )
    reflection = start_reflection(meeting, dilemma, facilitator)
    return sign_off(
        reflection=reflection, by=facilitator, conclusion="Vi respekterar nejet."
    )


def url(reflection) -> str:
    return reverse(
        "reflections:practice_from",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
        },
    )


REWRITTEN = {
    "area": Area.OLDER_PEOPLE,
    "title": "Duschen",
    "situation": "En man med hemtjänst vill inte duscha. En anhörig är orolig.",
    "question": "Ska vi respektera nejet eller övertala honom?",
    "tensions": "Självbestämmande mot omsorg",
    "note": "Fråga vad nejet handlar om.",
    "reviewed": "on",
}


def test_the_review_shows_the_case_and_what_the_guard_finds(
    client, org, facilitator, signed
):
    sign_in(client, facilitator)
    response = client.get(url(signed))
    page = response.content.decode()
    assert response.status_code == 200
    assert signed.dilemma.description in page
    assert "Vi respekterar nejet." in page
    assert tr("sv", "The identifier guard found this in the text:") in page
    # Reading the case to rewrite it is a reading of case text.
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_uuid=signed.uuid
    ).exists()
    # The reflection's page offers the step to those who lead it.
    detail = reverse(
        "reflections:detail",
        kwargs={"org": org.slug, "reflection_uuid": signed.uuid},
    )
    assert url(signed) in client.get(detail).content.decode()


def test_the_guard_runs_again_and_the_review_must_be_confirmed(
    client, org, facilitator, signed
):
    sign_in(client, facilitator)
    unchanged = {**REWRITTEN, "situation": signed.dilemma.description}
    del unchanged["reviewed"]
    response = client.post(url(signed), unchanged)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_situation"' in page
    assert 'href="#id_reviewed"' in page
    assert REWRITTEN["title"] in page
    assert not PracticeCase.objects.filter(organisation=org).exists()


def test_the_rewritten_case_is_saved_without_a_link_back(
    client, org, facilitator, signed
):
    sign_in(client, facilitator)
    response = client.post(url(signed), REWRITTEN)
    case = PracticeCase.objects.get(organisation=org)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "practice:detail", kwargs={"org": org.slug, "case_uuid": case.uuid}
    )
    assert case.situation == REWRITTEN["situation"]
    assert case.created_by == facilitator
    assert not case.reflections.exists()
    assert not GuardOverride.objects.exists()
    signed.refresh_from_db()
    assert signed.dilemma.description.endswith(f"{PHONE}.")


def test_staff_and_those_who_do_not_lead_cannot(client, org, unit, member, signed):
    sign_in(client, member)
    assert client.get(url(signed)).status_code == 403
    other = make_member(org, "facilitator", unit=unit, email="f2@norrby.example")
    sign_in(client, other)
    # A facilitator of the organisation who does not read the group's cases.
    assert client.get(url(signed)).status_code == 404
    assert client.post(url(signed), REWRITTEN).status_code == 404
    assert not PracticeCase.objects.filter(organisation=org).exists()


def test_only_a_signed_off_session_on_a_dilemma_can_be_turned(
    client, org, facilitator, group, member
):
    meeting = make_meeting(group, timezone.localdate())
    running = start_reflection(meeting, make_dilemma(group, member), facilitator)
    practice = open_practice_reflection(
        meeting=meeting,
        case=builtin("older-shower"),
        method=dilemma_method(org),
        facilitator=facilitator,
    )
    sign_off(reflection=practice, by=facilitator, conclusion="Övning.")
    sign_in(client, facilitator)
    assert client.get(url(running)).status_code == 403
    assert client.get(url(practice)).status_code == 403


def test_another_organisation_gets_404(client, outsider, signed):
    sign_in(client, outsider)
    assert client.get(url(signed)).status_code == 404
