"""The dashboard tells each role its next useful step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation
from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.factories import make_group, make_member, sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get(reverse("organisations:dashboard", kwargs={"org": "norrby"}))
    assert response.status_code == 200
    return response


def test_a_member_is_asked_to_answer_the_next_invitation(client, org, unit, staff):
    group = make_group(org, unit, members=[staff])
    meeting = make_meeting(group, timezone.localdate() + datetime.timedelta(days=3))
    sign_in(client, staff)

    steps = dashboard(client).context["next_steps"]

    text, link = steps[0]
    assert text.startswith(
        tr("sv", "Say whether you are coming to %(meeting)s on %(day)s.").split(
            "%(meeting)s"
        )[0]
    )
    assert link == reverse(
        "meetings:meeting_detail",
        kwargs={"org": "norrby", "meeting_uuid": meeting.uuid},
    )


def test_a_facilitator_is_asked_to_sign_off_a_held_reflection(client, org, unit, staff):
    facilitator = make_member(org, "facilitator", unit=unit)
    group = make_group(org, unit, facilitators=[facilitator], members=[staff])
    dilemma = make_dilemma(group, staff)
    held = make_meeting(group, timezone.localdate() - datetime.timedelta(days=2))
    reflection = start_reflection(held, dilemma, facilitator)
    make_dilemma(group, staff, title="Ännu inte på dagordningen")
    sign_in(client, facilitator)

    links = [link for _text, link in dashboard(client).context["next_steps"]]

    assert (
        reverse(
            "reflections:sign_off",
            kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
        )
        in links
    )
    assert reverse("dilemmas:list", kwargs={"org": "norrby"}) in links


def test_an_admin_is_told_of_expired_invitations(client, org, admin_member):
    Invitation.objects.create(
        organisation=org,
        email="sen@norrby.example",
        expires=timezone.now() - datetime.timedelta(days=1),
    )
    sign_in(client, admin_member)

    texts = [text for text, _link in dashboard(client).context["next_steps"]]

    assert (
        tr("sv", "%(count)d invitation has expired: send it again.") % {"count": 1}
        in texts
    )


def test_staff_with_nothing_pending_are_invited_to_raise_a_dilemma(client, staff):
    sign_in(client, staff)
    page = dashboard(client)
    assert page.context["next_steps"][0][1] == reverse(
        "dilemmas:create", kwargs={"org": "norrby"}
    )
    assert tr("sv", "What to do next") in page.text
