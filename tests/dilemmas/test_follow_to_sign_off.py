"""A participant following the session learns that it has been signed off.

Following pages used to stop polling at sign-off without a word: the page stayed
on the last step saying "You follow the facilitator", and after a reload said
both that and that the reflection was signed off. Now the page is taken to the
live page once more, which says the session is signed off and leads on to the
reflection and its evaluation.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections.models import sign_off
from tests.factories import sign_in
from tests.translations import tr

from .helpers import make_meeting, start_reflection
from .test_live_session import live_url, step_url

pytestmark = pytest.mark.django_db

FOLLOWING = "You follow the facilitator: this page moves on with the group."
SIGNED_OFF = "This reflection is signed off and cannot be changed."
ON = "On to the reflection and its evaluation"


@pytest.fixture
def running(group, dilemma, facilitator):
    start = timezone.localtime() - datetime.timedelta(minutes=10)
    meeting = make_meeting(group, start.date())
    meeting.start, meeting.end = start, start + datetime.timedelta(hours=1)
    meeting.save()
    return start_reflection(meeting, dilemma, facilitator)


def detail_url(reflection) -> str:
    return reverse(
        "reflections:detail",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
    )


def test_a_following_page_is_told_of_the_sign_off(client, member, facilitator, running):
    reflection = running
    sign_in(client, member)
    page = client.get(live_url(reflection))
    assert tr("sv", FOLLOWING) in page.text
    assert tr("sv", ON) not in page.text
    state = page.context["state"]
    last = reflection.steps.count()
    reflection.move_to(last)
    sign_off(reflection=reflection, by=facilitator, conclusion="Vi väljer A.")

    pulse = client.get(
        step_url("pulse", reflection, 1),
        {"state": state, "following": "1"},
        headers={"HX-Request": "true"},
    )

    assert json.loads(pulse["HX-Location"])["path"] == live_url(reflection)
    live = client.get(live_url(reflection))
    assert live.status_code == 200
    assert tr("sv", FOLLOWING) not in live.text
    assert tr("sv", SIGNED_OFF) in live.text
    assert f'href="{detail_url(reflection)}">{tr("sv", ON)}</a>' in live.text
    # The signed-off page polls no more.
    assert step_url("pulse", reflection, last) not in live.text
    evaluate = tr("sv", "Evaluate the session")
    assert evaluate in client.get(detail_url(reflection)).text


def test_a_page_on_a_chosen_step_stops_polling_at_sign_off(
    client, member, facilitator, running
):
    reflection = running
    sign_in(client, member)
    page = client.get(step_url("step", reflection, 1))
    state = page.context["state"]
    sign_off(reflection=reflection, by=facilitator, conclusion="Vi väljer A.")

    pulse = client.get(
        step_url("pulse", reflection, 1),
        {"state": state},
        headers={"HX-Request": "true"},
    )

    assert pulse.status_code == 286  # htmx: stop polling
    assert "HX-Location" not in pulse
