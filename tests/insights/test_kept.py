"""The figures kept in the cache (insights/figures/kept.py): a second view reads
none of them again, every write that changes one shows at once, a write in
another organisation leaves them in place, and Redis failing costs only time."""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import cache as guarded
from core.models import MissedCacheWrite
from dilemmas.models import Dilemma, ValueTension, Voice
from evaluations.models import Evaluation
from insights.figures import Insights
from insights.figures.kept import entry_key, figures_changed, stamp_key
from meetings.models import Meeting
from organisations.models import ReflectionGroup
from reflections.models import Action, Reflection, sign_off
from reflections.retention import erase
from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.evaluations.helpers import scores
from tests.factories import sign_in

from .helpers import (
    END,
    START,
    add_session,
    export_url,
    insights_url,
    make_town,
    raise_dilemma,
    table,
)

# The tables the figures are read from; no other page part of insights reads them.
FIGURE_TABLES = (
    "meetings_meeting",
    "dilemmas_dilemma",
    "dilemmas_valuetension",
    "dilemmas_voice",
    "reflections_reflection",
    "reflections_citation",
    "reflections_action",
    "evaluations_evaluation",
    "evaluations_score",
)
# One query per figure: attendance, dilemmas raised and discussed, voices,
# value tensions, citations, actions, the evaluations' means and the
# evaluations left out.
FIGURE_QUERIES = 8


def figure_queries(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if any(name in query["sql"] for name in FIGURE_TABLES)
    ]


@pytest.fixture
def town(org):
    town = make_town(org)
    add_session(
        town,
        town.children_group,
        datetime.date(2024, 2, 6),
        tensions=("care-autonomy",),
        action_due=datetime.date(2024, 3, 1),
        answers=5,
    )
    add_session(
        town,
        town.adults_group,
        datetime.date(2024, 3, 12),
        tensions=("needs-budget",),
        action_due=datetime.date(2024, 4, 1),
        answers=5,
    )
    return town


@pytest.fixture
def viewer(client, town):
    sign_in(client, town.top_manager)
    return client


def view(client, org, **query):
    response = client.get(insights_url(org, **query))
    assert response.status_code == 200
    return response


def counted(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, captured


def total(response, key: str, column: int) -> int:
    return sum(row[column] or 0 for row in table(response, key).rows)


def held_meeting(town) -> Meeting:
    return Meeting.objects.filter(
        group=town.children_group, status=Meeting.Status.HELD
    ).get(start__date=datetime.date(2024, 2, 6))


def signed(town) -> Reflection:
    return Reflection.objects.filter(
        dilemma__group=town.children_group, meeting=held_meeting(town)
    ).get()


# Kept.


@pytest.mark.django_db
def test_a_second_view_reads_no_figure(viewer, town):
    url = insights_url(town.org)
    # The person's memberships are kept after their first page.
    view(viewer, town.org)
    figures_changed(town.org.pk)
    first, cold = counted(viewer, url)
    second, warm = counted(viewer, url)

    assert len(figure_queries(cold)) == FIGURE_QUERIES
    assert figure_queries(warm) == []
    assert len(warm) == len(cold) - FIGURE_QUERIES

    # The same tables, word for word, from what was kept.
    def shown(response):
        return [
            (t.title, t.rows, t.summary, t.note, t.charts)
            for t in response.context["tables"]
        ]

    assert shown(second) == shown(first)
    assert total(second, "meetings", 1) == 2


@pytest.mark.django_db
def test_the_figures_are_kept_in_no_language(viewer, town):
    swedish = view(viewer, town.org).text
    assert "Hållna samtal och närvaro" in swedish
    viewer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with CaptureQueriesContext(connection) as captured:
        english = view(viewer, town.org)
    assert figure_queries(captured) == []
    # The same figures in the other language's words.
    assert "Sessions held and attendance" in english.text
    assert "Hållna samtal och närvaro" not in english.text
    assert total(english, "meetings", 1) == 2


@pytest.mark.django_db
def test_an_export_uses_the_pages_figures_and_reads_one_table_alone(viewer, town):
    view(viewer, town.org)
    response, captured = counted(viewer, export_url(town.org, "actions"))
    assert figure_queries(captured) == []
    assert "Utredning" in response.content.decode("utf-8-sig")

    cache.clear()
    response, captured = counted(viewer, export_url(town.org, "actions"))
    # Only the actions are gathered for the actions' file.
    assert len(figure_queries(captured)) == 1


@pytest.mark.django_db
def test_another_period_or_scope_is_kept_apart(viewer, town):
    view(viewer, town.org)
    narrower = view(viewer, town.org, unit=town.children.pk)
    assert total(narrower, "meetings", 1) == 1
    shorter = view(viewer, town.org, end="2024-02-29")
    assert total(shorter, "meetings", 1) == 1
    assert total(view(viewer, town.org), "meetings", 1) == 2


# Every write that changes a figure shows at once.


@pytest.mark.django_db
def test_a_meeting_held_and_its_attendance_show_at_once(viewer, town):
    before = view(viewer, town.org)
    assert total(before, "meetings", 1) == 2
    meeting = make_meeting(town.adults_group, datetime.date(2024, 5, 7))
    meeting.record_attendance([town.facilitator, *town.people[:3]])
    after = view(viewer, town.org)
    assert total(after, "meetings", 1) == 3
    present = total(after, "meetings", 2)

    meeting.record_attendance([town.facilitator])
    assert total(view(viewer, town.org), "meetings", 2) == present - 3


@pytest.mark.django_db
def test_a_meeting_deleted_shows_at_once(viewer, town):
    meeting = make_meeting(town.adults_group, datetime.date(2024, 5, 7))
    meeting.record_attendance([town.facilitator, *town.people[:3]])
    assert total(view(viewer, town.org), "meetings", 1) == 3
    Meeting.objects.filter(pk=meeting.pk).delete()
    assert total(view(viewer, town.org), "meetings", 1) == 2


@pytest.mark.django_db
def test_a_sign_off_shows_at_once(viewer, town):
    meeting = make_meeting(town.adults_group, datetime.date(2024, 5, 7))
    dilemma = make_dilemma(town.adults_group, town.people[0])
    reflection = start_reflection(meeting, dilemma, town.facilitator)
    before = view(viewer, town.org)
    assert total(before, "voices", 1) == 2
    sign_off(
        reflection=reflection,
        by=town.facilitator,
        conclusion="Vi enas.",
        person_present=Reflection.TOOK_PART[0],
    )
    after = view(viewer, town.org)
    assert total(after, "voices", 1) == 3
    assert total(after, "voices", 4) == total(before, "voices", 4) + 1
    assert total(after, "dilemmas", 2) == total(before, "dilemmas", 2) + 1


@pytest.mark.django_db
def test_a_dilemma_raised_and_its_tensions_show_at_once(viewer, town):
    child_adult = ValueTension.objects.get(organisation=town.org, key="child-adult")
    assert child_adult.title not in [
        row[0] for row in table(view(viewer, town.org), "tensions").rows
    ]
    dilemma = raise_dilemma(town, town.children_group, datetime.date(2024, 4, 10))
    after = view(viewer, town.org)
    assert total(after, "dilemmas", 1) == 3
    assert [child_adult.title, 1] in table(after, "tensions").rows

    dilemma.tensions.remove(child_adult)
    after = view(viewer, town.org)
    assert child_adult.title not in [row[0] for row in table(after, "tensions").rows]

    Dilemma.objects.filter(pk=dilemma.pk).delete()
    assert total(view(viewer, town.org), "dilemmas", 1) == 2


@pytest.mark.django_db
def test_a_value_tension_renamed_shows_at_once(viewer, town):
    view(viewer, town.org)
    tension = ValueTension.objects.get(organisation=town.org, key="needs-budget")
    tension.title = "Behoven mot kassan"
    tension.save()
    assert ["Behoven mot kassan", 1] in table(view(viewer, town.org), "tensions").rows


@pytest.mark.django_db
def test_a_voice_recorded_and_removed_shows_at_once(viewer, town):
    assert total(view(viewer, town.org), "voices", 2) == 0
    dilemma = signed(town).dilemma
    Voice.objects.create(
        dilemma=dilemma, kind=Voice.Kind.PERSON, asked=Voice.Asked.IN_PERSON
    )
    assert total(view(viewer, town.org), "voices", 2) == 1
    # As the dilemma's form removes an unanswered kind: a QuerySet delete.
    Voice.objects.filter(dilemma=dilemma, kind=Voice.Kind.PERSON).delete()
    assert total(view(viewer, town.org), "voices", 2) == 0


@pytest.mark.django_db
def test_an_action_done_shows_at_once(viewer, town):
    before = view(viewer, town.org)
    assert total(before, "actions", 2) == 0
    action = Action.objects.get(reflection=signed(town))
    action.mark_done(by=town.people[1], note="Gjort.")
    after = view(viewer, town.org)
    assert total(after, "actions", 2) == 1
    assert total(after, "actions", 3) == total(before, "actions", 3) - 1


@pytest.mark.django_db
def test_evaluation_answers_and_closing_show_at_once(viewer, town):
    reflection = add_session(
        town, town.adults_group, datetime.date(2024, 5, 7), answers=2, close=False
    )
    before = view(viewer, town.org)
    assert total(before, "evaluations", 1) == 2
    note = table(before, "evaluations").note
    evaluation = Evaluation.for_reflection(reflection)
    evaluation.record_answer(town.people[2], scores=scores(3))
    after = view(viewer, town.org)
    # One more answer: the note says how many the short session has now.
    assert table(after, "evaluations").note != note

    for person in town.people[3:5]:
        evaluation.record_answer(person, scores=scores(2))
    evaluation.close()
    after = view(viewer, town.org)
    assert total(after, "evaluations", 1) == 3
    assert total(after, "evaluations", 2) == total(before, "evaluations", 2) + 5


@pytest.mark.django_db
def test_the_organisations_minimum_shows_at_once(viewer, town):
    assert total(view(viewer, town.org), "evaluations", 1) == 2
    town.org.evaluation_minimum = 6
    town.org.save()
    assert total(view(viewer, town.org), "evaluations", 1) == 0


@pytest.mark.django_db
def test_a_group_moved_to_another_unit_shows_at_once(viewer, town):
    def units(response):
        return [row[0] for row in table(response, "actions").rows]

    assert units(view(viewer, town.org)) == ["Beroende", "Utredning"]
    group = ReflectionGroup.objects.get(pk=town.children_group.pk)
    group.unit = town.addiction
    group.save()
    after = view(viewer, town.org)
    assert units(after) == ["Beroende"]
    assert table(after, "actions").rows[0][1] == 2


@pytest.mark.django_db
def test_a_unit_renamed_shows_at_once(viewer, town):
    view(viewer, town.org)
    town.addiction.name = "Missbruk och beroende"
    town.addiction.save()
    rows = table(view(viewer, town.org), "actions").rows
    assert [row[0] for row in rows] == ["Missbruk och beroende", "Utredning"]


@pytest.mark.django_db
def test_an_erasure_retires_the_kept_figures(viewer, town):
    view(viewer, town.org)
    erase(signed(town).dilemma, now=datetime.datetime.now(datetime.UTC))
    response, captured = counted(viewer, insights_url(town.org))
    assert len(figure_queries(captured)) == FIGURE_QUERIES
    # Whether the person was asked stays, and so do the counts.
    assert total(response, "voices", 1) == 2


# Kept per organisation.


@pytest.mark.django_db
def test_a_write_in_another_organisation_leaves_these_figures_kept(
    viewer, town, other_org
):
    other = make_town(other_org)
    view(viewer, town.org)
    stamp = cache.get(stamp_key(town.org.pk))

    add_session(other, other.children_group, datetime.date(2024, 2, 6), answers=5)
    Meeting.objects.filter(organisation=other_org).first().save()

    assert cache.get(stamp_key(town.org.pk)) == stamp
    response, captured = counted(viewer, insights_url(town.org))
    assert figure_queries(captured) == []
    assert total(response, "meetings", 1) == 2


@pytest.mark.django_db
def test_one_organisations_figures_are_never_shown_to_another(
    client, viewer, town, other_org
):
    other = make_town(other_org)
    add_session(other, other.children_group, datetime.date(2024, 2, 6), answers=5)
    assert total(view(viewer, town.org), "meetings", 1) == 2

    theirs = Client()
    sign_in(theirs, other.top_manager)
    response = view(theirs, other_org)
    assert total(response, "meetings", 1) == 1
    assert total(view(viewer, town.org), "meetings", 1) == 2
    # The organisation's id leads every key.
    period = Insights(organisation=town.org, units=[town.top], start=START, end=END)
    assert entry_key(period, "meetings").startswith(f"insights:figures:{town.org.pk}:")


@pytest.mark.django_db
def test_nothing_is_kept_with_a_cache_of_each_process(viewer, town, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    view(viewer, town.org)
    response, captured = counted(viewer, insights_url(town.org))
    assert len(figure_queries(captured)) == FIGURE_QUERIES
    assert total(response, "meetings", 1) == 2


# Redis away.


@pytest.mark.django_db(transaction=True)
def test_the_page_and_every_write_work_while_redis_is_down_and_nothing_stale_after(
    org, redis_cache, redis_server
):
    town = make_town(org)
    add_session(town, town.children_group, datetime.date(2024, 2, 6), answers=5)
    client = Client()
    sign_in(client, town.top_manager)
    assert total(view(client, org), "meetings", 1) == 1
    assert redis_server.keys(f":1:insights:figures:{org.pk}:*")

    redis_server.stop()
    # Pages from the database, and writes as ever.
    response, captured = counted(client, insights_url(org))
    assert len(figure_queries(captured)) == FIGURE_QUERIES
    assert total(response, "meetings", 1) == 1
    add_session(town, town.adults_group, datetime.date(2024, 3, 12), answers=5)
    assert total(view(client, org), "meetings", 1) == 2
    assert MissedCacheWrite.objects.filter(key=f":1:{stamp_key(org.pk)}").exists()

    redis_server.start()
    # What Redis held before is back, the figures of one session included.
    assert redis_server.keys(f":1:insights:figures:{org.pk}:*")
    time.sleep(guarded.RETRY_SECONDS + 0.05)
    assert total(view(client, org), "meetings", 1) == 2
    # And kept again.
    response, captured = counted(client, insights_url(org))
    assert figure_queries(captured) == []
    assert total(response, "meetings", 1) == 2
