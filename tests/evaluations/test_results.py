"""Results only in aggregate, only once the evaluation has closed, and only
when enough answered."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone, translation

from evaluations.models import Answer, Evaluation, SealedAnswer
from evaluations.questionnaire import ITEMS
from reflections.retention import apply_retention
from tests.factories import make_member, make_unit, sign_in
from tests.translations import tr

from .helpers import answer_all, answer_url, close, form_data, results_url, scores


def answered_so_far(count: int) -> str:
    with translation.override("sv"):
        return translation.ngettext(
            "%(counter)s person has answered so far.",
            "%(counter)s people have answered so far.",
            count,
        ) % {"counter": count}


def too_few_text(count: int, minimum: int) -> str:
    with translation.override("sv"):
        return translation.ngettext(
            "%(counter)s person answered, fewer than the %(minimum)s needed, so no "
            "results are shown.",
            "%(counter)s people answered, fewer than the %(minimum)s needed, so no "
            "results are shown.",
            count,
        ) % {"counter": count, "minimum": minimum}


def without_numbers(html: str) -> str:
    """The page with its figures blanked: what is left must not change.

    The tokens that differ on every response (CSRF, the script nonce) go too.
    """
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r"\d+", "#", html)


@pytest.mark.django_db
def test_while_open_the_page_shows_the_count_and_the_closing_date_only(
    client, session, people
):
    answer_all(session, people[:5], value=4, comment="Fem har svarat.")
    sign_in(client, people[0])

    response = client.get(results_url(session))

    assert response.status_code == 200
    assert response.context["results"] is None
    assert response.context["phase"] == "open"
    text = response.text
    assert answered_so_far(5) in text
    closes = Evaluation.for_reflection(session).closes
    with translation.override("sv"), timezone.override("Europe/Stockholm"):
        from django.template.defaultfilters import date

        # In the organisation's time: after 23:00 UTC it is already tomorrow.
        assert date(timezone.localtime(closes), "DATE_FORMAT") in text
    assert tr("sv", "Answers per statement") not in text
    assert "Fem har svarat." not in text
    assert str(ITEMS[0].text) not in text and tr("sv", str(ITEMS[0].text)) not in text


@pytest.mark.django_db
def test_one_more_answer_while_open_changes_nothing_but_the_count(
    client, org, unit, session, people
):
    """The page before and after one person's answer, as a watcher would read it."""
    manager = make_member(org, "manager", unit=unit, email="chef@norrby.example")
    answer_all(session, people[:5], value=2)
    sign_in(client, manager)
    before_results = client.get(results_url(session)).text
    before_list = client.get(
        results_url(session).replace(f"{session.uuid}/results/", "")
    ).text

    # Filip answers: every step at the top, and a comment.
    sign_in(client, people[5])
    client.post(
        answer_url(session), form_data(4, comment="Filip tyckte så här."), follow=True
    )
    sign_in(client, manager)
    after_results = client.get(results_url(session)).text
    after_list = client.get(
        results_url(session).replace(f"{session.uuid}/results/", "")
    ).text

    assert answered_so_far(5) in before_results
    assert answered_so_far(6) in after_results
    # Nothing else differs: no figure, no comment, no word.
    assert without_numbers(before_results) == without_numbers(after_results)
    assert without_numbers(before_list) == without_numbers(after_list)
    for page in (after_results, after_list):
        assert "Filip tyckte så här." not in page
        assert tr("sv", "Answers per statement") not in page

    # Once it closes, all six are shown together, and only then.
    close(session)
    closed = client.get(results_url(session))
    assert closed.context["results"].answers == 6
    assert "Filip tyckte så här." in closed.text
    assert closed.context["results"].items[0].counts == [0, 5, 0, 1]


@pytest.mark.django_db
def test_after_closing_with_five_answers_the_aggregates_show(client, session, people):
    evaluation = Evaluation.for_reflection(session)
    for person, value in zip(people[:5], [1, 2, 3, 4, 4], strict=True):
        evaluation.record_answer(
            person,
            scores=scores(value),
            comment="Bra att alla fick tala." if value == 4 else "",
        )
    close(session)
    sign_in(client, people[0])

    response = client.get(results_url(session))

    results = response.context["results"]
    assert results.answers == 5
    first = results.items[0]
    assert first.item == ITEMS[0]
    assert first.counts == [1, 1, 1, 2]
    assert first.mean == pytest.approx(2.8)
    assert [round(d.mean, 2) for d in results.domains] == [2.8, 2.8, 2.8]
    # The comment twice, since two gave it; no order that says who.
    assert results.comments == ["Bra att alla fick tala."] * 2
    assert tr("sv", "Answers per statement") in response.text
    assert "2,8" in response.text
    assert "Bra att alla fick tala." in response.text


@pytest.mark.django_db
def test_closing_with_too_few_deletes_the_answers_unread(client, session, people):
    answer_all(session, people[:4], value=4, comment="Fyra har svarat.")

    assert close(session) == Evaluation.State.TOO_FEW

    assert not SealedAnswer.objects.exists()
    assert not Answer.objects.exists()
    sign_in(client, people[0])
    response = client.get(results_url(session))
    assert response.context["results"] is None
    assert too_few_text(4, 5) in response.text
    assert (
        tr("sv", "The answers were deleted unread when the evaluation closed.")
        in response.text
    )
    assert "Fyra har svarat." not in response.text
    assert tr("sv", "Answers per statement") not in response.text


@pytest.mark.django_db
def test_the_organisation_chooses_the_minimum(client, org, session, people):
    org.evaluation_minimum = 3
    org.save(update_fields=["evaluation_minimum"])
    answer_all(session, people[:3])
    close(session)
    sign_in(client, people[0])

    three = client.get(results_url(session))
    org.evaluation_minimum = 4
    org.save(update_fields=["evaluation_minimum"])
    raised = client.get(results_url(session))

    assert three.context["results"].answers == 3
    # Raised later: the three released answers are no longer shown.
    assert raised.context["results"] is None
    assert too_few_text(3, 4) in raised.text
    deleted = tr("sv", "The answers were deleted unread when the evaluation closed.")
    assert deleted not in raised.text


@pytest.mark.django_db
def test_after_the_closing_date_results_wait_for_the_closing_run(
    client, session, people
):
    from evaluations.tasks import close_due_evaluations

    answer_all(session, people[:5], comment="Snart klart.")
    later = Evaluation.for_reflection(session).closes + datetime.timedelta(minutes=1)

    with time_machine.travel(later):
        sign_in(client, people[0])
        waiting = client.get(results_url(session))
        report = close_due_evaluations()
        shown = client.get(results_url(session))

    assert waiting.context["phase"] == "closing"
    assert "Snart klart." not in waiting.text
    assert report.released == 1 and report.too_few == 0
    assert shown.context["results"].answers == 5
    assert "Snart klart." in shown.text


@pytest.mark.django_db
def test_comments_go_with_the_case_texts(session, people):
    answer_all(session, people[:5], comment="En kommentar.")
    close(session)
    later = timezone.now() + datetime.timedelta(
        days=session.organisation.retention_days + 1
    )

    apply_retention(now=later)

    assert set(Answer.objects.values_list("comment", flat=True)) == {""}
    evaluation = Evaluation.for_reflection(session)
    evaluation.reflection.refresh_from_db()
    results = evaluation.results()
    assert results.answers == 5 and results.comments == []


@pytest.mark.django_db
def test_the_group_and_its_managers_see_results(client, org, unit, session, people):
    manager = make_member(org, "manager", unit=unit, email="chef@norrby.example")
    answer_all(session, people[:5])
    close(session)

    for person in (people[0], session.facilitator, manager):
        sign_in(client, person)
        assert client.get(results_url(session)).context["results"].answers == 5


@pytest.mark.django_db
def test_others_of_the_organisation_get_404(client, org, session, people):
    editor = make_member(org, "editor", unit=make_unit(org, "Stab"))
    answer_all(session, people[:5])
    close(session)
    sign_in(client, editor)

    assert client.get(results_url(session)).status_code == 404


@pytest.mark.django_db
def test_results_anonymous_method_and_other_organisation(client, session, outsider):
    assert client.get(results_url(session)).status_code == 302
    sign_in(client, outsider)
    assert client.get(results_url(session)).status_code == 404
    own = results_url(session).replace("/o/norrby/", "/o/soderby/")
    assert client.get(own).status_code == 404
    assert client.post(results_url(session)).status_code == 405


@pytest.mark.django_db
def test_comments_of_a_case_erased_while_open_are_never_released(session, people):
    answer_all(session, people[:5], value=2, comment="Om fallet.")
    # The case's texts are erased before the evaluation was closed.
    apply_retention(
        now=timezone.now()
        + datetime.timedelta(days=session.organisation.retention_days + 1)
    )

    assert close(session) == Evaluation.State.RELEASED

    assert set(Answer.objects.values_list("comment", flat=True)) == {""}
    assert Answer.objects.count() == 5
    assert Evaluation.for_reflection(session).results().items[0].mean == 2
