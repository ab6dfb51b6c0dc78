"""A facilitator schedules, changes and cancels the meetings of the groups they
facilitate, with the same invitations and calendar files as a manager; only
those groups, and without the managers' overview."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Series
from meetings.scheduling import schedule
from tests.factories import make_group, make_member, make_unit
from tests.translations import tr

from .conftest import next_weekday
from .test_schedule import calendar_part, login, schedule_url, series_data

pytestmark = pytest.mark.django_db


def meeting_url(name: str, meeting) -> str:
    return reverse(
        name, kwargs={"org": meeting.organisation.slug, "meeting_uuid": meeting.uuid}
    )


def group_url(group) -> str:
    return reverse(
        "meetings:group_detail",
        kwargs={"org": group.organisation.slug, "group_uuid": group.uuid},
    )


def one_off(day, **overrides) -> dict:
    return series_data(day, repeat="", until="", interval="", **overrides)


@pytest.fixture
def fellow_group(org, unit, facilitator, member):
    """A group of the same unit in which the facilitator is only a member."""
    leader = make_member(org, "facilitator", unit=unit, email="leda@norrby.example")
    return make_group(
        org, unit, "Grannens grupp", facilitators=[leader], members=[facilitator]
    )


@pytest.fixture
def other_group(org):
    """A group of another unit, which the facilitator is not in."""
    unit = make_unit(org, "Äldreomsorg")
    person = make_member(org, "staff", unit=unit, email="aldre@norrby.example")
    return make_group(org, unit, "Äldregruppen", members=[person])


def planned(group, created_by, day):
    return schedule(
        group=group,
        created_by=created_by,
        title="Gruppens möte",
        place="Rum 1",
        link="",
        agenda="",
        first_date=day,
        start_time=time(9),
        end_time=time(10),
    )


def test_facilitator_schedules_a_meeting_and_the_group_is_invited(
    client, facilitator, member, group, django_capture_on_commit_callbacks
):
    login(client, facilitator)
    day = next_weekday(2)

    page = client.get(schedule_url(group))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(schedule_url(group), one_off(day))

    assert page.status_code == 200
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting_url("meetings:meeting_detail", meeting)
    assert meeting.series is None
    assert meeting.created_by == facilitator
    assert meeting.group == group
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member.user.email, facilitator.user.email]
    )
    message = next(m for m in mail.outbox if m.to == [member.user.email])
    assert "Etisk reflektion" in message.subject
    assert "13:00–14:30" in message.body
    assert "Rum 3, Stadshuset" in message.body
    method, calendar = calendar_part(message)
    assert method == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid
    assert str(event["SUMMARY"]) == "Etisk reflektion"
    assert event.decoded("DTSTART").date() == day
    assert "RRULE" not in event
    chairs = [str(a) for a in event.get("ATTENDEE") if a.params.get("ROLE") == "CHAIR"]
    assert chairs == [f"mailto:{facilitator.user.email}"]


def test_facilitator_schedules_a_series(
    client, facilitator, member, group, django_capture_on_commit_callbacks
):
    login(client, facilitator)
    first = next_weekday(3)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            schedule_url(group), series_data(first, interval="2", until="", count="3")
        )

    assert response.status_code == 302
    series = Series.objects.get()
    assert series.created_by == facilitator
    assert [m.start.astimezone(series.tz).date() for m in series.meetings.all()] == [
        first + timedelta(weeks=2 * i) for i in range(3)
    ]
    # One invitation each, with the series as one event that repeats.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member.user.email, facilitator.user.email]
    )
    _method, calendar = calendar_part(mail.outbox[0])
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == series.uid
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["RRULE"]["INTERVAL"] == [2]
    assert event["RRULE"]["COUNT"] == [3]


def test_facilitator_changes_and_cancels_their_groups_meeting(
    client, facilitator, member, manager, group, django_capture_on_commit_callbacks
):
    meeting = planned(group, manager, next_weekday(1))
    login(client, facilitator)
    day = next_weekday(4)

    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(
            meeting_url("meetings:meeting_change", meeting),
            {
                "title": "Flyttat möte",
                "place": "Rum 2",
                "link": "",
                "agenda": "",
                "date": day.isoformat(),
                "start_time": "10:00",
                "end_time": "11:00",
            },
        )
    meeting.refresh_from_db()
    assert changed.status_code == 302
    assert meeting.title == "Flyttat möte"
    assert timezone.localtime(meeting.start, ZoneInfo("Europe/Stockholm")).date() == day
    assert "Rum 2" in mail.outbox[-1].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(meeting_url("meetings:meeting_cancel", meeting))

    meeting.refresh_from_db()
    assert cancelled.status_code == 302
    assert meeting.is_cancelled
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member.user.email, facilitator.user.email]
    )
    method, calendar = calendar_part(mail.outbox[0])
    assert method == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"


def test_facilitator_changes_and_cancels_their_groups_series(
    client, facilitator, group, series_meeting, django_capture_on_commit_callbacks
):
    login(client, facilitator)
    series = series_meeting.series

    page = client.get(meeting_url("meetings:series_change", series_meeting))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(meeting_url("meetings:series_cancel", series_meeting))

    assert page.status_code == 200
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.cancelled
    assert not series.meetings.upcoming().exclude(status="cancelled").exists()
    assert {calendar_part(m)[0] for m in mail.outbox} == {"CANCEL"}


def test_the_pages_offer_scheduling_to_the_facilitator_not_to_members(
    client, facilitator, member, manager, group
):
    meeting = planned(group, manager, next_weekday(1))
    schedule_link = schedule_url(group)
    change_link = meeting_url("meetings:meeting_change", meeting)
    cancel_link = meeting_url("meetings:meeting_cancel", meeting)

    login(client, facilitator)
    group_page = client.get(group_url(group)).text
    meeting_page = client.get(meeting_url("meetings:meeting_detail", meeting)).text
    assert schedule_link in group_page
    assert tr("sv", "Schedule a meeting") in group_page
    assert change_link in meeting_page and cancel_link in meeting_page
    # The group itself (its people, its name) stays the managers'.
    change_group = reverse(
        "meetings:group_change",
        kwargs={"org": group.organisation.slug, "group_uuid": group.uuid},
    )
    assert change_group not in group_page

    client.logout()
    login(client, member)
    group_page = client.get(group_url(group)).text
    meeting_page = client.get(meeting_url("meetings:meeting_detail", meeting)).text
    assert schedule_link not in group_page
    assert change_link not in meeting_page and cancel_link not in meeting_page
    assert client.get(schedule_link).status_code == 403
    assert client.post(cancel_link).status_code == 403


def test_a_group_the_facilitator_is_only_a_member_of_is_refused(
    client, facilitator, fellow_group, django_capture_on_commit_callbacks
):
    leader = fellow_group.facilitators.get()
    meeting = planned(fellow_group, leader, next_weekday(1))
    login(client, facilitator)

    page = client.get(group_url(fellow_group))
    assert page.status_code == 200
    assert schedule_url(fellow_group) not in page.text
    with django_capture_on_commit_callbacks(execute=True):
        refused = [
            client.post(schedule_url(fellow_group), one_off(next_weekday(2))),
            client.get(meeting_url("meetings:meeting_change", meeting)),
            client.post(meeting_url("meetings:meeting_cancel", meeting)),
        ]

    assert [r.status_code for r in refused] == [403, 403, 403]
    assert Meeting.objects.count() == 1
    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    assert mail.outbox == []


def test_another_units_group_is_not_found(
    client, facilitator, manager, other_group, django_capture_on_commit_callbacks
):
    meeting = planned(other_group, manager, next_weekday(1))
    login(client, facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        refused = [
            client.post(schedule_url(other_group), one_off(next_weekday(2))),
            client.post(meeting_url("meetings:meeting_cancel", meeting)),
            client.post(meeting_url("meetings:series_cancel", meeting)),
        ]

    assert [r.status_code for r in refused] == [404, 404, 404]
    assert Meeting.objects.count() == 1
    assert mail.outbox == []


def test_another_organisations_group_is_not_found(client, facilitator, other_org):
    unit = make_unit(other_org, "Barn och unga")
    theirs = make_group(other_org, unit, "Deras grupp")
    login(client, facilitator)

    response = client.post(schedule_url(theirs), one_off(next_weekday(2)))

    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_facilitator_gets_no_overview(client, org, facilitator, group):
    login(client, facilitator)

    groups = client.get(reverse("meetings:group_list", kwargs={"org": org.slug}))
    overview = client.get(reverse("meetings:overview", kwargs={"org": org.slug}))

    assert reverse("meetings:overview", kwargs={"org": org.slug}) not in groups.text
    assert overview.status_code == 403


def test_the_dashboard_asks_the_facilitator_to_plan_their_group(
    client, org, facilitator, group
):
    login(client, facilitator)

    dashboard = client.get(reverse("organisations:dashboard", kwargs={"org": org.slug}))

    assert schedule_url(group) in dashboard.text
    assert group.name in dashboard.text
