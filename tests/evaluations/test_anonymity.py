"""No answer can be linked to the person who gave it.

What is stored per answer is split in two: a Respondent row (who answered
which session) and an Answer with its Scores (what was answered). These tests
check the shape of the tables as much as the pages: nothing in an answer names
a person, carries a time, or sorts in the order people answered.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import models

from evaluations.models import Answer, Evaluation, Respondent, Score
from organisations.models import Membership
from privacy.personal_data import export
from tests.factories import sign_in

from .helpers import answer_all, answer_url, form_data, scores

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
    for model in (Answer, Score):
        assert not (_relations(model) & PEOPLE_MODELS), model
        assert not [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField)
        ], model


def test_neither_half_keeps_a_time_or_a_growing_key():
    for model in (Answer, Respondent, Evaluation):
        assert not [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.DateTimeField, models.TimeField))
        ], model
    for model in (Answer, Respondent):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is uuid.uuid4
    assert Score._meta.pk.field_names == ("answer_id", "item")


@pytest.mark.django_db
def test_the_rows_cannot_be_lined_up(session, people):
    evaluation = Evaluation.for_reflection(session)
    for value, person in enumerate(people[:4], start=1):
        evaluation.record_answer(person, scores=scores(value))

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

    data = export(people[1].user)

    answered = data["evaluations_answered"]
    assert [(e["group"], e["session"]) for e in answered] == [
        (session.dilemma.group.name, Evaluation.objects.get().held.isoformat())
    ]
    assert "Mitt eget svar." not in str(data)
