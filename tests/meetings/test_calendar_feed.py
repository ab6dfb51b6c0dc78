from __future__ import annotations

import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import CalendarFeed
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, membership) -> None:
    assert client.login(email=membership.user.email, password=PASSWORD)


def calendar_page(org) -> str:
    return reverse("meetings:calendar", kwargs={"org": org.slug})


def new_feed_path(client, org) -> str:
    response = client.post(calendar_page(org))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', response.text)[
        1
    ]


def test_feed_lists_the_persons_meetings(client, member, meeting, series_meeting):
    login(client, member)
    path = new_feed_path(client, member.organisation)
    client.logout()

    response = client.get(path)

    calendar = Calendar.from_ical(response.content)
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert calendar["METHOD"] == "PUBLISH"
    assert uids == {meeting.uid, series_meeting.series.uid}


def test_only_a_hash_of_the_token_is_stored(client, member):
    login(client, member)

    path = new_feed_path(client, member.organisation)

    token = path.removeprefix("/calendar/").removesuffix(".ics")
    stored = CalendarFeed.objects.get(membership=member).token_hash
    assert token not in stored
    assert stored == CalendarFeed.hash_token(token)
    # 256 random bits and nothing else: no id, no name, no address.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


def test_renewing_the_address_stops_the_old_one(client, member, meeting):
    login(client, member)
    old = new_feed_path(client, member.organisation)

    new = new_feed_path(client, member.organisation)

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_feed_of_a_deactivated_member_is_gone(client, member):
    login(client, member)
    path = new_feed_path(client, member.organisation)
    member.is_active = False
    member.save()

    assert client.get(path).status_code == 404


def test_feed_leaves_out_other_groups(client, other_member, meeting):
    login(client, other_member)
    path = new_feed_path(client, other_member.organisation)

    calendar = Calendar.from_ical(client.get(path).content)

    assert calendar.walk("VEVENT") == []


def test_unknown_token_is_404(client, db):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_calendar_page_needs_sign_in(client, member):
    response = client.get(calendar_page(member.organisation))

    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()
