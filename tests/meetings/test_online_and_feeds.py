"""Online and hybrid meetings in calendar files; manager feeds; the overview."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar

from meetings import ics
from meetings.models import CalendarFeed, Response
from meetings.scheduling import schedule
from tests.factories import make_group, make_member, make_unit, sign_in
from tests.translations import tr

from .conftest import next_weekday

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.se/etik-123"


def one_meeting(group, manager, *, place: str, link: str):
    return schedule(
        group=group,
        created_by=manager,
        title="Etisk reflektion",
        place=place,
        link=link,
        agenda="",
        first_date=next_weekday(2),
        start_time=time(9),
        end_time=time(10),
        invite=False,
    )


@pytest.mark.parametrize(("place", "location"), [("Rum 3", "Rum 3"), ("", LINK)])
def test_online_link_is_url_and_conference(group, manager, member, place, location):
    meeting = one_meeting(group, manager, place=place, link=LINK)

    data = ics.request(meeting, recipient=member)

    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["URL"]) == LINK
    assert str(event["LOCATION"]) == location
    [conference] = event.conferences
    assert conference.uri == LINK
    assert "VIDEO" in conference.feature
    # The second reader sees the RFC 7986 property too.
    parsed = vobject.readOne(data.decode())
    assert parsed.vevent.conference.value == LINK
    assert parsed.vevent.conference.params["VALUE"] == ["URI"]


def test_meeting_in_a_room_only_links_to_its_page(group, manager, member):
    meeting = one_meeting(group, manager, place="Rum 3", link="")

    event = Calendar.from_ical(ics.request(meeting, recipient=member)).walk("VEVENT")[0]

    assert "CONFERENCE" not in event
    assert f"/meetings/{meeting.uuid}/" in str(event["URL"])


def test_hybrid_meeting_page_shows_room_and_join_button(client, group, manager, member):
    meeting = one_meeting(group, manager, place="Rum 3", link=LINK)
    sign_in(client, member)

    page = client.get(
        reverse(
            "meetings:meeting_detail",
            kwargs={"org": meeting.organisation.slug, "meeting_uuid": meeting.uuid},
        )
    ).text

    assert tr("sv", "Hybrid: in the room or online") in page
    assert f'href="{LINK}"' in page and tr("sv", "Join online") in page


def new_feed(client, org, **data) -> str:
    response = client.post(reverse("meetings:calendar", kwargs={"org": org.slug}), data)
    assert response.status_code == 200
    return re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', response.text)[
        1
    ]


def test_manager_subscribes_to_every_meeting_of_their_units(
    client, org, unit, manager, meeting, other_member
):
    below = make_unit(org, "Familjebehandling", parent=unit)
    far = make_group(org, below, "Familjegruppen")
    far_meeting = one_meeting(far, manager, place="Rum 9", link="")
    elsewhere = other_member.reflection_groups.get()
    one_meeting(elsewhere, manager, place="Rum 1", link="")
    sign_in(client, manager)

    path = new_feed(client, org, scope="units")
    client.logout()
    response = client.get(path)

    calendar = Calendar.from_ical(response.content)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {meeting.uid, far_meeting.uid}
    assert CalendarFeed.objects.get(membership=manager).scope == "units"
    name = tr("sv", "%(organisation)s: meetings of your units") % {
        "organisation": org.name
    }
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == name
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert "X-PUBLISHED-TTL:PT1H" in response.content.decode()


def test_manager_changes_what_the_feed_shows_and_keeps_the_address(
    client, org, manager, meeting
):
    sign_in(client, manager)
    path = new_feed(client, org, scope="units")

    response = client.post(
        reverse("meetings:calendar", kwargs={"org": org.slug}),
        {"scope": "mine", "keep": "1"},
    )

    assert response.status_code == 200
    assert "testserver/calendar/" not in response.text
    assert CalendarFeed.objects.get(membership=manager).scope == "mine"
    assert client.get(path).status_code == 200


def test_staff_cannot_subscribe_to_units(client, org, member, meeting, other_member):
    sign_in(client, member)

    path = new_feed(client, org, scope="units")

    assert CalendarFeed.objects.get(membership=member).scope == "mine"
    calendar = Calendar.from_ical(client.get(path).content)
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {meeting.uid}


def test_a_units_feed_shrinks_when_the_person_is_no_longer_a_manager(
    client, org, manager, meeting
):
    sign_in(client, manager)
    path = new_feed(client, org, scope="units")
    manager.role = "staff"
    manager.save()

    calendar = Calendar.from_ical(client.get(path).content)

    assert calendar.walk("VEVENT") == []


def test_overview_groups_by_unit_with_answer_counts(
    client, org, unit, manager, meeting, member, facilitator
):
    other_unit = make_unit(org, "Äldreomsorg", parent=unit)
    person = make_member(org, "staff", unit=other_unit, email="a@norrby.example")
    elderly = make_group(org, other_unit, "Äldregruppen", members=[person])
    one_meeting(elderly, manager, place="Rum 1", link="")
    meeting.answer(member, Response.Answer.YES)
    sign_in(client, manager)

    page = client.get(reverse("meetings:overview", kwargs={"org": org.slug})).text

    upcoming = page.split('id="upcoming-heading"')[1].split("</section>")[0]
    headings = re.findall(r"<h3>([^<]+)</h3>", upcoming)
    assert headings == ["Barn och familj", "Äldreomsorg"]
    first_unit = upcoming.split("<h3>")[1]
    cells = re.findall(r"<td>(\d+)</td>", first_unit)
    assert cells == ["1", "0", "0", "1"]  # yes, maybe, no, not answered yet
    assert "Äldregruppen" in upcoming.split("<h3>")[2]


def test_overview_is_in_the_navigation_of_managers_only(client, org, manager, member):
    overview = reverse("meetings:overview", kwargs={"org": org.slug})
    dashboard = reverse("organisations:dashboard", kwargs={"org": org.slug})
    sign_in(client, manager)
    assert f'href="{overview}"' in client.get(dashboard).text.split("</nav>")[0]
    client.logout()
    sign_in(client, member)
    assert f'href="{overview}"' not in client.get(dashboard).text.split("</nav>")[0]
