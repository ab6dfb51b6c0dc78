"""The retention rule erases case texts when their period has run out.

The clock is frozen (time-machine): the case is raised and discussed in 2023,
the rule runs in 2026 with the organisation's period of one year.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from dilemmas.models import Dilemma, GuardOverride
from reflections.models import (
    Action,
    Amendment,
    Citation,
    LockedReflectionError,
    Option,
    Perspective,
    Position,
    Reflection,
    ReflectionStep,
    StepKind,
    sign_off,
)
from reflections.retention import apply_retention
from tests.factories import sign_in
from tests.translations import tr

from .helpers import make_dilemma, make_meeting, start_reflection

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
RAISED = datetime.datetime(2023, 3, 1, 9, tzinfo=STOCKHOLM)
SIGNED = datetime.datetime(2023, 3, 8, 15, tzinfo=STOCKHOLM)
LATER = datetime.datetime(2026, 3, 9, 3, tzinfo=STOCKHOLM)
CASE_TEXTS = [
    "Hemtjänst mot brukarens vilja",
    "En äldre man tackar nej",
    "Ska vi respektera nejet",
    "Fråga igen i morgon",
    "Brukaren själv",
    "Vi ska lyssna",
    "Min ståndpunkt är A",
    "Vi väljer att fråga igen.",
    "Prata med sjuksköterskan",
    "Tillägg efteråt",
    "Namnet var en gata",
]


@pytest.fixture
def org_one_year(org):
    org.retention_days = 365
    org.save()
    return org


@pytest.fixture
def old_case(org_one_year, group, member, facilitator):
    """A dilemma raised and signed off in 2023, with every kind of text."""
    with time_machine.travel(RAISED, tick=False):
        dilemma = make_dilemma(
            group,
            member,
            title="Hemtjänst mot brukarens vilja",
            description="En äldre man tackar nej till hjälp.",
            question="Ska vi respektera nejet?",
        )
        dilemma.tensions.set(Dilemma.objects.none())
        meeting = make_meeting(group, RAISED.date() + datetime.timedelta(days=7))
        reflection = start_reflection(meeting, dilemma, facilitator)
        reflection.steps.filter(position=1).update(notes="Fakta: Vi ska lyssna.")
        options = reflection.steps.get(kind=StepKind.OPTIONS)
        Option.objects.create(step=options, text="Fråga igen i morgon")
        perspectives = reflection.steps.get(kind=StepKind.PERSPECTIVES)
        Perspective.objects.create(
            step=perspectives, party="Brukaren själv", norms="Vi ska lyssna"
        )
        positions = reflection.steps.get(kind=StepKind.POSITIONS)
        Position.objects.create(
            step=positions, membership=member, body="Min ståndpunkt är A"
        )
        Action.objects.create(
            organisation=org_one_year,
            reflection=reflection,
            text="Prata med sjuksköterskan",
            owner=member,
            due=datetime.date(2023, 4, 1),
        )
        GuardOverride.objects.create(
            organisation=org_one_year,
            membership=member,
            kind="dilemma",
            object_uuid=dilemma.uuid,
            identifier_kinds=["street_address"],
            fields=["description"],
            reason="Namnet var en gata",
        )
    with time_machine.travel(SIGNED, tick=False):
        reflection = sign_off(
            reflection=reflection,
            by=facilitator,
            conclusion="Vi väljer att fråga igen.",
        )
        Amendment.objects.create(
            reflection=reflection, author=facilitator, body="Tillägg efteråt"
        )
    return dilemma, reflection


def all_text_of(dilemma: Dilemma) -> str:
    reflections = Reflection.objects.filter(dilemma=dilemma)
    steps = ReflectionStep.objects.filter(reflection__in=reflections)
    parts = [
        *Dilemma.objects.filter(pk=dilemma.pk).values_list(
            "title", "description", "question"
        ),
        *reflections.values_list("conclusion"),
        *steps.values_list("notes"),
        *Option.objects.filter(step__in=steps).values_list("text"),
        *Perspective.objects.filter(step__in=steps).values_list("party", "norms"),
        *Position.objects.filter(step__in=steps).values_list("body"),
        *Amendment.objects.filter(reflection__in=reflections).values_list("body"),
        *Action.objects.filter(reflection__in=reflections).values_list(
            "text", "done_note"
        ),
        *GuardOverride.objects.values_list("reason"),
    ]
    return " ".join(" ".join(row) for row in parts)


def test_nothing_is_erased_before_the_period_has_run_out(old_case):
    dilemma, _reflection = old_case
    with time_machine.travel(SIGNED + datetime.timedelta(days=364), tick=False):
        report = apply_retention()
    assert report.total == 0
    assert all(text in all_text_of(dilemma) for text in CASE_TEXTS)


def test_the_period_counts_from_the_last_work_on_the_case(old_case, member):
    dilemma, reflection = old_case
    # The action followed up half a year later moves the clock on.
    follow_up = SIGNED + datetime.timedelta(days=180)
    with time_machine.travel(follow_up, tick=False):
        reflection.actions.get().mark_done(by=member, note="Gjort")
    with time_machine.travel(SIGNED + datetime.timedelta(days=400), tick=False):
        assert apply_retention().total == 0
    with time_machine.travel(follow_up + datetime.timedelta(days=366), tick=False):
        assert apply_retention().total == 1


def test_erasure_blanks_every_text_and_keeps_what_is_learnt(old_case, member):
    dilemma, reflection = old_case
    steps_before = list(reflection.steps.values_list("title", "kind"))

    with time_machine.travel(LATER, tick=False):
        dry = apply_retention(dry_run=True)
        assert (dry.dilemmas, dry.reflections) == ({"norrby": 1}, {"norrby": 1})
        assert all(text in all_text_of(dilemma) for text in CASE_TEXTS)

        report = apply_retention()

    assert (report.dilemmas, report.reflections) == ({"norrby": 1}, {"norrby": 1})
    text = all_text_of(dilemma)
    assert not any(case_text in text for case_text in CASE_TEXTS), text
    dilemma.refresh_from_db()
    reflection.refresh_from_db()
    assert dilemma.erased == reflection.erased == LATER
    # Dates, status, method, steps, people and counts are kept.
    assert dilemma.created == RAISED and dilemma.status == "discussed"
    assert reflection.is_signed_off and reflection.signed_off == SIGNED
    assert list(reflection.steps.values_list("title", "kind")) == steps_before
    positions = Position.objects.filter(step__reflection=reflection)
    assert list(positions.values_list("membership", flat=True)) == [member.pk]
    action = reflection.actions.get()
    assert (action.owner, action.due) == (member, datetime.date(2023, 4, 1))
    # One audit row per erased record, by the rule, without text.
    rows = AuditEvent.objects.filter(action="erase")
    assert sorted(rows.values_list("object_kind", flat=True)) == [
        "dilemma",
        "reflection",
    ]
    assert set(rows.values_list("via", "at")) == {("system", LATER)}

    # Running it again erases nothing twice.
    with time_machine.travel(LATER + datetime.timedelta(days=1), tick=False):
        assert apply_retention().total == 0


def test_the_signed_off_record_stays_fixed_after_erasure(old_case):
    _dilemma, reflection = old_case
    with time_machine.travel(LATER, tick=False):
        apply_retention()
    reflection.refresh_from_db()
    with pytest.raises(LockedReflectionError):
        reflection.save()
    with pytest.raises(LockedReflectionError):
        Option.objects.filter(step__reflection=reflection).update(text="ny")
    if connection.vendor == "postgresql":
        # Without the erasure's own setting, the database still refuses.
        with (
            pytest.raises(Exception, match="signed off"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE reflections_reflection SET conclusion = 'x' WHERE id = %s",
                [reflection.pk],
            )


def test_what_a_reader_sees_afterwards(client, old_case, member):
    dilemma, reflection = old_case
    with time_machine.travel(LATER, tick=False):
        apply_retention()
    sign_in(client, member)

    pages = [
        reverse(
            "dilemmas:detail", kwargs={"org": "norrby", "dilemma_uuid": dilemma.uuid}
        ),
        reverse(
            "reflections:detail",
            kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
        ),
        reverse(
            "reflections:log",
            kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
        ),
        reverse("dilemmas:list", kwargs={"org": "norrby"}) + "?closed=1",
    ]
    notice = tr(
        "sv",
        "The texts were erased on %(date)s under the retention rule. Dates, "
        "value tensions and cited values are kept.",
    )
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert not any(text in response.text for text in CASE_TEXTS), page
        assert tr("sv", "Erased dilemma") in response.text, page
    detail = client.get(pages[0]).text
    assert notice.split("%(date)s")[0] in detail
    assert "9 mars 2026" in detail


def test_the_command_says_what_it_would_erase(old_case, capsys):
    dilemma, _reflection = old_case
    with time_machine.travel(LATER, tick=False):
        call_command("apply_retention", "--dry-run")
        assert "norrby: Would erase 1 dilemma(s) and 1 reflection(s)." in (
            capsys.readouterr().out
        )
        assert dilemma.title in all_text_of(dilemma)
        call_command("apply_retention")
        assert "norrby: Erased 1 dilemma(s)" in capsys.readouterr().out
    assert "Hemtjänst" not in all_text_of(dilemma)


def test_cited_values_and_tensions_are_kept(org_one_year, group, member, facilitator):
    from dilemmas.models import ValueTension
    from tests.values.helpers import adopt, fill, make_base, make_draft

    with time_machine.travel(RAISED, tick=False):
        version = make_draft(make_base(org_one_year))
        items = fill(version)
        adopt(version, datetime.date(2023, 1, 1))
        dilemma = make_dilemma(group, member)
        tension = ValueTension.objects.seeded_for(org_one_year).first()
        dilemma.tensions.set([tension])
        meeting = make_meeting(group, RAISED.date())
        reflection = start_reflection(meeting, dilemma, facilitator)
        version.refresh_from_db()
        reflection.cite(values=[items["dignity"]], guidelines=[items["guideline"]])
        sign_off(reflection=reflection, by=facilitator, conclusion="Klart.")

    with time_machine.travel(LATER, tick=False):
        assert apply_retention().total == 1

    cited = Citation.objects.filter(reflection=reflection)
    assert set(cited.values_list("value", "guideline")) == {
        (items["dignity"].pk, None),
        (None, items["guideline"].pk),
    }
    assert list(dilemma.tensions.all()) == [tension]


def test_every_run_is_written_and_names_outlive_the_texts(
    client, old_case, member, other_org
):
    dilemma, reflection = old_case
    sign_in(client, member)
    client.get(
        reverse(
            "dilemmas:detail", kwargs={"org": "norrby", "dilemma_uuid": dilemma.uuid}
        )
    )
    reading = AuditEvent.objects.get(action="read")
    with time_machine.travel(LATER, tick=False):
        call_command("apply_retention")
        call_command("apply_retention")

    runs = AuditEvent.objects.filter(action="retention_run").order_by("pk")
    # One row per organisation and run, also when nothing was due.
    assert [(row.organisation_id, row.via) for row in runs] == [
        (dilemma.organisation_id, "system"),
        (other_org.pk, "system"),
        (dilemma.organisation_id, "system"),
        (other_org.pk, "system"),
    ]
    first, second = runs[0], runs[2]
    assert first.person == tr("sv", "The retention rule")
    assert first.object_name == tr("sv", "Retention rule")
    assert first.detail == run_summary(dilemmas=1, reflections=1, days=365)
    assert second.detail == run_summary(dilemmas=0, reflections=0, days=365)
    # The rows name the case by its group and day, never by its title, so the
    # names say the same after the texts are gone.
    assert reading.object_name == tr("sv", "Dilemma raised in %(group)s on %(day)s") % {
        "group": "Etikgruppen",
        "day": "1 mars 2023",
    }
    erased = AuditEvent.objects.filter(action="erase").order_by("seq")
    assert [row.object_name for row in erased] == [
        reading.object_name,
        tr("sv", "Reflection in %(group)s on %(day)s")
        % {"group": "Etikgruppen", "day": "8 mars 2023"},
    ]
    assert not any(
        text in row.object_name + row.detail
        for row in AuditEvent.objects.all()
        for text in CASE_TEXTS
    )


def run_summary(*, dilemmas: int, reflections: int, days: int) -> str:
    with translation.override("sv"):
        return translation.gettext(
            "%(dilemmas)s and %(reflections)s erased; texts are kept %(days)d days "
            "after the case was last worked on"
        ) % {
            "dilemmas": translation.ngettext("%d dilemma", "%d dilemmas", dilemmas)
            % dilemmas,
            "reflections": translation.ngettext(
                "%d reflection", "%d reflections", reflections
            )
            % reflections,
            "days": days,
        }
