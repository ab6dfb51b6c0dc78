from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from dilemmas.models import Dilemma
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
from tests.factories import sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db


def url(name: str, reflection, **kwargs) -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid, **kwargs},
    )


@pytest.fixture
def signed(reflection, facilitator, member):
    options = reflection.steps.get(kind=StepKind.OPTIONS)
    Option.objects.create(step=options, text="Fråga igen i morgon")
    positions = reflection.steps.get(kind=StepKind.POSITIONS)
    Position.objects.create(step=positions, membership=member, body="A")
    Action.objects.create(
        organisation=reflection.organisation,
        reflection=reflection,
        text="Prata med sjuksköterskan",
        owner=member,
        due=datetime.date(2025, 1, 1),
    )
    return sign_off(reflection=reflection, by=facilitator, conclusion="Vi väljer A.")


def test_facilitator_signs_off_through_the_page(client, facilitator, held_reflection):
    reflection = held_reflection
    sign_in(client, facilitator)
    assert client.get(url("sign_off", reflection)).status_code == 200

    response = client.post(
        url("sign_off", reflection), {"conclusion": "Vi respekterar nejet."}
    )
    assert response.status_code == 422  # the confirmation is required
    assert "Vi respekterar nejet." in response.text
    client.post(
        url("sign_off", reflection),
        {"conclusion": "Vi respekterar nejet.", "confirm": "on"},
    )

    reflection.refresh_from_db()
    assert reflection.is_signed_off
    assert reflection.signed_off_by == facilitator
    assert reflection.conclusion == "Vi respekterar nejet."
    assert reflection.dilemma.status == Dilemma.Status.DISCUSSED


def test_sign_off_before_the_meeting_has_started_is_refused_and_says_why(
    client, facilitator, reflection
):
    sign_in(client, facilitator)
    page = client.get(url("sign_off", reflection))
    notice = tr(
        "sv",
        "The meeting starts %(start)s. You can sign off once it has begun; until "
        "then everything stays editable.",
    )
    assert notice.split("%(start)s")[1] in page.text

    response = client.post(
        url("sign_off", reflection), {"conclusion": "Klart.", "confirm": "on"}
    )

    assert response.status_code == 422
    errors = response.context["form"].non_field_errors()
    assert errors[0].startswith(
        tr(
            "sv",
            "The meeting has not started yet: a reflection is signed off once it "
            "has been held. It starts %(start)s.",
        ).split("%(start)s")[0]
    )
    assert "Klart." in response.text
    reflection.refresh_from_db()
    assert not reflection.is_signed_off


def test_the_conclusion_is_prefilled_from_the_conclusion_step(
    client, facilitator, held_reflection
):
    step = held_reflection.conclusion_step()
    assert step.title == tr("sv", "Conclusion")
    step.save_notes("Vi frågar igen i morgon.", revision=None, by=facilitator)
    sign_in(client, facilitator)

    page = client.get(url("sign_off", held_reflection))

    assert page.context["form"]["conclusion"].value() == "Vi frågar igen i morgon."


def test_staff_cannot_sign_off(client, member, reflection):
    sign_in(client, member)
    response = client.post(
        url("sign_off", reflection), {"conclusion": "x", "confirm": "on"}
    )
    assert response.status_code == 403
    reflection.refresh_from_db()
    assert not reflection.is_signed_off


def test_after_sign_off_no_view_changes_anything(client, facilitator, member, signed):
    sign_in(client, facilitator)
    positions = signed.steps.get(kind=StepKind.POSITIONS).position
    options = signed.steps.get(kind=StepKind.OPTIONS).position
    agreements = signed.steps.get(kind=StepKind.AGREEMENTS).position
    option = Option.objects.get()
    posts = [
        (url("step_notes", signed, position=1), {"notes-notes": "Ändrat"}),
        (url("step_save", signed, position=1), {"notes-notes": "Ändrat"}),
        (
            url("step_save", signed, position=options),
            {"item-text": "Ny", "then": "add"},
        ),
        (url("step_save", signed, position=positions), {"then": "reveal"}),
        (
            url("step_save", signed, position=agreements),
            {"item-text": "Ny", "then": "add"},
        ),
        (url("step_save", signed, position=1), {"then": "next"}),
        (
            url("step_save", signed, position=options),
            {"then": f"delete-{option.pk}"},
        ),
        (
            url("item_change", signed, position=options, item_id=option.pk),
            {"item-text": "Ändrad"},
        ),
        (url("citations", signed), {}),
        (url("sign_off", signed), {"conclusion": "Nytt", "confirm": "on"}),
    ]
    for address, data in posts:
        assert client.post(address, data).status_code == 403, address
    sign_in(client, member)
    response = client.post(
        url("position_save", signed, position=positions), {"position-body": "B"}
    )
    assert response.status_code == 403

    signed.refresh_from_db()
    assert signed.conclusion == "Vi väljer A."
    assert signed.current_step == 1
    assert signed.steps.get(position=1).notes == ""
    assert Option.objects.count() == 1
    assert Position.objects.get().body == "A"
    assert Action.objects.count() == 1
    assert signed.steps.get(position=positions).revealed is None


def test_after_sign_off_the_models_refuse(signed, member):
    step = signed.steps.get(position=1)
    attempts = [
        lambda: signed.save(),
        lambda: signed.delete(),
        lambda: Reflection.objects.filter(pk=signed.pk).update(conclusion="x"),
        lambda: Reflection.objects.filter(pk=signed.pk).delete(),
        lambda: step.save(),
        lambda: ReflectionStep.objects.filter(reflection=signed).update(notes="x"),
        lambda: ReflectionStep.objects.filter(reflection=signed).delete(),
        lambda: Option.objects.create(step=step, text="x"),
        lambda: Option.objects.filter(step__reflection=signed).update(text="x"),
        lambda: Option.objects.bulk_create([Option(step=step, text="x")]),
        lambda: Position.objects.filter(step__reflection=signed).delete(),
        lambda: Perspective.objects.create(step=step, party="x"),
        lambda: Citation(reflection=signed).save(),
        lambda: signed.cite(values=[], guidelines=[]),
        lambda: Action.objects.filter(reflection=signed).update(text="x"),
        lambda: Action.objects.get().save(),
        lambda: Action.objects.create(
            organisation=signed.organisation, reflection=signed, text="x", owner=member
        ),
    ]
    for attempt in attempts:
        with pytest.raises(LockedReflectionError):
            attempt()
    assert Option.objects.get().text == "Fråga igen i morgon"
    assert Action.objects.get().text == "Prata med sjuksköterskan"


def test_the_admin_is_read_only_for_a_signed_off_reflection(signed, admin_member):
    request = RequestFactory().get("/")
    request.user = admin_member.user
    model_admin = site._registry[Reflection]
    assert not model_admin.has_change_permission(request, signed)
    assert not model_admin.has_delete_permission(request, signed)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers are PostgreSQL's"
)
def test_after_sign_off_the_database_refuses(signed):
    statements = [
        "UPDATE reflections_reflection SET conclusion = 'x'",
        "DELETE FROM reflections_amendment",
        "UPDATE reflections_reflectionstep SET notes = 'x'",
        "UPDATE reflections_option SET text = 'x'",
        "DELETE FROM reflections_position",
        "UPDATE reflections_action SET text = 'x'",
        f"INSERT INTO reflections_option (step_id, text, created) "
        f"VALUES ({signed.steps.first().pk}, 'x', now())",
    ]
    Amendment.objects.create(reflection=signed, author=signed.facilitator, body="A")
    for statement in statements:
        with (
            pytest.raises(IntegrityError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    # Following an action up stays possible.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reflections_action SET done_note = 'klart'")
    assert Action.objects.get().done_note == "klart"


def test_amendments_are_appended_with_author_and_time(client, facilitator, signed):
    sign_in(client, facilitator)
    response = client.post(
        url("amendment_add", signed), {"body": "Sjuksköterskan hörde av sig."}
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.author, amendment.body) == (
        facilitator,
        "Sjuksköterskan hörde av sig.",
    )
    assert amendment.created is not None
    with pytest.raises(LockedReflectionError):
        amendment.save()
    with pytest.raises(LockedReflectionError):
        Amendment.objects.all().delete()

    log = client.get(url("log", signed))
    assert "Sjuksköterskan hörde av sig." in log.text
    assert "Vi väljer A." in log.text
    assert "Prata med sjuksköterskan" in log.text


def test_staff_cannot_amend(client, member, signed):
    sign_in(client, member)
    assert client.post(url("amendment_add", signed), {"body": "x"}).status_code == 403
    assert not Amendment.objects.exists()
