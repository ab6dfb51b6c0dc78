"""Results only in aggregate, and only once enough have answered."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from evaluations.models import Answer, Evaluation
from evaluations.questionnaire import ITEMS
from reflections.retention import apply_retention
from tests.factories import make_member, make_unit, sign_in
from tests.translations import tr

from .helpers import answer_all, results_url, scores


def shortfall_text(answered: int, minimum: int, missing: int) -> str:
    """The page's sentence, in Swedish, from the same catalogue."""
    with translation.override("sv"):
        return translation.ngettext(
            "%(answered)s of the %(minimum)s answers needed have come in. Results "
            "are shown once %(counter)s more person has answered, so that no "
            "answer can be told apart.",
            "%(answered)s of the %(minimum)s answers needed have come in. Results "
            "are shown once %(counter)s more people have answered, so that no "
            "answer can be told apart.",
            missing,
        ) % {"answered": answered, "minimum": minimum, "counter": missing}


@pytest.mark.django_db
def test_four_answers_show_nothing(client, session, people):
    answer_all(session, people[:4], value=4, comment="Fyra har svarat.")
    sign_in(client, people[0])

    response = client.get(results_url(session))

    assert response.status_code == 200
    assert response.context["results"] is None
    assert response.context["shortfall"] == 1
    text = response.text
    assert tr("sv", "Answers per statement") not in text
    assert "Fyra har svarat." not in text
    assert str(ITEMS[0].text) not in text and tr("sv", str(ITEMS[0].text)) not in text
    assert shortfall_text(4, 5, 1) in text


@pytest.mark.django_db
def test_five_answers_show_the_aggregates(client, session, people):
    evaluation = Evaluation.for_reflection(session)
    for person, value in zip(people[:5], [1, 2, 3, 4, 4], strict=True):
        evaluation.record_answer(
            person,
            scores=scores(value),
            comment="Bra att alla fick tala." if value == 4 else "",
        )
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
def test_the_organisation_chooses_the_minimum(client, org, session, people):
    org.evaluation_minimum = 3
    org.save(update_fields=["evaluation_minimum"])
    answer_all(session, people[:2])
    sign_in(client, people[0])

    two = client.get(results_url(session))
    answer_all(session, people[2:3])
    three = client.get(results_url(session))

    assert two.context["results"] is None and two.context["shortfall"] == 1
    assert three.context["results"].answers == 3


@pytest.mark.django_db
def test_below_the_minimum_the_page_says_how_many_more(client, session, people):
    answer_all(session, people[:2])
    sign_in(client, people[0])

    response = client.get(results_url(session))

    expected = shortfall_text(2, 5, 3)
    assert expected in response.text


@pytest.mark.django_db
def test_comments_go_with_the_case_texts(session, people):
    answer_all(session, people[:5], comment="En kommentar.")
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

    for person in (people[0], session.facilitator, manager):
        sign_in(client, person)
        assert client.get(results_url(session)).context["results"].answers == 5


@pytest.mark.django_db
def test_others_of_the_organisation_get_404(client, org, session, people):
    editor = make_member(org, "editor", unit=make_unit(org, "Stab"))
    answer_all(session, people[:5])
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
