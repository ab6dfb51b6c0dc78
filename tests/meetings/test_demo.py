from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from meetings.models import Meeting, Series
from organisations.models import ReflectionGroup


@pytest.mark.django_db
def test_demo_gives_every_group_a_series_and_a_held_meeting_once():
    call_command("load_demo", "--quiet-sign-ins")
    call_command("load_demo", "--quiet-sign-ins")

    groups = ReflectionGroup.objects.count()
    assert groups > 0
    assert Series.objects.count() == groups
    # One held meeting from here and six months of sessions from insights/demo.py.
    assert Meeting.objects.filter(status=Meeting.Status.HELD).count() == groups * 7
    assert not mail.outbox
