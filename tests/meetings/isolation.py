"""URL argument factories for tests/test_tenant_isolation.py (meetings pages)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from meetings.models import Meeting
from meetings.scheduling import schedule
from organisations.models import Membership, Organisation, ReflectionGroup, Role


def _isolation_meeting(org: Organisation) -> Meeting:
    # The group comes from the isolation test's own factory, so that a
    # <group_uuid> and a <meeting_uuid> of one address agree.
    from tests.test_tenant_isolation import KWARG_FACTORIES

    group = ReflectionGroup.objects.get(uuid=KWARG_FACTORIES["group_uuid"](org))
    existing = Meeting.objects.filter(group=group).order_by("start").first()
    if existing is not None:
        return existing
    first = timezone.localdate() + timedelta(weeks=1)
    # A series, so that the series pages have something to show as well.
    return schedule(
        group=group,
        created_by=None,
        title="Isolation meeting",
        place="Room 1",
        link="",
        agenda="",
        first_date=first,
        start_time=time(13),
        end_time=time(14),
        frequency="weekly",
        until=first + timedelta(weeks=2),
    )


def meeting_uuid(org: Organisation) -> Any:
    return _isolation_meeting(org).uuid


def answerable_meeting_uuid(org: Organisation) -> Any:
    """Only people invited may answer: the organisation's admins join the group."""
    meeting = _isolation_meeting(org)
    meeting.group.members.add(
        *Membership.objects.for_organisation(org).with_role(Role.ADMIN)
    )
    return meeting.uuid
