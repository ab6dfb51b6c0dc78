"""Series as people plan them: every N weeks, monthly on a date or a weekday,
ending on a date or after a count; changing this and the following meetings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting, Response, Series
from tests.factories import make_member, sign_in
from tests.translations import tr

from .test_schedule import calendar_part, schedule_url, series_data

pytestmark = pytest.mark.django_db


def next_date(day: int, weekday: int | None = None, week: int | None = None) -> date:
    """The first date after the coming month that fits (a day, or a weekday)."""
    month = timezone.localdate().replace(day=1) + timedelta(days=62)
    month = month.replace(day=1)
    if weekday is None:
        return month.replace(day=day)
    days = [month + timedelta(days=n) for n in range(31)]
    days = [d for d in days if d.month == month.month and d.weekday() == weekday]
    return days[week - 1] if week != -1 else days[-1]


def local_dates(series: Series) -> list[date]:
    return [
        m.start.astimezone(series.tz).date() for m in series.meetings.order_by("start")
    ]


def test_monthly_on_the_second_tuesday_for_six_meetings(client, manager, group):
    sign_in(client, manager)
    first = next_date(0, weekday=1, week=2)

    response = client.post(
        schedule_url(group),
        series_data(first, repeat="monthly_weekday", interval="1", until="", count="6"),
    )

    series = Series.objects.get()
    assert response.status_code == 302
    assert (series.frequency, series.week_of_month, series.count) == (
        "monthly",
        2,
        6,
    )
    dates = local_dates(series)
    assert len(dates) == 6
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in dates)
    assert series.ical_rule()["byday"] == "2TU"


def test_monthly_on_the_last_thursday_until_a_date(client, manager, group):
    sign_in(client, manager)
    first = next_date(0, weekday=3, week=-1)

    client.post(
        schedule_url(group),
        series_data(
            first,
            repeat="monthly_last",
            interval="2",
            until=(first + timedelta(days=300)).isoformat(),
        ),
    )

    series = Series.objects.get()
    dates = local_dates(series)
    assert series.week_of_month == -1
    assert len(dates) == 5  # every second month within 300 days
    for day in dates:
        assert day.weekday() == 3
        assert (day + timedelta(weeks=1)).month != day.month


def test_monthly_on_a_date_and_weekly_every_third_week(client, manager, group):
    sign_in(client, manager)
    monthly = next_date(14)
    client.post(
        schedule_url(group),
        series_data(monthly, repeat="monthly_date", until="", count="3"),
    )
    weekly = monthly + timedelta(days=1)
    client.post(
        schedule_url(group),
        series_data(
            weekly,
            repeat="weekly",
            interval="3",
            until=(weekly + timedelta(weeks=9)).isoformat(),
        ),
    )

    by_date, by_week = Series.objects.order_by("pk")
    assert [d.day for d in local_dates(by_date)] == [14, 14, 14]
    assert local_dates(by_week) == [weekly + timedelta(weeks=3 * n) for n in range(4)]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"repeat": "monthly_date", "date": "31"},
            "repeat",
            "Not every month has a day %(day)s: choose a date from 1 to 28, "
            "or repeat on the last such weekday.",
        ),
        (
            {"repeat": "monthly_last", "date": "first-monday"},
            "date",
            "%(date)s is not the last %(weekday)s of its month: choose that day, "
            "or another way to repeat.",
        ),
        (
            {"repeat": "weekly", "until": "", "count": ""},
            "until",
            "Give the last date or the number of meetings.",
        ),
        (
            {"repeat": "weekly", "count": "4"},
            "count",
            "Give either a last date or a number of meetings, not both.",
        ),
    ],
)
def test_impossible_rules_are_refused_with_the_input_kept(
    client, manager, group, data, field, message
):
    sign_in(client, manager)
    if data.get("date") == "31":
        month = timezone.localdate().replace(day=1) + timedelta(days=62)
        while True:
            try:
                first = month.replace(day=31)
                break
            except ValueError:
                month = (month + timedelta(days=31)).replace(day=1)
    elif data.get("date") == "first-monday":
        first = next_date(0, weekday=0, week=1)
    else:
        first = next_date(10)
    posted = {k: v for k, v in data.items() if k != "date"}

    response = client.post(
        schedule_url(group), series_data(first, title="Vår reflektion", **posted)
    )

    assert response.status_code == 200
    assert not Series.objects.exists()
    assert 'value="Vår reflektion"' in response.text
    translated = tr("sv", message)
    if "%(day)s" in message:
        translated = translated % {"day": 31}
    # The fixed words between the date and the weekday, in Swedish.
    fixed = translated.split("%(date)s")[-1].split("%(weekday)s")[0]
    assert fixed in response.text


def test_a_fifth_weekday_is_refused(client, manager, group):
    sign_in(client, manager)
    # The 29th-31st is always the fifth of its weekday in the month.
    month = (timezone.localdate().replace(day=1) + timedelta(days=62)).replace(day=1)
    if month.month == 2:
        month = month.replace(month=3)
    first = month.replace(day=29)

    response = client.post(
        schedule_url(group), series_data(first, repeat="monthly_weekday")
    )

    assert response.status_code == 200
    assert not Series.objects.exists()
    assert tr("sv", "Repeat") in response.text


def series_form_url(name: str, meeting: Meeting) -> str:
    return reverse(
        f"meetings:{name}",
        kwargs={"org": meeting.organisation.slug, "meeting_uuid": meeting.uuid},
    )


def change_data(series: Series, **overrides) -> dict:
    data = {
        "title": series.title,
        "date": series.first_date.isoformat(),
        "start_time": "13:00",
        "end_time": "14:30",
        "repeat": "weekly",
        "interval": str(series.interval),
        "until": series.until.isoformat(),
        "count": "",
        "place": series.place,
        "link": "",
        "agenda": "",
    }
    return {**data, **overrides}


def test_change_this_and_the_following_splits_the_series(
    client, manager, member, series_meeting, django_capture_on_commit_callbacks
):
    series = series_meeting.series
    first, second, third, fourth = series.meetings.order_by("start")
    third.answer(member, Response.Answer.YES)
    sign_in(client, manager)
    third_day = third.start.astimezone(series.tz).date()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            series_form_url("series_change_following", third),
            change_data(
                series,
                date=third_day.isoformat(),
                start_time="15:00",
                end_time="16:00",
                place="Rum 8",
            ),
        )

    assert response.status_code == 302, response.context["form"].errors
    series.refresh_from_db()
    follower = Series.objects.exclude(pk=series.pk).get()
    assert series.until == third_day - timedelta(days=1)
    assert list(series.meetings.order_by("start")) == [first, second]
    assert list(follower.meetings.order_by("start")) == [third, fourth]
    third.refresh_from_db()
    assert (timezone.localtime(third.start).hour, third.place) == (15, "Rum 8")
    # The answer stays with the meeting it was given to.
    assert third.responses.get().answer == "yes"
    assert follower.uid != series.uid
    # Two calendar objects to update: the old one shortened, the new one.
    sent = {}
    for message in mail.outbox:
        _method, calendar = calendar_part(message)
        sent.setdefault(str(calendar.walk("VEVENT")[0]["UID"]), []).append(calendar)
    assert set(sent) == {series.uid, follower.uid}
    old_rule = sent[series.uid][0].walk("VEVENT")[0]["RRULE"]
    assert old_rule["UNTIL"][0].date() in {third_day - timedelta(days=1), third_day}


def test_whole_series_moves_to_another_weekday_and_interval(
    client, manager, series_meeting, django_capture_on_commit_callbacks
):
    series = series_meeting.series
    new_first = series.first_date + timedelta(days=5)  # Thursday to Tuesday
    sign_in(client, manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            series_form_url("series_change", series_meeting),
            change_data(
                series,
                date=new_first.isoformat(),
                interval="1",
                until=(new_first + timedelta(weeks=3)).isoformat(),
            ),
        )

    series.refresh_from_db()
    assert response.status_code == 302
    # Nothing had happened yet: the same series, on Tuesdays every week.
    assert Series.objects.count() == 1
    assert (series.first_date, series.interval) == (new_first, 1)
    assert local_dates(series) == [new_first + timedelta(weeks=n) for n in range(4)]
    _method, calendar = calendar_part(mail.outbox[0])
    rule = calendar.walk("VEVENT")[0]["RRULE"]
    assert (rule["BYDAY"], rule["INTERVAL"]) == (["TU"], [1])


def test_a_series_that_has_begun_changes_its_weekday_from_the_next_meeting(
    client, manager, series_meeting
):
    series = series_meeting.series
    first, second, *_rest = series.meetings.order_by("start")
    past = timezone.now() - timedelta(days=1)
    Meeting.objects.filter(pk=first.pk).update(
        start=past, end=past + timedelta(hours=1)
    )
    sign_in(client, manager)
    second_day = second.start.astimezone(series.tz).date()
    monday = second_day - timedelta(days=3)

    response = client.post(
        series_form_url("series_change", second),
        change_data(series, date=monday.isoformat()),
    )

    assert response.status_code == 302
    old, new = Series.objects.order_by("pk")
    assert list(old.meetings.all()) == [first]
    assert {d.weekday() for d in local_dates(new)} == {0}


def test_following_change_needs_a_date_after_the_meeting_before(
    client, manager, series_meeting
):
    series = series_meeting.series
    third = series.meetings.order_by("start")[2]
    sign_in(client, manager)
    too_early = series.first_date.isoformat()

    response = client.post(
        series_form_url("series_change_following", third),
        change_data(series, date=too_early, title="Ny titel"),
    )

    assert response.status_code == 200
    assert 'value="Ny titel"' in response.text
    assert Series.objects.count() == 1


def test_series_change_pages_refuse_staff_outsiders_and_put(
    client, member, outsider, series_meeting
):
    url = series_form_url("series_change_following", series_meeting)
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    sign_in(client, member)
    assert client.get(url).status_code == 403
    assert client.put(url).status_code == 405
    client.logout()
    sign_in(client, outsider)
    assert client.get(url).status_code == 404


def test_monthly_series_file_reads_back_with_its_rule(manager, group):
    from meetings import ics
    from meetings.scheduling import schedule

    first = next_date(0, weekday=3, week=-1)
    meeting = schedule(
        group=group,
        created_by=manager,
        title="Etisk reflektion",
        place="Rum 3",
        link="",
        agenda="",
        first_date=first,
        start_time=timezone.datetime(2026, 1, 1, 13).time(),
        end_time=timezone.datetime(2026, 1, 1, 14).time(),
        frequency="monthly",
        week_of_month=-1,
        count=4,
    )
    recipient = make_member(group.organisation, "staff", email="r@norrby.example")

    calendar = Calendar.from_ical(ics.request(meeting, recipient=recipient))

    rule = calendar.walk("VEVENT")[0]["RRULE"]
    assert (rule["FREQ"], rule["BYDAY"], rule["COUNT"]) == (["MONTHLY"], ["-1TH"], [4])
