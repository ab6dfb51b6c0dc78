"""Those who took part answer a session's evaluation, once each."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.html import escape

from audit.models import AuditEvent
from evaluations.models import (
    AlreadyAnswered,
    Answer,
    Evaluation,
    NotAParticipant,
    NotOpen,
    Respondent,
    Score,
    SealedAnswer,
)
from evaluations.questionnaire import ITEMS
from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.factories import make_group, make_member, make_unit, sign_in
from tests.translations import tr

from .helpers import answer_all, answer_url, close, form_data, held_session, scores


@pytest.mark.django_db
def test_the_form_shows_every_statement_by_domain(client, session, people):
    sign_in(client, people[1])

    response = client.get(answer_url(session))

    assert response.status_code == 200
    for item in ITEMS:
        assert tr("sv", str(item.text)) in response.text
        assert f'name="{item.key}"' in response.text
    for domain in ("Moral competence", "Moral teamwork", "Moral action"):
        assert tr("sv", domain) in response.text
    # The session is named by its group and date, never by its dilemma.
    assert session.dilemma.group.name in response.text
    assert session.dilemma.title not in response.text
    assert session.dilemma.description not in response.text


@pytest.mark.django_db
def test_a_participant_answers_once(client, session, people):
    sign_in(client, people[1])

    response = client.post(
        answer_url(session), form_data(3, comment="Bra samtal."), follow=True
    )

    assert response.redirect_chain == [(answer_url(session), 302)]
    assert tr("sv", "Thank you. Your answer was saved without your name.") in (
        response.text
    )
    assert tr("sv", "You have answered this evaluation. Thank you.") in response.text
    evaluation = Evaluation.objects.get(reflection=session)
    assert list(evaluation.respondents.values_list("membership", flat=True)) == [
        people[1].pk
    ]
    assert evaluation.held == timezone.localtime(session.meeting.start).date()
    # Sealed until the evaluation closes: no answer to read yet.
    assert not Answer.objects.exists() and not Score.objects.exists()
    assert SealedAnswer.objects.get().evaluation == evaluation

    answer_all(session, people[2:6])
    assert close(session) == Evaluation.State.RELEASED

    answer = Answer.objects.get(comment="Bra samtal.")
    assert answer.evaluation == evaluation
    assert dict(answer.scores.values_list("item", "value")) == scores(3)
    assert Answer.objects.count() == 5
    assert not SealedAnswer.objects.exists()


@pytest.mark.django_db
def test_a_second_answer_from_the_same_person_is_refused(client, session, people):
    sign_in(client, people[1])
    client.post(answer_url(session), form_data(3))

    response = client.post(answer_url(session), form_data(1), follow=True)

    assert tr("sv", "This evaluation takes no more answers from you.") in (
        response.text
    )
    assert Respondent.objects.count() == 1
    assert SealedAnswer.objects.count() == 1
    answer_all(session, people[2:6], value=3)
    close(session)
    assert Answer.objects.count() == 5
    assert set(Score.objects.values_list("value", flat=True)) == {3}


@pytest.mark.django_db
def test_the_database_holds_one_answer_per_person(session, people):
    evaluation = Evaluation.for_reflection(session)
    evaluation.record_answer(people[1], scores=scores(2))

    with pytest.raises(AlreadyAnswered):
        evaluation.record_answer(people[1], scores=scores(4))
    with pytest.raises(IntegrityError), transaction.atomic():
        Respondent.objects.create(evaluation=evaluation, membership=people[1])
    assert SealedAnswer.objects.count() == 1


def choose_for(statement: object) -> str:
    with translation.override("sv"):
        return tr("sv", "Choose one of the four steps for “{statement}”.").format(
            statement=str(statement)
        )


@pytest.mark.django_db
def test_missing_steps_keep_what_was_chosen(client, session, people):
    sign_in(client, people[1])
    data = form_data(4, comment="Mitt ord.")
    del data[ITEMS[0].key]

    response = client.post(answer_url(session), data)

    assert response.status_code == 422
    # The summary names the statement and links to it; the statement says it too.
    missing = escape(choose_for(ITEMS[0].text))
    assert f'<a href="#id_{ITEMS[0].key}_fieldset">{missing}</a>' in response.text
    assert f'id="id_{ITEMS[0].key}_error">{missing}</p>' in response.text
    assert "Some answers are missing" not in response.text
    chosen = re.search(
        rf'<input[^>]*name="{ITEMS[1].key}"[^>]*value="4"[^>]*>', response.text
    )
    assert chosen is not None and "checked" in chosen.group(0)
    assert "Mitt ord." in response.text
    assert not SealedAnswer.objects.exists()
    assert not Respondent.objects.exists()


@pytest.mark.django_db
def test_a_step_off_the_scale_is_refused(client, session, people):
    sign_in(client, people[1])

    response = client.post(answer_url(session), form_data(3, **{ITEMS[2].key: 5}))

    assert response.status_code == 422
    assert escape(choose_for(ITEMS[2].text)) in response.text
    assert not SealedAnswer.objects.exists()


@pytest.mark.django_db
def test_a_comment_with_an_identifier_is_refused_without_an_override(
    client, session, people
):
    sign_in(client, people[1])
    comment = "Ring mig på 070-123 45 67 om det."

    response = client.post(answer_url(session), form_data(3, comment=comment))

    assert response.status_code == 422
    message = tr(
        "sv",
        "The comment seems to contain something that identifies a person, such as "
        "a personal identity number, a phone number or an e-mail address. Remove "
        "it: comments are shown to others as written.",
    )
    assert message in response.text
    assert comment in response.text
    # No "save anyway": an override would record who wrote the comment.
    assert "save_anyway_reason" not in response.text
    assert not SealedAnswer.objects.exists()


@pytest.mark.django_db
def test_someone_who_was_not_there_cannot_answer(client, org, unit, facilitator):
    people = [
        make_member(org, "staff", unit=unit, email=f"p{i}@norrby.example")
        for i in range(3)
    ]
    absent = make_member(org, "staff", unit=unit, email="absent@norrby.example")
    session = held_session(
        org, unit, facilitator, [*people, absent], present=[facilitator, *people]
    )
    sign_in(client, absent)

    get = client.get(answer_url(session))
    post = client.post(answer_url(session), form_data(3))

    assert get.status_code == post.status_code == 403
    assert (
        tr(
            "sv",
            "Only those who took part in the session answer its evaluation, and you "
            "are not among them.",
        )
        in get.text
    )
    assert not SealedAnswer.objects.exists()
    with pytest.raises(NotAParticipant):
        Evaluation.for_reflection(session).record_answer(absent, scores=scores(3))


@pytest.mark.django_db
def test_without_attendance_the_group_takes_part(client, org, unit, facilitator):
    people = [make_member(org, "staff", unit=unit, email="only@norrby.example")]
    group = make_group(org, unit, facilitators=[facilitator], members=people)
    meeting = make_meeting(group, timezone.localdate() - timedelta(days=2))
    reflection = start_reflection(meeting, make_dilemma(group, people[0]), facilitator)
    sign_in(client, people[0])

    response = client.post(answer_url(reflection), form_data(2))

    assert response.status_code == 302
    assert SealedAnswer.objects.count() == 1


@pytest.mark.django_db
def test_the_evaluation_opens_after_the_session_and_closes(
    client, org, unit, facilitator, people
):
    group = make_group(org, unit, facilitators=[facilitator], members=people)
    meeting = make_meeting(group, timezone.localdate() + timedelta(days=3))
    reflection = start_reflection(meeting, make_dilemma(group, people[0]), facilitator)
    sign_in(client, people[0])

    before = client.get(answer_url(reflection))
    refused = client.post(answer_url(reflection), form_data(3))

    assert before.status_code == 200
    assert 'name="see-what-is-at-stake"' not in before.text
    assert refused.status_code == 302
    assert not SealedAnswer.objects.exists()

    with time_machine.travel(meeting.end + timedelta(minutes=1)):
        sign_in(client, people[0])
        assert client.post(answer_url(reflection), form_data(3)).status_code == 302
    assert SealedAnswer.objects.count() == 1

    with time_machine.travel(meeting.end + timedelta(days=31)):
        sign_in(client, people[1])
        closed = client.get(answer_url(reflection))
        client.post(answer_url(reflection), form_data(3))
    assert tr("sv", "The evaluation closed on %(when)s.").split("%")[0] in closed.text
    assert SealedAnswer.objects.count() == 1


@pytest.mark.django_db
def test_answering_writes_nothing_to_the_audit_log(client, session, people):
    # An audit row would say who opened the evaluation when.
    sign_in(client, people[1])
    before = AuditEvent.objects.count()

    client.get(answer_url(session))
    client.post(answer_url(session), form_data(3))

    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_anonymous_people_are_sent_to_sign_in(client, session):
    response = client.get(answer_url(session))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_wrong_method(client, session, people):
    sign_in(client, people[1])

    assert client.put(answer_url(session)).status_code == 405
    assert client.delete(answer_url(session)).status_code == 405


@pytest.mark.django_db
def test_another_organisation_gets_404(client, session, outsider):
    sign_in(client, outsider)
    url = answer_url(session).replace("/o/norrby/", f"/o/{outsider.organisation.slug}/")

    assert client.get(answer_url(session)).status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(3)).status_code == 404
    assert not SealedAnswer.objects.exists()


@pytest.mark.django_db
def test_a_member_of_another_unit_gets_404(client, org, session):
    elsewhere = make_member(
        org, "staff", unit=make_unit(org, "Äldreomsorg"), email="else@norrby.example"
    )
    sign_in(client, elsewhere)

    assert client.get(answer_url(session)).status_code == 404


@pytest.mark.django_db
def test_no_answer_once_the_facilitator_has_closed_it(client, session, people):
    answer_all(session, people[:5])
    close(session)
    sign_in(client, people[5])

    page = client.get(answer_url(session))
    response = client.post(answer_url(session), form_data(2), follow=True)

    assert tr("sv", "The evaluation has closed.") in page.text
    assert 'name="see-what-is-at-stake"' not in page.text
    assert tr("sv", "This evaluation takes no more answers from you.") in (
        response.text
    )
    assert Respondent.objects.count() == Answer.objects.count() == 5
    assert not SealedAnswer.objects.exists()
    with pytest.raises(NotOpen):
        Evaluation.for_reflection(session).record_answer(people[5], scores=scores(2))


@pytest.mark.django_db
def test_an_answer_checked_before_the_close_and_sealed_after_it_is_refused(
    session, people
):
    # The page was read while the evaluation was open; the facilitator closed
    # it before the answer was stored. Under the row lock the answer sees that.
    answer_all(session, people[:5])
    stale = Evaluation.for_reflection(session)
    close(session)

    with pytest.raises(NotOpen):
        stale.record_answer(people[5], scores=scores(2))
    assert Respondent.objects.count() == 5
    assert not SealedAnswer.objects.exists()
