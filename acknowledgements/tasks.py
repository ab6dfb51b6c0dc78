"""Background work: the e-mail on a version's first day, and reminders.

`announce_due` finds the versions that took effect in the last few days (on
each organisation's own day) and mails every active member what changed for
them. Each mail is recorded (Notice) in the transaction that sends it, under a
unique constraint, so running it every few minutes, on two workers at once or
again after a failure sends nobody the same mail twice; a mail that failed
leaves no record and goes with the next run.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from organisations.models import Membership
from values.compare import Comparison, compare_versions
from values.models import Version

from . import mail
from .changes import ANNOUNCED_FOR_DAYS, for_audiences, previous_of
from .models import Notice

logger = logging.getLogger(__name__)


@dataclass
class Report:
    sent: int = 0
    failed: int = 0


def _local_day(version: Version, now: datetime.datetime) -> datetime.date:
    zone = ZoneInfo(version.value_base.organisation.time_zone)
    return now.astimezone(zone).date()


def due_versions(now: datetime.datetime) -> list[Version]:
    """Versions in force on their organisation's day, first in force lately."""
    # A day's margin either side: organisations' days differ from UTC's.
    margin = datetime.timedelta(days=1)
    candidates = (
        Version.objects.adopted()
        .filter(
            effective_from__gte=now.date()
            - datetime.timedelta(days=ANNOUNCED_FOR_DAYS)
            - margin,
            effective_from__lte=now.date() + margin,
        )
        .select_related("value_base__organisation")
    )
    due = []
    for version in candidates:
        today = _local_day(version, now)
        recent = today - datetime.timedelta(days=ANNOUNCED_FOR_DAYS)
        first = version.effective_from
        if first is not None and first >= recent and version.is_in_force_on(today):
            due.append(version)
    return due


def send_announcement(
    version: Version, person: Membership, comparison: Callable[[], Comparison]
) -> bool:
    """Mail one member what changed for them, once. True if this call sent it."""
    with transaction.atomic():
        _notice, created = Notice.objects.get_or_create(
            version=version,
            membership=person,
            kind=Notice.Kind.ANNOUNCEMENT,
            defaults={"day": version.effective_from or timezone.localdate()},
        )
        if not created:
            return False
        # An error here rolls the record back, and the next run tries again.
        changes = for_audiences(comparison(), (a.pk for a in person.audiences.all()))
        mail.send(person, "announcement", mail.announcement_context(changes))
    return True


def announce(version: Version) -> Report:
    report = Report()
    previous = previous_of(version)
    if previous is None:
        return report
    # The comparison names what changed ("Description", "Guideline") in the
    # language it is made in: once for each language the members read.
    made: dict[str, Comparison] = {}

    def comparison_in(language: str) -> Comparison:
        if language not in made:
            with translation.override(language):
                made[language] = compare_versions(previous, version)
        return made[language]

    announced = Notice.objects.filter(
        version=version, kind=Notice.Kind.ANNOUNCEMENT
    ).values("membership_id")
    people = (
        Membership.objects.active()
        .filter(organisation_id=version.value_base.organisation_id)
        .exclude(pk__in=announced)
        .select_related("user", "organisation")
        .prefetch_related("audiences")
        .order_by("pk")
    )
    for person in people:
        try:
            report.sent += send_announcement(
                version, person, partial(comparison_in, mail.language(person))
            )
        except Exception as error:
            # One bad address must not hold up the rest. Only the error's
            # type is logged: SMTP messages can carry addresses.
            logger.error(
                "The announcement of version %s to member %s failed: %s",
                version.pk,
                person.pk,
                type(error).__name__,
            )
            report.failed += 1
    return report


def announce_due(now: datetime.datetime | None = None) -> Report:
    total = Report()
    for version in due_versions(now or timezone.now()):
        report = announce(version)
        total.sent += report.sent
        total.failed += report.failed
    if total.sent:
        logger.info("Sent %s value-base announcements", total.sent)
    return total


@task
def announce_due_task() -> int:
    """For the task worker; a failure makes the worker run it again."""
    report = announce_due()
    if report.failed:
        raise RuntimeError(f"{report.failed} announcement(s) failed; see the log.")
    return report.sent


def send_reminder(version: Version, person: Membership, day: datetime.date) -> bool:
    """One reminder to confirm, at most one a day. True if this call sent it."""
    with transaction.atomic():
        _notice, created = Notice.objects.get_or_create(
            version=version, membership=person, kind=Notice.Kind.REMINDER, day=day
        )
        if not created:
            return False
        mail.send(
            person,
            "reminder",
            {
                "version": version,
                "value_base": version.value_base,
                "url": mail.link("acknowledgements:changes", version),
            },
        )
    return True


@task
def send_reminders(version_id: int, membership_ids: list[int], day: str) -> int:
    """Remind these members to confirm; run again, it reminds only the rest."""
    version = Version.objects.select_related("value_base__organisation").get(
        pk=version_id
    )
    people = (
        Membership.objects.active()
        .filter(organisation_id=version.value_base.organisation_id)
        .filter(pk__in=membership_ids)
        .exclude(acknowledgements__version=version)
        .select_related("user", "organisation")
    )
    sent = failed = 0
    for person in people:
        try:
            sent += send_reminder(version, person, datetime.date.fromisoformat(day))
        except Exception as error:
            logger.error(
                "A reminder for version %s to member %s failed: %s",
                version.pk,
                person.pk,
                type(error).__name__,
            )
            failed += 1
    if failed:
        raise RuntimeError(f"{failed} reminder(s) failed; see the log.")
    return sent
