"""No answer can be linked to the person who gave it.

What is stored per answer is split in two: a Respondent row (who answered
which session), and the answer: sealed while the evaluation is open, an Answer
with its Scores once it has closed. These tests check the shape of the tables
as much as the pages: nothing in an answer names a person, carries a time, or
sorts in the order people answered; and nothing readable reaches the database
before the close. test_storage.py reads PostgreSQL's own row headers.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from evaluations.models import Answer, Evaluation, Respondent, Score, SealedAnswer
from organisations.models import Membership
from privacy.personal_data import export
from tests.factories import sign_in

from .helpers import answer_all, answer_url, close, form_data, scores

PEOPLE_MODELS = {Membership, Membership._meta.get_field("user").related_model}


def _relations(model) -> set:
    """Every model `model` reaches through its own fields, transitively."""
    seen, todo = set(), [model]
    while todo:
        current = todo.pop()
        for field in current._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model:
                target = field.related_model
                if target not in seen:
                    seen.add(target)
                    # Stop at the session: reaching the group's people from
                    # there says who could have answered, not who did.
                    if target not in {Evaluation}:
                        todo.append(target)
    return seen


def test_answers_and_scores_have_no_field_that_leads_to_a_person():
    for model in (Answer, Score, SealedAnswer):
        assert not (_relations(model) & PEOPLE_MODELS), model
        assert not [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField)
        ], model


def test_neither_half_keeps_a_time_or_a_growing_key():
    for model in (Answer, Respondent, Evaluation, SealedAnswer):
        assert not [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.DateTimeField, models.TimeField))
        ], model
    for model in (Answer, Respondent, SealedAnswer):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is uuid.uuid4
    assert Score._meta.pk.field_names == ("answer_id", "item")
    # The sealed answer holds its evaluation and the sealed bytes, nothing else.
    assert {f.name for f in SealedAnswer._meta.concrete_fields} == {
        "id",
        "evaluation",
        "sealed",
    }


@pytest.mark.django_db
def test_the_rows_cannot_be_lined_up(session, people):
    evaluation = Evaluation.for_reflection(session)
    for value, person in enumerate(people[:5], start=1):
        evaluation.record_answer(person, scores=scores(min(value, 4)))
    close(session)

    answers = list(Answer.objects.filter(evaluation=evaluation))
    respondents = list(Respondent.objects.filter(evaluation=evaluation))

    # Random version-4 keys, listed by key: no order of answering to match.
    assert all(a.pk.version == 4 for a in answers)
    assert [a.pk for a in answers] == sorted(a.pk for a in answers)
    assert [r.membership_id for r in respondents] == sorted(
        r.membership_id for r in respondents
    )
    # The only date is the session's, the same on every answer.
    assert Evaluation.objects.get().held == evaluation.held


@pytest.mark.django_db
def test_a_person_can_see_that_they_answered_but_not_what(client, session, people):
    sign_in(client, people[1])
    client.post(answer_url(session), form_data(1, comment="Mitt eget svar."))
    answer_all(session, people[2:6], value=4)
    close(session)

    data = export(people[1].user)

    answered = data["evaluations_answered"]
    assert [(e["group"], e["session"]) for e in answered] == [
        (session.dilemma.group.name, Evaluation.objects.get().held.isoformat())
    ]
    assert "Mitt eget svar." not in str(data)


@pytest.mark.django_db
def test_nothing_readable_reaches_the_database_while_open(client, session, people):
    """Every statement sent while answering, with its values: no comment, no score.

    So neither the write-ahead log, nor a replica, nor a backup, nor the dead
    rows vacuum leaves behind can hold the answer in the open.
    """
    comment = "Ett alldeles eget och igenkännbart omdöme om samtalet."
    sign_in(client, people[1])

    with CaptureQueriesContext(connection) as queries:
        response = client.post(answer_url(session), form_data(1, comment=comment))

    assert response.status_code == 302
    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    tables = {
        table
        for sql in writes
        for table in ("respondent", "sealedanswer", "evaluation", "answer", "score")
        if f'"evaluations_{table}"' in sql
    }
    assert tables == {"evaluation", "respondent", "sealedanswer"}
    for q in queries.captured_queries:
        assert comment not in q["sql"]
        assert "omdöme" not in q["sql"]
    sealed = bytes(SealedAnswer.objects.get().sealed)
    assert comment.encode() not in sealed
    assert b"see-what-is-at-stake" not in sealed
    # Released, the comment is there: the test above could have failed.
    answer_all(session, people[2:6])
    with CaptureQueriesContext(connection) as queries:
        close(session)
    assert any(comment in q["sql"] for q in queries.captured_queries)
