"""Closing an evaluation: its time runs out, or those who lead the group close it."""

from __future__ import annotations

import datetime
import logging
import random

import pytest
import time_machine
from django.core.management import CommandError, call_command

from evaluations.models import Answer, Evaluation, Respondent, Score, SealedAnswer
from evaluations.sealing import open_sealed
from evaluations.tasks import close_due_evaluations, close_due_evaluations_task
from tests.factories import make_member, make_unit, sign_in
from tests.translations import tr

from .helpers import (
    answer_all,
    close,
    close_url,
    held_session,
    results_url,
    scores,
)


def _after_closing_time(reflection) -> datetime.datetime:
    return Evaluation.for_reflection(reflection).closes + datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_closing_releases_every_answer_once_in_a_shuffled_order(session, people):
    evaluation = Evaluation.for_reflection(session)
    given = []
    for n, person in enumerate(people):
        answer = scores(1 + n % 4)
        comment = f"Svar nummer {n}"
        evaluation.record_answer(person, scores=answer, comment=comment)
        given.append((comment, answer))
    sealed = {
        row.pk: open_sealed(evaluation.pk, row.sealed)
        for row in SealedAnswer.objects.all()
    }

    assert close(session, rng=random.Random(4)) == Evaluation.State.RELEASED

    released = [
        (a.comment, dict(a.scores.values_list("item", "value")))
        for a in Answer.objects.order_by("pk")
    ]
    assert sorted(released) == sorted(given)
    assert sorted((o.comment, o.scores) for o in sealed.values()) == sorted(given)
    assert not SealedAnswer.objects.exists()
    assert Score.objects.count() == len(people) * 9
    assert Respondent.objects.count() == len(people)
    assert Evaluation.objects.get().state == Evaluation.State.RELEASED


@pytest.mark.django_db
def test_closing_twice_releases_nothing_twice(session, people):
    answer_all(session, people[:5])

    assert close(session) == Evaluation.State.RELEASED
    assert close(session) == Evaluation.State.RELEASED

    assert Answer.objects.count() == 5


@pytest.mark.django_db
def test_nobody_answered_nothing_to_close(session):
    with pytest.raises(ValueError):
        close(session)


@pytest.mark.django_db
def test_the_closing_run_closes_what_is_due_and_nothing_else(
    org, unit, facilitator, people
):
    due = held_session(org, unit, facilitator, people)
    short = held_session(
        org, unit, facilitator, people, group=due.dilemma.group, title="Kort"
    )
    answer_all(due, people[:5])
    answer_all(short, people[:2])

    with time_machine.travel(_after_closing_time(due)):
        fresh = held_session(
            org, unit, facilitator, people, group=due.dilemma.group, title="Ny"
        )
        answer_all(fresh, people[:5])
        report = close_due_evaluations()
        again = close_due_evaluations()

    assert (report.released, report.too_few, report.failed) == (1, 1, 0)
    states = dict(Evaluation.objects.values_list("reflection", "state"))
    assert states == {
        due.pk: Evaluation.State.RELEASED,
        short.pk: Evaluation.State.TOO_FEW,
        fresh.pk: Evaluation.State.OPEN,
    }
    assert SealedAnswer.objects.count() == 5
    assert Answer.objects.count() == 5
    assert (again.released, again.too_few) == (0, 0)


@pytest.mark.django_db
def test_the_command_and_the_task_close_what_is_due(capsys, session, people):
    answer_all(session, people[:5])

    with time_machine.travel(_after_closing_time(session)):
        call_command("close_evaluations", "--enqueue")

    assert Evaluation.objects.get().state == Evaluation.State.RELEASED
    assert "handed to the worker" in capsys.readouterr().out
    assert close_due_evaluations_task.call() == 0


@pytest.mark.django_db
def test_answers_no_key_opens_stay_sealed_and_the_run_fails_loudly(
    settings, caplog, session, people
):
    settings.EVALUATION_KEY = "a key that will be lost"
    answer_all(session, people[:5], comment="Hemligt.")
    settings.EVALUATION_KEY = "a new key, the old one forgotten"

    with (
        time_machine.travel(_after_closing_time(session)),
        caplog.at_level(logging.ERROR, logger="evaluations.tasks"),
        pytest.raises(CommandError, match="1 evaluation"),
    ):
        call_command("close_evaluations")

    assert Evaluation.objects.get().state == Evaluation.State.OPEN
    assert SealedAnswer.objects.count() == 5
    assert not Answer.objects.exists()
    assert "EVALUATION_KEY_FALLBACKS" in caplog.text
    assert "Hemligt." not in caplog.text
    # With the old key given as a fallback, the next run releases them.
    settings.EVALUATION_KEY_FALLBACKS = ["a key that will be lost"]
    with time_machine.travel(_after_closing_time(session)):
        call_command("close_evaluations")
    assert Answer.objects.filter(comment="Hemligt.").count() == 5


# --- Closing from the results page ----------------------------------------------


@pytest.mark.django_db
def test_the_facilitator_closes_once_enough_have_answered(
    client, session, facilitator, people
):
    answer_all(session, people[:5], value=4, comment="Nu räcker det.")
    sign_in(client, facilitator)
    page = client.get(results_url(session))

    response = client.post(close_url(session), follow=True)

    assert page.context["can_close"] is True
    assert close_url(session) in page.text
    assert response.redirect_chain == [(results_url(session), 302)]
    assert (
        tr("sv", "The evaluation is closed and its results are shown.") in response.text
    )
    assert response.context["results"].answers == 5
    assert "Nu räcker det." in response.text
    assert Evaluation.objects.get().state == Evaluation.State.RELEASED
    assert not SealedAnswer.objects.exists()


@pytest.mark.django_db
def test_too_few_answers_cannot_be_closed_early(client, session, facilitator, people):
    answer_all(session, people[:4])
    sign_in(client, facilitator)
    page = client.get(results_url(session))

    response = client.post(close_url(session), follow=True)

    assert page.context["can_close"] is False
    assert close_url(session) not in page.text
    message = tr(
        "sv",
        "The evaluation can be closed once at least %(minimum)s have answered, or "
        "when its time is up.",
    ) % {"minimum": 5}
    assert message in response.text
    assert Evaluation.objects.get().state == Evaluation.State.OPEN
    assert SealedAnswer.objects.count() == 4


@pytest.mark.django_db
def test_after_its_time_the_facilitator_can_close_with_too_few(
    client, session, facilitator, people
):
    answer_all(session, people[:2])

    with time_machine.travel(_after_closing_time(session)):
        sign_in(client, facilitator)
        response = client.post(close_url(session), follow=True)

    assert Evaluation.objects.get().state == Evaluation.State.TOO_FEW
    assert not SealedAnswer.objects.exists() and not Answer.objects.exists()
    assert (
        tr(
            "sv",
            "The evaluation is closed. Too few answered for results to be shown, so "
            "the answers were deleted unread.",
        )
        in response.text
    )


@pytest.mark.django_db
def test_a_participant_cannot_close(client, session, people):
    answer_all(session, people[:5])
    sign_in(client, people[0])

    page = client.get(results_url(session))
    response = client.post(close_url(session))

    assert close_url(session) not in page.text
    assert response.status_code == 403
    assert Evaluation.objects.get().state == Evaluation.State.OPEN
    assert SealedAnswer.objects.count() == 5


@pytest.mark.django_db
def test_the_groups_manager_may_close(client, org, unit, session, people):
    manager = make_member(org, "manager", unit=unit, email="chef@norrby.example")
    answer_all(session, people[:5])
    sign_in(client, manager)

    assert client.post(close_url(session)).status_code == 302
    assert Evaluation.objects.get().state == Evaluation.State.RELEASED


@pytest.mark.django_db
def test_close_anonymous_method_and_other_organisations(
    client, org, session, people, outsider
):
    answer_all(session, people[:5])
    elsewhere = make_member(
        org, "manager", unit=make_unit(org, "Äldreomsorg"), email="else@norrby.example"
    )

    assert client.post(close_url(session)).status_code == 302
    sign_in(client, outsider)
    assert client.post(close_url(session)).status_code == 404
    other = close_url(session).replace("/o/norrby/", "/o/soderby/")
    assert client.post(other).status_code == 404
    sign_in(client, elsewhere)
    assert client.post(close_url(session)).status_code == 404
    sign_in(client, session.facilitator)
    assert client.get(close_url(session)).status_code == 405
    assert Evaluation.objects.get().state == Evaluation.State.OPEN
    assert SealedAnswer.objects.count() == 5
