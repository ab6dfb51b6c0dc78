"""The scheduling form shows the series fields once the meeting repeats and
folds the online link, without JavaScript; a single meeting ignores what is
left in the series fields, and keeps it for a change of mind."""

from __future__ import annotations

import re

import pytest

from meetings.models import Meeting, Series

from .conftest import next_weekday
from .test_schedule import login, schedule_url, series_data

pytestmark = pytest.mark.django_db


def test_the_series_fields_follow_the_choice_to_repeat(client, manager, group):
    login(client, manager)

    page = client.get(schedule_url(group)).text

    reveal = re.search(r'<div class="reveal">.*?</div>\s*</div>\s*</div>', page, re.S)
    assert reveal is not None
    control, content = reveal.group(0).split('<div class="reveal__content">')
    assert 'name="repeat"' in control
    assert '<option value="" selected>' in control
    for name in ("interval", "until_0", "count"):
        assert f'name="{name}"' in content
    # The link is folded until it holds something.
    link = re.search(r'<details class="disclosure">.*?</details>', page, re.S)
    assert link is not None and 'name="link"' in link.group(0)


def test_a_single_meeting_ignores_the_series_fields(client, manager, group):
    login(client, manager)
    day = next_weekday(3)

    response = client.post(
        schedule_url(group),
        series_data(day, repeat="", interval="zero", until="2020-31-31", count="x"),
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.series is None
    assert not Series.objects.exists()


def test_what_was_typed_in_the_series_fields_is_kept(client, manager, group):
    login(client, manager)
    day = next_weekday(3)

    response = client.post(
        schedule_url(group),
        series_data(day, repeat="", title="", interval="2", link="https://m.example"),
    )

    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert 'name="interval" value="2"' in response.text
    # The folded link opens to show what it holds.
    assert '<details class="disclosure" open>' in response.text
    assert 'value="https://m.example"' in response.text
    assert '<a href="#id_interval">' not in response.text
