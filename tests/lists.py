"""A town whose lists can be made long: the cast of tests/insights/helpers.py plus
an administrator, and `grow(world, n)` to add n more of everything a list or a
detail page shows (dilemmas, sessions, actions, meetings, answers, members,
groups, units, invitations, audit entries, amendments).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import count
from unittest import mock

from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from meetings.models import Meeting, Response
from organisations.models import INVITATION_DAYS, Invitation, Membership, Unit
from reflections.models import Action, Amendment, Reflection
from tests.dilemmas.helpers import make_meeting, put_on_agenda, start_reflection
from tests.factories import make_group, make_member, make_unit
from tests.insights.helpers import Town, add_session, make_town, raise_dilemma


@dataclass
class World:
    town: Town
    admin: Membership
    staff: Membership
    focus_meeting: Meeting
    focus_dilemma: object
    open_reflection: Reflection
    signed_reflection: Reflection
    serial: count = field(default_factory=lambda: count(1))

    @property
    def org(self):
        return self.town.org


def make_world(org) -> World:
    town = make_town(org)
    group = town.children_group
    today = timezone.localdate()
    focus_meeting = make_meeting(group, today + datetime.timedelta(days=3))
    held = make_meeting(group, today - datetime.timedelta(days=2))
    focus_dilemma = raise_dilemma(town, group, today - datetime.timedelta(days=20))
    open_reflection = start_reflection(held, focus_dilemma, town.facilitator)
    signed_reflection = add_session(town, group, datetime.date(2024, 1, 9))
    return World(
        town=town,
        admin=make_member(org, "admin", unit=town.top, name="Anna Admin"),
        staff=town.people[1],
        focus_meeting=focus_meeting,
        focus_dilemma=focus_dilemma,
        open_reflection=open_reflection,
        signed_reflection=signed_reflection,
    )


def grow(world: World, n: int) -> None:
    town, org = world.town, world.org
    group = town.children_group
    today = timezone.localdate()
    for _ in range(n):
        i = next(world.serial)
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=i)
        add_session(town, group, day, action_due=day + datetime.timedelta(days=7))
        raise_dilemma(town, group, day)
        upcoming = make_meeting(group, today + datetime.timedelta(days=10 + i))
        put_on_agenda(upcoming, world.focus_dilemma)
        person = make_member(
            org,
            "staff",
            unit=town.investigation,
            email=f"ny{i}@{org.slug}.example",
            name=f"Ny Kollega {i}",
        )
        group.members.add(person)
        world.focus_meeting.answer(person, Response.Answer.YES)
        upcoming.answer(person, Response.Answer.MAYBE)
        Action.objects.create(
            organisation=org,
            reflection=world.open_reflection,
            text=f"Åtgärd {i}",
            owner=world.staff,
            due=today - datetime.timedelta(days=i),
        )
        Amendment.objects.create(
            reflection=world.signed_reflection, author=town.facilitator, body="Tillägg"
        )
        make_group(
            org,
            town.addiction,
            f"Grupp {i}",
            facilitators=[town.facilitator],
            members=[world.staff],
        )
        make_unit(org, f"Enhet {i}", kind=Unit.Kind.UNIT, parent=town.adults)
        Invitation.objects.create(
            organisation=org,
            email=f"inbjuden{i}@{org.slug}.example",
            expires=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
            invited_by=world.admin,
        )
        AuditEvent.record(
            action=AuditAction.READ, obj=world.focus_dilemma, membership=world.staff
        )


def queries_for(client, url: str) -> int:
    return cost_of(client, url)[0]


def cost_of(client, url: str) -> tuple[int, int]:
    """The queries a page runs, and the SELECTs it compiles, subqueries included.

    A query built once is compiled once: a QuerySet embedded in several others
    is compiled again inside each of them.
    """
    compiled = 0
    as_sql = SQLCompiler.as_sql

    def counted(compiler, *args, **kwargs):
        nonlocal compiled
        compiled += 1
        return as_sql(compiler, *args, **kwargs)

    with (
        mock.patch.object(SQLCompiler, "as_sql", counted),
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), compiled
