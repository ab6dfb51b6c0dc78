"""Demo meetings for `manage.py load_demo`: a series ahead and one held meeting."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from organisations.models import Organisation, ReflectionGroup, Role

from .models import Meeting
from .scheduling import schedule

TITLES = {"sv": "Etisk reflektion", "da": "Etisk refleksion", "en": "Ethics reflection"}
PLACES = {"sv": "Rum Eken, plan 2", "da": "Mødelokale 2", "en": "Meeting room 2"}


def load_demo_meetings(organisation: Organisation) -> None:
    """Idempotent: groups that already have meetings are left alone."""
    tz = ZoneInfo(organisation.time_zone)
    today = timezone.localdate(timezone=tz)
    first = today + timedelta(days=(3 - today.weekday()) % 7 + 1)  # next Thursday
    title = TITLES.get(organisation.language, TITLES["en"])
    place = PLACES.get(organisation.language, PLACES["en"])
    manager = organisation.memberships.filter(role=Role.MANAGER).first()
    for group in ReflectionGroup.objects.for_organisation(organisation):
        if Meeting.objects.filter(group=group).exists():
            continue
        schedule(
            group=group,
            created_by=manager,
            title=title,
            place=place,
            link="",
            agenda="",
            first_date=first,
            start_time=time(13),
            end_time=time(14, 30),
            frequency="weekly",
            interval=4,
            until=first + timedelta(weeks=16),
            invite=False,
        )
        held_day = first - timedelta(weeks=4)
        held = Meeting.objects.create(
            organisation=organisation,
            group=group,
            title=title,
            place=place,
            start=datetime.combine(held_day, time(13), tzinfo=tz),
            end=datetime.combine(held_day, time(14, 30), tzinfo=tz),
            created_by=manager,
        )
        held.record_attendance(list(group.members.all())[:3])
