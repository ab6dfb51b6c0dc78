"""Steps with citations, as the people who follow a session read them.

A citation holds a value or a guideline, never both: the pages that list them
must not reach through the empty one (issue 19: every participant of a step
where a value was cited got a server error).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guidelines.models import Guideline
from reflections.models import StepKind, sign_off
from tests.factories import sign_in
from tests.translations import tr
from tests.values.helpers import adopt, fill, make_base, make_draft

from .helpers import make_meeting, start_reflection

pytestmark = pytest.mark.django_db

HEADING = "Values and guidelines we lean on"


@pytest.fixture
def cited_session(org, group, dilemma, facilitator):
    """A session running today on a version with two values and two guidelines."""
    version = make_draft(make_base(org))
    items = fill(version)
    # Many real guidelines have no title: the page names them by their text.
    untitled = Guideline.objects.create(
        version=version,
        key="listen-first",
        audience=items["audience"],
        text="Vi lyssnar på den enskilde innan vi föreslår något.",
        position=2,
    )
    adopt(version, datetime.date(2024, 1, 1))
    start = timezone.localtime() - datetime.timedelta(minutes=10)
    meeting = make_meeting(group, start.date())
    meeting.start, meeting.end = start, start + datetime.timedelta(hours=1)
    meeting.save()
    reflection = start_reflection(meeting, dilemma, facilitator)
    return reflection, items, untitled


CITED = {
    "values": (["dignity", "integrity"], []),
    "guidelines": ([], ["guideline", "untitled"]),
    "both": (["dignity"], ["guideline", "untitled"]),
    "neither": ([], []),
}


def cite(client, facilitator, reflection, position, items, untitled, which):
    """The facilitator cites on the step, as in a session."""
    values, guidelines = CITED[which]
    pool = {**items, "untitled": untitled}
    sign_in(client, facilitator)
    response = client.post(
        reverse(
            "reflections:step_save",
            kwargs={
                "org": "norrby",
                "reflection_uuid": reflection.uuid,
                "position": position,
            },
        ),
        {
            "cite-present": "1",
            "cite-values": [pool[key].pk for key in values],
            "cite-guidelines": [pool[key].pk for key in guidelines],
            "notes-notes": "",
            "then": "save",
        },
    )
    assert response.status_code == 302
    client.logout()
    return [str(pool[key]) for key in values + guidelines]


# While the session runs, the participants follow it; once it is signed off,
# the facilitator and the managers above the group read it too.
READERS = [
    ("running", "member"),
    ("running", "colleague"),
    ("signed off", "member"),
    ("signed off", "facilitator"),
    ("signed off", "manager"),
]


@pytest.mark.parametrize("which", list(CITED))
@pytest.mark.parametrize("kind", [StepKind.PERSPECTIVES, StepKind.POSITIONS])
@pytest.mark.parametrize(("state", "reader"), READERS)
@pytest.mark.parametrize("page", ["step", "live"])
def test_a_cited_step_reads_for_everyone_who_follows(
    client, request, cited_session, facilitator, kind, which, state, reader, page
):
    reflection, items, untitled = cited_session
    position = reflection.steps.get(kind=kind).position
    labels = cite(client, facilitator, reflection, position, items, untitled, which)
    reflection.move_to(position)
    if state == "signed off":
        sign_off(reflection=reflection, by=facilitator, conclusion="Vi väljer A.")
    sign_in(client, request.getfixturevalue(reader))

    if page == "live":
        url = reverse(
            "reflections:live",
            kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
        )
    else:
        url = reverse(
            "reflections:step",
            kwargs={
                "org": "norrby",
                "reflection_uuid": reflection.uuid,
                "position": position,
            },
        )
    response = client.get(url)

    assert response.status_code == 200
    assert reflection.citations.count() == len(labels)
    if labels:
        assert tr("sv", HEADING) in response.text
        listed = response.text.split(tr("sv", HEADING), 1)[1].split("</ul>", 1)[0]
        for label in labels:
            assert f"<li>{label}</li>" in listed
        assert listed.count("<li>") == len(labels)
    else:
        assert tr("sv", HEADING) not in response.text


def test_the_untitled_guideline_is_named_by_its_text(
    client, cited_session, facilitator, member
):
    reflection, items, untitled = cited_session
    position = reflection.steps.get(kind=StepKind.POSITIONS).position
    cite(client, facilitator, reflection, position, items, untitled, "guidelines")
    sign_in(client, member)

    page = client.get(
        reverse(
            "reflections:step",
            kwargs={
                "org": "norrby",
                "reflection_uuid": reflection.uuid,
                "position": position,
            },
        )
    )

    assert "<li>Vi lyssnar på den enskilde innan vi föreslår…</li>" in page.text
