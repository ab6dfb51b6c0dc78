"""Scheduling meetings and series, and telling the people invited.

The models change the data; these functions change it and mail the invitees once
the transaction has committed (meetings.tasks). Views call these, never the mail
tasks, and the models import neither (docs/architecture.md).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from organisations.models import Membership, ReflectionGroup

from .models import (
    Meeting,
    Rule,
    Series,
    series_snapshot,
)
from .tasks import send_meeting_mail


def notify(meeting: Meeting, kind: str, **details: Any) -> None:
    """Mail the group (or `recipients`) once the transaction has committed."""
    transaction.on_commit(
        lambda: send_meeting_mail.enqueue(meeting.pk, kind, **details)
    )


def _remove(meeting: Meeting) -> None:
    """Take an upcoming occurrence out of its series' schedule."""
    try:
        meeting.delete()
    except ProtectedError:
        # Something was prepared for it (a reflection): keep it, as cancelled.
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)


@transaction.atomic
def change_meeting(
    meeting: Meeting,
    *,
    title: str,
    place: str,
    link: str,
    agenda: str,
    start: datetime,
    end: datetime,
) -> None:
    """Change one meeting (an occurrence leaves its series) and tell the invitees."""
    previous = meeting.change(
        title=title, place=place, link=link, agenda=agenda, start=start, end=end
    )
    notify(meeting, "update", previous=previous)


@transaction.atomic
def cancel_meeting(meeting: Meeting) -> None:
    """Cancel one meeting and tell the invitees."""
    meeting.cancel()
    notify(meeting, "cancel")


@transaction.atomic
def schedule(
    *,
    group: ReflectionGroup,
    created_by: Membership | None,
    title: str,
    place: str,
    link: str,
    agenda: str,
    first_date: date,
    start_time: time,
    end_time: time,
    frequency: str = "",
    interval: int = 1,
    week_of_month: int | None = None,
    until: date | None = None,
    count: int | None = None,
    invite: bool = True,
) -> Meeting:
    """Schedule a meeting or a series, invite the group; return the first meeting.

    Without a frequency it is one meeting; a series ends on `until` or after
    `count` meetings.
    """
    tz = ZoneInfo(group.organisation.time_zone)
    fields: dict[str, Any] = {
        "organisation": group.organisation,
        "group": group,
        "title": title,
        "place": place,
        "link": link,
        "agenda": agenda,
        "created_by": created_by,
    }
    if not frequency:
        meeting = Meeting.objects.create(
            start=datetime.combine(first_date, start_time, tzinfo=tz),
            end=datetime.combine(first_date, end_time, tzinfo=tz),
            **fields,
        )
    else:
        rule = Rule(
            first_date=first_date,
            frequency=frequency,
            interval=interval,
            week_of_month=week_of_month,
            until=None if count else until,
            count=count or None,
        )
        meeting = _create_series(rule, tz, start_time, end_time, fields)
    if invite:
        notify(meeting, "invitation")
    return meeting


def _create_series(
    rule: Rule, tz: ZoneInfo, start_time: time, end_time: time, fields: dict[str, Any]
) -> Meeting:
    """A series on `rule` with a meeting for each of its slots; the first of them."""
    series = Series.objects.create(
        time_zone=tz.key,
        first_date=rule.first_date,
        start_time=start_time,
        end_time=end_time,
        frequency=rule.frequency,
        interval=rule.interval,
        week_of_month=rule.week_of_month,
        until=rule.until,
        count=rule.count,
        **fields,
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(series=series, recurrence_id=start, start=start, end=end, **fields)
            for start, end in series.slots()
        ]
    )
    return meetings[0]


def _follow_schedule(series: Series, *, reset_detached: bool) -> None:
    """Bring a series' meetings in line with its rule.

    Upcoming occurrences take the series' times and details (those changed on
    their own only when `reset_detached`); past ones keep theirs. A slot that
    is no longer in the rule loses its upcoming meeting; a new slot gets one.
    """
    now = timezone.now()
    slots = {start.date(): (start, end) for start, end in series.slots()}
    existing = {m.slot.astimezone(series.tz).date(): m for m in series.meetings.all()}
    for day, meeting in existing.items():
        if day not in slots:
            if meeting.start > now and meeting.attended_count is None:
                _remove(meeting)
            continue
        start, end = slots[day]
        meeting.recurrence_id = start
        fields = ["recurrence_id"]
        follows = not meeting.detached or reset_detached
        if meeting.start > now and follows and not meeting.is_cancelled:
            meeting.start, meeting.end = start, end
            meeting.title, meeting.place, meeting.link, meeting.agenda = (
                series.title,
                series.place,
                series.link,
                series.agenda,
            )
            meeting.detached = False
            fields += ["start", "end", "title", "place", "link", "agenda", "detached"]
        meeting.save(update_fields=[*fields, "changed"])
    Meeting.objects.bulk_create(
        [
            Meeting(
                organisation=series.organisation,
                group=series.group,
                series=series,
                recurrence_id=start,
                start=start,
                end=end,
                title=series.title,
                place=series.place,
                link=series.link,
                agenda=series.agenda,
                created_by=series.created_by,
            )
            for day, (start, end) in slots.items()
            if day not in existing
        ]
    )


@transaction.atomic
def change_series(
    series: Series,
    *,
    start: Meeting,
    whole: bool,
    rule: Rule,
    title: str,
    place: str,
    link: str,
    agenda: str,
    start_time: time,
    end_time: time,
) -> Series:
    """Change a series from one occurrence on; return the series it now belongs to.

    `whole` changes the whole series: past occurrences keep their times and
    the calendar file shows them as exceptions to the rule. A new weekday,
    interval or first date of a series that has begun, and any change of
    "this and the following" occurrences, split the series: it ends the day
    before `start`, and a new series (a new calendar event) takes over from
    there, as Outlook and Google do it.
    """
    series = Series.objects.select_for_update().get(pk=series.pk)
    before = series_snapshot(series)
    from_first = start.recurrence_id == series.slots()[0][0]
    fields = {
        "title": title,
        "place": place,
        "link": link,
        "agenda": agenda,
        "start_time": start_time,
        "end_time": end_time,
        "first_date": rule.first_date,
        "frequency": rule.frequency,
        "interval": rule.interval,
        "week_of_month": rule.week_of_month,
        "until": None if rule.count else rule.until,
        "count": rule.count or None,
    }
    if from_first or (whole and rule.same_pattern(series.rule)):
        return _change_in_place(series, rule, fields, before)
    # Every meeting of a series has the slot it was made for.
    assert start.recurrence_id is not None
    return _split_series(series, start.recurrence_id, fields, before)


def _change_in_place(
    series: Series, rule: Rule, fields: dict[str, Any], before: dict[str, Any]
) -> Series:
    """Change the series itself; its upcoming meetings follow the new rule."""
    same_days = rule.same_pattern(series.rule)
    for name, value in fields.items():
        setattr(series, name, value)
    series.save()
    _follow_schedule(series, reset_detached=not same_days)
    series.bump()
    first = series.meetings.upcoming().first()
    if first is not None:
        notify(first, "series_update", previous=before)
    return series


def _split_series(
    series: Series, cut: datetime, fields: dict[str, Any], before: dict[str, Any]
) -> Series:
    """End the series the day before `cut`; a new one takes over from there."""
    later = list(
        series.meetings.filter(recurrence_id__gte=cut).values_list("pk", flat=True)
    )
    series.until = cut.astimezone(series.tz).date() - timedelta(days=1)
    series.count = None
    series.save(update_fields=["until", "count"])
    follower = Series.objects.create(
        organisation=series.organisation,
        group=series.group,
        time_zone=series.time_zone,
        created_by=series.created_by,
        **fields,
    )
    Meeting.objects.filter(pk__in=later).update(series=follower)
    _follow_schedule(follower, reset_detached=True)
    series.bump()
    ended = series.meetings.order_by("start").last()
    if ended is not None:
        notify(ended, "series_ends")
    first = follower.meetings.upcoming().first()
    if first is not None:
        notify(first, "series_update", previous=before)
    return follower


@transaction.atomic
def cancel_series(series: Series) -> None:
    """Cancel every upcoming occurrence; those already held stay as history."""
    series.cancelled = timezone.now()
    series.save(update_fields=["cancelled"])
    upcoming = series.meetings.filter(start__gt=series.cancelled).exclude(
        status__in=[Meeting.Status.HELD, Meeting.Status.CANCELLED]
    )
    cancelled = list(upcoming.values_list("pk", flat=True))
    upcoming.update(status=Meeting.Status.CANCELLED)
    series.bump()
    first = series.meetings.order_by("start").first()
    if first is not None:
        notify(first, "cancel_series", cancelled=cancelled)


def group_people_changed(
    group: ReflectionGroup, *, added: set[int], removed: set[int]
) -> None:
    """Invite people new to a group to its upcoming meetings; tell those who left.

    One mail per calendar event: a single meeting, or a whole series.
    """
    firsts: list[Meeting] = []
    seen_series: set[int] = set()
    upcoming = Meeting.objects.filter(group=group).upcoming().order_by("start")
    for meeting in upcoming.select_related("series"):
        if (series := meeting.series) is not None:
            if series.pk in seen_series or series.cancelled:
                continue
            seen_series.add(series.pk)
        firsts.append(meeting)
    for meeting in firsts:
        if added:
            notify(meeting, "invitation", recipients=sorted(added))
        if removed:
            notify(meeting, "removed", recipients=sorted(removed))
