"""The retention rule: case texts are erased when their period has passed.

Each organisation keeps dilemma and reflection texts for `retention_days`
after the case was last worked on: the latest of the dilemma's last change,
its reflections' opening and sign-off, their amendments and their actions'
follow-up. Then every text a person typed about the case is blanked: the
dilemma's title, description and question; the voices' reasons and own
words; each reflection's conclusion, step notes, options, perspectives,
positions, amendments, action texts and the easy-read summary for the person;
and the reasons given for saving past the identifier guard. What stays is
what the organisation learns from: dates, statuses, value tensions, the method
and its steps, cited values and guidelines, who took part and how many,
actions' owners and dates. Pages show "erased on <date> under the retention
rule" where the texts were.

Signed-off reflections never change, with this one exception: the erasure
runs in a transaction that tells the database guards so
(`SET LOCAL etikrum.retention_erasure = 'on'`, see migration 0004), it only
ever blanks texts, and it is written to the audit log, one row per dilemma and
per reflection.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.models import Action as AuditAction
from audit.models import AuditEvent, Via
from audit.models import Kind as AuditKind
from dilemmas.models import Dilemma, GuardOverride, Voice
from organisations.models import Organisation

from .models import (
    Action,
    Amendment,
    EasyRead,
    Option,
    Perspective,
    Position,
    Reflection,
    ReflectionStep,
)
from .signals import texts_erased

# The "person" of what the rule does, in each organisation's language.
RULE = gettext_lazy("The retention rule")


@dataclass
class Report:
    """What one run erased (or, in a dry run, would erase), per organisation."""

    now: datetime.datetime
    dry_run: bool
    dilemmas: dict[str, int] = field(default_factory=dict)
    reflections: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.dilemmas.values())


def _latest(queryset: models.QuerySet[models.Model], column: str) -> Subquery:
    return Subquery(
        queryset.order_by()
        .values("dilemma")
        .annotate(latest=Max(column))
        .values("latest")[:1],
        output_field=models.DateTimeField(),
    )


def due(organisation: Organisation, now: datetime.datetime) -> models.QuerySet[Dilemma]:
    """Dilemmas of the organisation whose retention period has run out."""
    cutoff = now - datetime.timedelta(days=organisation.retention_days)
    reflections = Reflection.objects.filter(dilemma=OuterRef("pk"))
    amendments = Amendment.objects.filter(reflection__dilemma=OuterRef("pk")).annotate(
        dilemma=F("reflection__dilemma")
    )
    actions = Action.objects.filter(reflection__dilemma=OuterRef("pk")).annotate(
        dilemma=F("reflection__dilemma")
    )
    changed = F("changed")
    return (
        Dilemma.objects.filter(organisation=organisation, erased__isnull=True)
        .annotate(
            last_worked_on=Greatest(
                changed,
                Coalesce(_latest(reflections, "created"), changed),
                Coalesce(_latest(reflections, "signed_off"), changed),
                Coalesce(_latest(amendments, "created"), changed),
                Coalesce(_latest(actions, "done"), changed),
            )
        )
        .filter(last_worked_on__lt=cutoff)
        .order_by("pk")
    )


@contextlib.contextmanager
def _erasure_allowed() -> Iterator[None]:
    """Inside a transaction: the database guards let this erasure through."""
    # SET LOCAL ends with the transaction (or with the savepoint, if it is
    # rolled back); switching it off again keeps an enclosing transaction,
    # such as a test's, guarded for whatever comes next.
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL etikrum.retention_erasure = 'on'")
    yield
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL etikrum.retention_erasure = 'off'")


def _blank(queryset: models.QuerySet[models.Model], **values: object) -> int:
    # Plain QuerySet.update: the locked QuerySets refuse signed-off rows, and
    # this is the one recorded exception.
    return models.QuerySet.update(queryset, **values)


@transaction.atomic
def erase(dilemma: Dilemma, *, now: datetime.datetime) -> int:
    """Blank every text of the dilemma and its reflections; returns reflections."""
    reflections = Reflection.objects.filter(dilemma=dilemma)
    steps = ReflectionStep.objects.filter(reflection__in=reflections)
    uuids = [dilemma.uuid, *reflections.values_list("uuid", flat=True)]
    uuids += Action.objects.filter(reflection__in=reflections).values_list(
        "uuid", flat=True
    )
    with _erasure_allowed():
        _blank(steps, notes="")
        _blank(Option.objects.filter(step__in=steps), text="")
        _blank(Perspective.objects.filter(step__in=steps), party="", norms="")
        _blank(Position.objects.filter(step__in=steps), body="")
        _blank(Amendment.objects.filter(reflection__in=reflections), body="")
        _blank(
            EasyRead.objects.filter(reflection__in=reflections),
            talked_about="",
            will_do="",
            contact="",
        )
        _blank(Action.objects.filter(reflection__in=reflections), text="", done_note="")
        erased_reflections = list(reflections.select_related("dilemma__group__unit"))
        _blank(reflections, conclusion="", erased=now)
        _blank(GuardOverride.objects.filter(object_uuid__in=uuids), reason="")
        # Whether and how each was asked stays, for the figures; their words go.
        _blank(Voice.objects.filter(dilemma=dilemma), why_not="", wishes="")
        _blank(
            Dilemma.objects.filter(pk=dilemma.pk),
            title="",
            description="",
            question="",
            erased=now,
        )
    texts_erased.send(sender=Reflection, reflections=erased_reflections)
    for obj in [dilemma, *erased_reflections]:
        AuditEvent.record(
            action=AuditAction.ERASE,
            obj=obj,
            via=Via.SYSTEM,
            person=RULE,
        )
    return len(erased_reflections)


def apply_retention(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> Report:
    now = now or timezone.now()
    report = Report(now=now, dry_run=dry_run)
    for organisation in Organisation.objects.order_by("slug"):
        dilemmas = list(due(organisation, now).select_related("group__unit"))
        if dry_run:
            if dilemmas:
                report.dilemmas[organisation.slug] = len(dilemmas)
                report.reflections[organisation.slug] = Reflection.objects.filter(
                    dilemma__in=dilemmas
                ).count()
            continue
        reflections = sum(erase(dilemma, now=now) for dilemma in dilemmas)
        if dilemmas:
            report.dilemmas[organisation.slug] = len(dilemmas)
            report.reflections[organisation.slug] = reflections
        # Every run, also one that erased nothing: the log shows that the rule
        # is applied, day by day.
        AuditEvent.record(
            action=AuditAction.RETENTION_RUN,
            object_kind=AuditKind.RETENTION,
            object_name=gettext_lazy("Retention rule"),
            organisation=organisation,
            via=Via.SYSTEM,
            person=RULE,
            detail=_run_summary(organisation, len(dilemmas), reflections),
        )
    return report


def _run_summary(
    organisation: Organisation, dilemmas: int, reflections: int
) -> Callable[[], str]:
    def summary() -> str:
        return _(
            "%(dilemmas)s and %(reflections)s erased; texts are kept %(days)d days "
            "after the case was last worked on"
        ) % {
            "dilemmas": ngettext("%d dilemma", "%d dilemmas", dilemmas) % dilemmas,
            "reflections": ngettext("%d reflection", "%d reflections", reflections)
            % reflections,
            "days": organisation.retention_days,
        }

    return summary
