from __future__ import annotations

from datetime import time, timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Meeting, Series
from tests.factories import PASSWORD, make_member, make_user
from tests.translations import tr

from .conftest import next_weekday

pytestmark = pytest.mark.django_db


def login(client, membership) -> None:
    assert client.login(email=membership.user.email, password=PASSWORD)


def schedule_url(group) -> str:
    return reverse(
        "meetings:meeting_schedule",
        kwargs={"org": group.organisation.slug, "group_uuid": group.uuid},
    )


def series_data(first, **overrides) -> dict:
    data = {
        "title": "Etisk reflektion",
        "date": first.isoformat(),
        "start_time": "13:00",
        "end_time": "14:30",
        "repeat": "weekly",
        "interval": "4",
        "until": (first + timedelta(weeks=12)).isoformat(),
        "count": "",
        "place": "Rum 3, Stadshuset",
        "link": "",
        "agenda": "Dilemma\nUppföljning",
    }
    return {**data, **overrides}


def calendar_part(message) -> tuple[str, Calendar]:
    parsed = message_from_bytes(message.message().as_bytes())
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    return part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True))


def test_manager_schedules_a_series_and_the_group_is_invited(
    client, manager, group, member, facilitator, django_capture_on_commit_callbacks
):
    login(client, manager)
    first = next_weekday(3)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(schedule_url(group), series_data(first))

    series = Series.objects.get()
    meetings = list(series.meetings.order_by("start"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "meetings:meeting_detail",
        kwargs={"org": group.organisation.slug, "meeting_uuid": meetings[0].uuid},
    )
    assert [m.start.astimezone(series.tz).date() for m in meetings] == [
        first + timedelta(weeks=4 * i) for i in range(4)
    ]
    assert {m.start.astimezone(series.tz).time() for m in meetings} == {time(13)}
    assert (series.frequency, series.interval) == ("weekly", 4)
    assert series.created_by == manager
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member.user.email, facilitator.user.email]
    )
    message = mail.outbox[0]
    assert "Etisk reflektion" in message.subject
    assert "13:00–14:30" in message.body
    assert "Rum 3, Stadshuset" in message.body
    method, calendar = calendar_part(message)
    assert method == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == series.uid


def test_one_meeting_without_place_or_link_is_refused(client, manager, group):
    login(client, manager)

    response = client.post(
        schedule_url(group),
        series_data(next_weekday(1), repeat="", place=""),
    )

    assert response.status_code == 200
    assert tr("sv", "Give a place, an online link or both.") in response.text
    assert not Meeting.objects.exists()


def test_a_series_too_long_is_refused(client, manager, group):
    login(client, manager)
    first = next_weekday(1)

    response = client.post(
        schedule_url(group),
        series_data(first, interval="1", until=str(first + timedelta(weeks=70))),
    )

    assert response.status_code == 200
    too_many = tr("sv", "A series can have at most %(count)s meetings.")
    assert too_many % {"count": 60} in response.text
    assert not Series.objects.exists()


def test_invitation_is_in_danish_for_a_danish_member(
    client, manager, group, django_capture_on_commit_callbacks
):
    dane = make_member(
        group.organisation,
        "staff",
        user=make_user("mette@norrby.example", name="Mette", language="da"),
    )
    group.members.add(dane)
    login(client, manager)
    # A Tuesday in March: "tirsdag" and "marts" in Danish, "tisdag" and "mars"
    # in Swedish.
    tuesday = next_weekday(1, weeks_ahead=52)
    while tuesday.month != 3:
        tuesday += timedelta(weeks=1)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            schedule_url(group),
            series_data(tuesday, repeat="", until=""),
        )

    danish = next(m for m in mail.outbox if m.to == [dane.user.email])
    swedish = next(m for m in mail.outbox if m.to != [dane.user.email])
    assert "Tirsdag" in danish.body
    assert f"{tuesday.day}. marts {tuesday.year}" in danish.body
    assert danish.extra_headers["Content-Language"] == "da"
    assert "Tisdag" in swedish.body
    assert "mars" in swedish.body


# A facilitator schedules for the groups they facilitate
# (test_facilitator_schedules.py); roles that run no sessions do not, even when
# chosen as a group's facilitator.
@pytest.mark.parametrize("role", ["staff", "editor"])
def test_roles_that_run_no_sessions_cannot_schedule(client, org, unit, group, role):
    person = make_member(org, role, unit=unit, email=f"{role}2@norrby.example")
    group.facilitators.add(person)
    login(client, person)

    response = client.post(schedule_url(group), series_data(next_weekday(3)))

    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_manager_of_another_unit_cannot_schedule(client, org, group):
    from tests.factories import make_unit

    elsewhere = make_member(
        org,
        "manager",
        unit=make_unit(org, "Ekonomiskt bistånd"),
        email="chef2@norrby.example",
    )
    login(client, elsewhere)

    assert client.get(schedule_url(group)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, group):
    response = client.get(schedule_url(group))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_other_organisation_gets_404(client, outsider, group):
    login(client, outsider)

    assert client.get(schedule_url(group)).status_code == 404


def test_schedule_refuses_put(client, manager, group):
    login(client, manager)

    assert client.put(schedule_url(group)).status_code == 405
