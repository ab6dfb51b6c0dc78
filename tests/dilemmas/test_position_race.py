"""A first position saved twice at once: as it is typed, and with its button.

The positions step saves a position a second after typing stops (htmx) and
again when "Save my position" is pressed, so the two saves of a person's first
position can reach the server together. Both used to look for the position,
find none, and insert one: the second failed on `reflections_one_position_each`
and the participant got a server error. Whatever arrives second now updates
what the first stored.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from reflections.models import Position, StepKind
from tests.factories import PASSWORD, make_member

from .helpers import make_meeting, start_reflection
from .test_live_session import step_url

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time; the race needs PostgreSQL's rows",
)


@pytest.fixture
def now_reflection(group, dilemma, facilitator):
    """A session whose meeting is on now."""
    start = timezone.localtime() - datetime.timedelta(minutes=10)
    meeting = make_meeting(group, start.date())
    meeting.start, meeting.end = start, start + datetime.timedelta(hours=1)
    meeting.save()
    return start_reflection(meeting, dilemma, facilitator)


def at_once(requests: list[tuple[Client, str, dict, dict]]) -> list:
    """Send every request from its own thread and connection, at one moment."""
    start = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)

    def send(index: int) -> None:
        client, address, data, headers = requests[index]
        try:
            start.wait()
            responses[index] = client.post(address, data, headers=headers)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(index,)) for index in range(len(requests))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def signed_in(membership) -> Client:
    client = Client(raise_request_exception=False)
    assert client.login(email=membership.user.email, password=PASSWORD)
    return client


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_a_first_position_saved_as_typed_and_by_its_button_at_once(
    org, unit, group, member, colleague, now_reflection
):
    reflection = now_reflection
    positions = reflection.steps.get(kind=StepKind.POSITIONS).position
    reflection.move_to(positions)
    writers = [member, colleague]
    for number in range(3):
        writers.append(
            make_member(
                org, "staff", unit=unit, email=f"deltagare{number}@norrby.example"
            )
        )
        group.members.add(writers[-1])
    address = step_url("position_save", reflection, positions)
    requests = []
    for number, writer in enumerate(writers):
        typed = {"position-body": f"Nummer {number} väljer att vänta."}
        saved = {"position-body": f"Nummer {number} väljer att ge mer tid."}
        # Two windows of the same person: the autosave and the button.
        requests.append((signed_in(writer), address, typed, {"HX-Request": "true"}))
        requests.append((signed_in(writer), address, saved, {}))

    responses = at_once(requests)

    assert sorted(r.status_code for r in responses) == [200] * 5 + [302] * 5, [
        (r.status_code, r.text[:200]) for r in responses if r.status_code >= 400
    ]
    stored = Position.objects.filter(step__reflection=reflection)
    assert sorted(stored.values_list("membership", flat=True)) == sorted(
        w.pk for w in writers
    )
    for number, writer in enumerate(writers):
        assert stored.get(membership=writer).body in {
            f"Nummer {number} väljer att vänta.",
            f"Nummer {number} väljer att ge mer tid.",
        }


@pytest.mark.django_db
def test_a_second_save_of_the_same_position_updates_it(client, member, now_reflection):
    reflection = now_reflection
    positions = reflection.steps.get(kind=StepKind.POSITIONS).position
    reflection.move_to(positions)
    client.login(email=member.user.email, password=PASSWORD)
    address = step_url("position_save", reflection, positions)

    client.post(address, {"position-body": "Först."}, headers={"HX-Request": "true"})
    response = client.post(address, {"position-body": "Sedan."})

    assert response.status_code == 302
    (position,) = Position.objects.filter(step__reflection=reflection)
    assert (position.membership, position.body) == (member, "Sedan.")
