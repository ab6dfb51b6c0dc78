"""The answers given before sealing came in are carried over, none lost."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from evaluations.models import Answer, Evaluation, Respondent, Score, SealedAnswer
from evaluations.questionnaire import ITEMS

from .helpers import close, held_session

BEFORE = [("evaluations", "0001_evaluations")]
AFTER = [("evaluations", "0002_sealed_answers")]


def _answer_the_old_way(apps, reflection, people, comments):
    """As the release before wrote them: respondent and answer side by side."""
    OldEvaluation = apps.get_model("evaluations", "Evaluation")
    OldRespondent = apps.get_model("evaluations", "Respondent")
    OldAnswer = apps.get_model("evaluations", "Answer")
    OldScore = apps.get_model("evaluations", "Score")
    evaluation = OldEvaluation.objects.create(
        organisation_id=reflection.organisation_id,
        reflection_id=reflection.pk,
        held=timezone.localdate(reflection.meeting.start),
    )
    given = {}
    for n, (person, comment) in enumerate(zip(people, comments, strict=True)):
        OldRespondent.objects.create(evaluation=evaluation, membership_id=person.pk)
        answer = OldAnswer.objects.create(
            id=uuid.uuid4(), evaluation=evaluation, comment=comment
        )
        values = {item.key: 1 + (n + i) % 4 for i, item in enumerate(ITEMS)}
        for item in ITEMS:
            OldScore.objects.create(
                answer=answer,
                item=item.key,
                domain=item.domain,
                value=values[item.key],
            )
        given[answer.id] = (comment, values)
    return given


def _as_set(answers: dict) -> list:
    """The answers without their keys, which the close gives anew."""
    return sorted((c, sorted(values.items())) for c, values in answers.values())


def _stored(reflection) -> dict:
    return {
        a.id: (a.comment, dict(a.scores.values_list("item", "value")))
        for a in Answer.objects.filter(evaluation__reflection=reflection)
    }


@pytest.mark.django_db(transaction=True)
def test_open_evaluations_are_sealed_and_closed_ones_kept(
    org, unit, facilitator, people
):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60)):
        closed = held_session(org, unit, facilitator, people, title="Förr")
    still_open = held_session(
        org, unit, facilitator, people, group=closed.dilemma.group, title="Nu"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    old_closed = _answer_the_old_way(
        apps, closed, people[:5], ["Förr 1", "", "Förr 3", "", ""]
    )
    old_open = _answer_the_old_way(
        apps, still_open, people[:5], ["Nu 1", "", "", "Nu 4", ""]
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    states = dict(Evaluation.objects.values_list("reflection", "state"))
    assert states == {
        closed.pk: Evaluation.State.RELEASED,
        still_open.pk: Evaluation.State.OPEN,
    }
    # The closed evaluation keeps every answer, key and score as it was.
    assert _stored(closed) == old_closed
    # The open one keeps working: its answers sealed, released at the close.
    assert _stored(still_open) == {}
    assert SealedAnswer.objects.filter(evaluation__reflection=still_open).count() == 5
    assert Respondent.objects.count() == 10
    assert close(still_open) == Evaluation.State.RELEASED
    assert _as_set(_stored(still_open)) == _as_set(old_open)
    assert Score.objects.count() == 10 * len(ITEMS)
    if connection.vendor == "postgresql":
        # Written again, together: no answer keeps its old transaction id.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT a.xmin::text) FROM evaluations_answer a "
                "JOIN evaluations_evaluation e ON e.id = a.evaluation_id "
                "WHERE e.reflection_id = %s",
                [closed.pk],
            )
            assert cursor.fetchone()[0] == 1
            cursor.execute(
                "SELECT count(*) FROM evaluations_answer a "
                "JOIN evaluations_respondent r ON r.xmin = a.xmin"
            )
            assert cursor.fetchone()[0] == 0
