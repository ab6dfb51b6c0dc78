"""Dilemma and reflection test data: plain functions, fixed data."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from dilemmas.models import Dilemma
from meetings.models import Meeting
from reflections.models import AgendaItem, Method, open_reflection


def make_dilemma(group, author, **kwargs) -> Dilemma:
    kwargs.setdefault("title", "Hemtjänst mot brukarens vilja")
    kwargs.setdefault(
        "description", "En äldre man tackar nej till hjälp med att duscha."
    )
    kwargs.setdefault("question", "Ska vi respektera nejet eller övertala honom?")
    return Dilemma.objects.create(
        organisation=group.organisation, group=group, author=author, **kwargs
    )


def make_meeting(group, day, **kwargs) -> Meeting:
    tz = ZoneInfo(group.organisation.time_zone)
    kwargs.setdefault("title", "Etisk reflektion")
    return Meeting.objects.create(
        organisation=group.organisation,
        group=group,
        start=datetime.combine(day, time(13), tzinfo=tz),
        end=datetime.combine(day, time(14, 30), tzinfo=tz),
        **kwargs,
    )


def dilemma_method(org) -> Method:
    return Method.objects.seeded_for(org).get(key="dilemma-method")


def put_on_agenda(meeting, dilemma, method=None) -> AgendaItem:
    return AgendaItem.objects.create(
        organisation=meeting.organisation,
        meeting=meeting,
        dilemma=dilemma,
        method=method or dilemma_method(meeting.organisation),
    )


def start_reflection(meeting, dilemma, facilitator, method=None):
    item = put_on_agenda(meeting, dilemma, method)
    return open_reflection(item=item, facilitator=facilitator)
