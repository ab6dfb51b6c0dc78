"""Built-in methods start from the person's own view (issue 21, part 2)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from dilemmas.models import Voice
from reflections import builtin
from reflections.models import Method, MethodStep, StepKind
from tests.factories import sign_in
from tests.translations import tr

from .helpers import dilemma_method

pytestmark = pytest.mark.django_db

PROFESSIONAL_KINDS = {StepKind.PERSPECTIVES, StepKind.OPTIONS, StepKind.POSITIONS}


def step_url(reflection, position: int) -> str:
    return reverse(
        "reflections:step",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
            "position": position,
        },
    )


@pytest.mark.parametrize("spec", builtin.METHODS, ids=lambda s: s["key"])
def test_each_built_in_method_starts_from_the_person_before_the_professionals(
    org, spec
):
    method = Method.objects.seeded_for(org).get(key=spec["key"])
    steps = list(method.steps.all())
    person = [s for s in steps if s.person_view]
    assert [s.position for s in person] == [spec["person_view"]]
    # No perspectives, options or positions of the professionals come before it.
    before = [s.kind for s in steps if s.position < person[0].position]
    assert not PROFESSIONAL_KINDS & set(before)
    with translation.override("en"):
        assert str(spec["steps"][spec["person_view"] - 1][1]).startswith("Start ")
        conclusion = str(spec["steps"][spec["concludes"] - 1][1])
    assert "discuss" in conclusion or "hear" in conclusion
    # In the organisation's language.
    assert person[0].guidance == tr(
        "sv", str(spec["steps"][spec["person_view"] - 1][1])
    )


def test_the_step_shows_the_recorded_voices_and_asks_for_the_missing(
    client, org, facilitator, member, dilemma, reflection
):
    Voice.objects.create(
        dilemma=dilemma,
        kind="person",
        asked="in_person",
        wishes="Jag vill bo kvar hemma och bestämma själv när jag går ut.",
    )
    Voice.objects.create(
        dilemma=dilemma,
        kind="representative",
        asked="not_possible",
        why_not="Gode mannen var bortrest.",
    )
    person_step = reflection.steps.get(person_view=True)
    assert person_step.position == 4
    for who in (facilitator, member):
        sign_in(client, who)
        page = client.get(step_url(reflection, person_step.position)).text
        heading = tr("sv", "Start from the person's own view")
        assert heading in page
        panel = page.split(heading, 1)[1].split('class="case"', 1)[0]
        assert "Jag vill bo kvar hemma och bestämma själv" in panel
        assert "Gode mannen var bortrest." in panel
        # The network was not recorded: the step asks whose voice is missing.
        assert tr("sv", "Whose voice is missing? Not recorded yet:") in panel
        assert tr("sv", "Relatives or network") in panel
    # Other steps do not open with it.
    other = client.get(step_url(reflection, 1)).text
    assert tr("sv", "Start from the person's own view") not in other


def test_without_any_voice_the_step_asks_whose_voice_is_missing(
    client, facilitator, reflection
):
    sign_in(client, facilitator)
    page = client.get(step_url(reflection, 4)).text
    panel = page.split(tr("sv", "Start from the person's own view"), 1)[1]
    panel = panel.split('class="case"', 1)[0]
    assert tr("sv", "Whose voice is missing? Not recorded yet:") in panel
    for kind in Voice.Kind:
        assert tr("sv", str(kind.label)) in panel


def change_data(method, **changes) -> dict[str, str]:
    steps = list(method.steps.all())
    data = {
        "name": method.name,
        "description": method.description,
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
    }
    for index, step in enumerate(steps):
        prefix = f"steps-{index}-"
        data |= {
            prefix + "id": str(step.pk),
            prefix + "position": str(step.position),
            prefix + "title": step.title,
            prefix + "guidance": step.guidance,
            prefix + "kind": step.kind,
            prefix + "minutes": str(step.minutes or ""),
        }
        if step.person_view:
            data[prefix + "person_view"] = "on"
    for position, on in changes.items():
        key = f"steps-{int(position[1:]) - 1}-person_view"
        if on:
            data[key] = "on"
        else:
            data.pop(key, None)
    return data


def test_an_organisation_that_edits_its_method_keeps_the_choice(
    client, org, facilitator
):
    sign_in(client, facilitator)
    method = dilemma_method(org)
    url = reverse(
        "reflections:method_change",
        kwargs={"org": org.slug, "method_uuid": method.uuid},
    )
    form = client.get(url)
    assert tr("sv", "starts from the person's own view").capitalize() in form.text
    # Moved to the first step, off the fourth.
    response = client.post(url, change_data(method, p1=True, p4=False))
    assert response.status_code == 302
    assert list(
        method.steps.filter(person_view=True).values_list("position", flat=True)
    ) == [1]
    # And off altogether.
    response = client.post(url, change_data(method, p1=False))
    assert response.status_code == 302
    assert not method.steps.filter(person_view=True).exists()
    # A copy keeps the choice it was made from.
    client.post(url, change_data(method, p2=True))
    copy = method.copy(name="Vår kopia")
    assert list(
        copy.steps.filter(person_view=True).values_list("position", flat=True)
    ) == [2]


def test_the_migration_updates_copies_the_organisation_left_as_shipped(org, other_org):
    """Copies seeded before the change, in Swedish: the one left alone is brought
    up to date; the adapted step and the method with a step of its own are not."""
    migration = importlib.import_module("reflections.migrations.0013_person_view")
    methods = Method.objects.seeded_for(org)
    Method.objects.seeded_for(other_org)
    with translation.override("sv"):
        for method in Method.objects.all():
            count, person, changes = migration.CHANGES[method.key]
            for position, (before, _after) in changes.items():
                method.steps.filter(position=position).update(
                    guidance=translation.gettext(before), person_view=False
                )
    # The organisation rewrote the five-step model's parties step.
    five = methods.get(key="five-step-model")
    five.steps.filter(position=3).update(guidance="Vilka berörs? Vår egen text.")
    # And gave the four-principles analysis a step of its own.
    four = methods.get(key="four-principles")
    MethodStep.objects.create(
        method=four, position=8, title="Uppföljning", kind=StepKind.TEXT
    )

    migration.start_from_the_person(django_apps, None)

    dilemma = methods.get(key="dilemma-method").steps
    assert dilemma.get(position=4).person_view
    assert dilemma.get(position=4).guidance == tr(
        "sv", str(builtin.METHODS[0]["steps"][3][1])
    )
    assert dilemma.get(position=8).guidance == tr(
        "sv", str(builtin.METHODS[0]["steps"][7][1])
    )
    assert not five.steps.get(position=3).person_view
    assert five.steps.get(position=3).guidance == "Vilka berörs? Vår egen text."
    assert five.steps.get(position=5).guidance == tr(
        "sv", str(builtin.METHODS[1]["steps"][4][1])
    )
    assert not four.steps.filter(person_view=True).exists()
    # The other organisation's copies, left as shipped, are all updated.
    assert sorted(
        MethodStep.objects.filter(
            method__organisation=other_org, person_view=True
        ).values_list("method__key", "position")
    ) == [("dilemma-method", 4), ("five-step-model", 3), ("four-principles", 2)]
