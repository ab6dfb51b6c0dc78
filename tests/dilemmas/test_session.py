from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from audit.models import AuditEvent
from dilemmas.models import Dilemma
from reflections.forms import MAX_STEPS
from reflections.models import (
    AgendaItem,
    Method,
    Option,
    Perspective,
    Position,
    Reflection,
    StepKind,
)
from tests.factories import sign_in
from tests.translations import tr
from tests.values.helpers import adopt, fill, make_base, make_draft

from .helpers import dilemma_method, make_meeting, put_on_agenda, start_reflection

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2025, 3, 12)


def step_url(name: str, reflection, position: int) -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
            "position": position,
        },
    )


def position_of(reflection, kind: str) -> int:
    return reflection.steps.get(kind=kind).position


def test_methods_are_seeded_as_data_and_copied_to_adapt(client, org, facilitator):
    sign_in(client, facilitator)
    page = client.get(reverse("reflections:method_list", kwargs={"org": org.slug}))
    assert page.status_code == 200
    methods = Method.objects.for_organisation(org)
    assert sorted(methods.values_list("key", flat=True)) == [
        "dilemma-method",
        "five-step-model",
        "four-principles",
    ]
    dilemma = methods.get(key="dilemma-method")
    assert dilemma.steps.count() == 10
    assert set(dilemma.steps.values_list("kind", flat=True)) == set(StepKind.values)
    assert [s.title for s in methods.get(key="five-step-model").steps.all()][0] == tr(
        "sv", "Facts"
    )

    response = client.post(
        reverse(
            "reflections:method_copy",
            kwargs={"org": org.slug, "method_uuid": dilemma.uuid},
        ),
        {"name": "Vår dilemmametod"},
    )

    copy = Method.objects.get(name="Vår dilemmametod")
    assert response.status_code == 302
    assert copy.copied_from == dilemma
    assert copy.steps.count() == 10


def test_staff_cannot_copy_a_method(client, org, member):
    sign_in(client, member)
    method = dilemma_method(org)
    response = client.post(
        reverse(
            "reflections:method_copy",
            kwargs={"org": org.slug, "method_uuid": method.uuid},
        )
    )
    assert response.status_code == 403
    assert Method.objects.count() == 3


def test_a_method_form_claiming_a_thousand_steps_is_refused_not_built(
    client, org, facilitator
):
    sign_in(client, facilitator)
    client.post(
        reverse(
            "reflections:method_copy",
            kwargs={"org": org.slug, "method_uuid": dilemma_method(org).uuid},
        ),
        {"name": "Vår metod"},
    )
    copy = Method.objects.get(name="Vår metod")
    url = reverse(
        "reflections:method_change",
        kwargs={"org": org.slug, "method_uuid": copy.uuid},
    )
    response = client.post(
        url,
        {
            "name": "Vår längre metod",
            "description": "",
            "steps-TOTAL_FORMS": "1000",
            "steps-INITIAL_FORMS": "0",
        },
    )

    # The page says what is wrong (Django's own translated message), keeps what
    # was typed, and builds no more forms than a method may have steps.
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(org.language):
        refusal = ngettext(
            "Please submit at most %(num)d form.",
            "Please submit at most %(num)d forms.",
            MAX_STEPS,
        ) % {"num": MAX_STEPS}
    assert refusal in html
    assert 'value="Vår längre metod"' in html
    assert f"steps-{MAX_STEPS}-title" not in html
    copy.refresh_from_db()
    assert copy.name == "Vår metod"
    assert copy.steps.count() == 10


def test_facilitator_puts_a_dilemma_on_the_agenda_and_opens_the_reflection(
    client, facilitator, dilemma, meeting
):
    sign_in(client, facilitator)
    method = dilemma_method(dilemma.organisation)
    response = client.post(
        reverse(
            "reflections:agenda_add",
            kwargs={"org": "norrby", "dilemma_uuid": dilemma.uuid},
        ),
        {"meeting": meeting.pk, "method": method.pk},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.meeting, item.method) == (meeting, method)
    dilemma.refresh_from_db()
    assert dilemma.status == Dilemma.Status.ON_AGENDA

    page = client.get(
        reverse(
            "meetings:meeting_detail",
            kwargs={"org": "norrby", "meeting_uuid": meeting.uuid},
        )
    )
    open_url = reverse(
        "reflections:open", kwargs={"org": "norrby", "item_uuid": item.uuid}
    )
    assert dilemma.title in page.text
    assert open_url in page.text

    response = client.post(open_url)

    reflection = Reflection.objects.get()
    assert response["Location"] == step_url("step", reflection, 1)
    # The method as used: its steps live in the reflection from now on.
    assert reflection.steps.count() == 10
    method.steps.filter(position=1).update(title="Changed later")
    assert reflection.steps.get(position=1).title == tr("sv", "The case")


def test_staff_cannot_open_a_reflection(client, member, dilemma, meeting):
    item = put_on_agenda(meeting, dilemma)
    sign_in(client, member)
    response = client.post(
        reverse("reflections:open", kwargs={"org": "norrby", "item_uuid": item.uuid})
    )
    assert response.status_code == 403
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    ("second_from", "expected"),
    [
        (MEETING_DAY - datetime.timedelta(days=1), 2),
        (MEETING_DAY, 2),
        (MEETING_DAY + datetime.timedelta(days=1), 1),
    ],
    ids=["adopted-the-day-before", "in-force-that-day", "adopted-the-day-after"],
)
def test_reflection_is_pinned_to_the_version_in_force_on_the_meeting_date(
    org, group, dilemma, facilitator, second_from, expected
):
    base = make_base(org)
    first = make_draft(base, 1)
    fill(first)
    adopt(first, datetime.date(2024, 1, 1))
    second = first.start_next_draft(author=None)
    adopt(second, second_from)
    meeting = make_meeting(group, MEETING_DAY)

    reflection = start_reflection(meeting, dilemma, facilitator)

    assert reflection.version.number == expected


def test_citations_come_from_the_pinned_version(
    client, org, group, dilemma, facilitator
):
    base = make_base(org)
    first = make_draft(base, 1)
    content = fill(first)
    adopt(first, datetime.date(2024, 1, 1))
    later = first.start_next_draft(author=None)
    reflection = start_reflection(
        make_meeting(group, MEETING_DAY), dilemma, facilitator
    )
    sign_in(client, facilitator)
    url = reverse(
        "reflections:citations",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
    )

    client.post(url, {"values": [later.values.get(key="dignity").pk]})
    assert not reflection.citations.exists()

    client.post(
        url,
        {"values": [content["dignity"].pk], "guidelines": [content["guideline"].pk]},
    )
    assert {str(c) for c in reflection.citations.all()} == {
        "Människors lika värde",
        "Bemötande",
    }
    page = client.get(
        reverse(
            "reflections:detail",
            kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
        )
    )
    assert "version 1" in page.text
    assert "/values/vardegrund/v/1/values/dignity/" in page.text


def test_entries_save_with_plain_posts_and_with_htmx(client, facilitator, reflection):
    sign_in(client, facilitator)
    notes = step_url("step_notes", reflection, 1)

    response = client.post(notes, {"notes-notes": "Mannen har sagt nej tre gånger."})
    assert response.status_code == 302
    assert reflection.steps.get(position=1).notes == "Mannen har sagt nej tre gånger."

    # As typed: the answer is the status line and the new revision, not the text.
    response = client.post(
        notes,
        {"notes-notes": "Ändrad anteckning.", "notes-revision": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="notes-status"' in response.text
    assert 'hx-swap-oob="true"' in response.text and 'value="2"' in response.text
    assert "<html" not in response.text and "<textarea" not in response.text
    assert reflection.steps.get(position=1).notes == "Ändrad anteckning."

    options = position_of(reflection, StepKind.OPTIONS)
    client.post(
        step_url("step_save", reflection, options),
        {"item-text": "Fråga igen", "then": "add"},
    )
    assert list(Option.objects.values_list("text", flat=True)) == ["Fråga igen"]

    parties = position_of(reflection, StepKind.PERSPECTIVES)
    client.post(
        step_url("step_save", reflection, parties),
        {"item-party": "Brukaren", "item-norms": "Vi ska respektera nejet."},
    )
    assert Perspective.objects.get().party == "Brukaren"


def test_a_guarded_entry_is_refused_where_it_was_typed(client, facilitator, reflection):
    sign_in(client, facilitator)
    response = client.post(
        step_url("step_notes", reflection, 1),
        {"notes-notes": "Ring 070-123 45 67 om det blir fel."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert reflection.steps.get(position=1).notes == ""

    page = client.post(
        step_url("step_save", reflection, 1),
        {"notes-notes": "Ring 070-123 45 67 om det blir fel.", "then": "next"},
    )
    assert page.status_code == 422
    assert "Ring 070-123 45 67" in page.text
    reflection.refresh_from_db()
    assert reflection.current_step == 1
    assert reflection.steps.get(position=1).notes == ""


def test_staff_cannot_write_the_facilitators_notes(client, member, reflection):
    sign_in(client, member)
    response = client.post(step_url("step_notes", reflection, 1), {"notes-notes": "x"})
    assert response.status_code == 403
    response = client.post(step_url("step_save", reflection, 1), {"notes-notes": "x"})
    assert response.status_code == 403
    assert reflection.steps.get(position=1).notes == ""


def test_nobody_sees_another_position_before_the_reveal(
    client, member, colleague, facilitator, reflection
):
    positions = position_of(reflection, StepKind.POSITIONS)
    page_url = step_url("step", reflection, positions)
    sign_in(client, member)
    client.post(
        step_url("position_save", reflection, positions),
        {"position-body": "Jag väljer A."},
    )
    sign_in(client, colleague)
    client.post(
        step_url("position_save", reflection, positions),
        {"position-body": "Jag väljer B."},
        headers={"HX-Request": "true"},
    )
    assert Position.objects.count() == 2

    page = client.get(page_url)
    assert "Jag väljer B." in page.text
    assert "Jag väljer A." not in page.text
    sign_in(client, facilitator)
    page = client.get(page_url)
    assert "Jag väljer A." not in page.text
    assert "Jag väljer B." not in page.text
    log = client.get(
        reverse(
            "reflections:log",
            kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
        )
    )
    assert "Jag väljer A." not in log.text

    sign_in(client, member)
    reveal = step_url("step_save", reflection, positions)
    assert client.post(reveal, {"then": "reveal"}).status_code == 403
    sign_in(client, facilitator)
    client.post(reveal, {"then": "reveal"})

    sign_in(client, member)
    page = client.get(page_url)
    assert "Jag väljer A." in page.text
    assert "Jag väljer B." in page.text
    # Written after the reveal, a position would answer the others.
    response = client.post(
        step_url("position_save", reflection, positions), {"position-body": "Nu B."}
    )
    assert response.status_code == 403
    assert Position.objects.get(membership=member).body == "Jag väljer A."


def test_revealing_before_half_have_written_asks_the_facilitator_first(
    client, org, unit, member, colleague, facilitator, group, reflection
):
    from tests.factories import make_member

    # Six take part: the facilitator, Maja, her colleague and three more.
    for number in range(3):
        group.members.add(
            make_member(org, "staff", unit=unit, email=f"more{number}@norrby.example")
        )
    positions = position_of(reflection, StepKind.POSITIONS)
    sign_in(client, member)
    client.post(
        step_url("position_save", reflection, positions),
        {"position-body": "Jag väljer A."},
    )
    sign_in(client, facilitator)
    save = step_url("step_save", reflection, positions)
    page_url = step_url("step", reflection, positions)

    # One of six has written: nothing is revealed, and what was typed is kept.
    response = client.post(save, {"then": "reveal", "notes-notes": "Tyst stund."})
    assert response.status_code == 302
    assert response.url == f"{page_url}?reveal=confirm"
    step = reflection.steps.get(position=positions)
    assert step.revealed is None
    assert step.notes == "Tyst stund."
    page = client.get(response.url).text
    assert tr("sv", "Reveal them anyway") in page
    assert "1 av 6" in page
    assert "Jag väljer A." not in page
    # A participant who opens the same address is asked nothing.
    sign_in(client, colleague)
    assert tr("sv", "Reveal them anyway") not in client.get(response.url).text

    # Half have written: the reveal needs no confirmation.
    client.post(
        step_url("position_save", reflection, positions),
        {"position-body": "Jag väljer B."},
    )
    sign_in(client, group.members.get(user__email="more0@norrby.example"))
    client.post(
        step_url("position_save", reflection, positions),
        {"position-body": "Jag väljer C."},
    )
    sign_in(client, facilitator)
    response = client.post(save, {"then": "reveal"})
    assert response.url == page_url
    assert reflection.steps.get(position=positions).revealed is not None


def test_the_facilitator_can_reveal_anyway(
    client, org, unit, facilitator, group, reflection
):
    from tests.factories import make_member

    for number in range(3):
        group.members.add(
            make_member(org, "staff", unit=unit, email=f"more{number}@norrby.example")
        )
    positions = position_of(reflection, StepKind.POSITIONS)
    sign_in(client, facilitator)
    save = step_url("step_save", reflection, positions)
    assert client.post(save, {"then": "reveal"}).url.endswith("?reveal=confirm")
    response = client.post(save, {"then": "reveal-anyway"})
    assert response.url == step_url("step", reflection, positions)
    step = reflection.steps.get(position=positions)
    assert step.revealed is not None
    # Once revealed, the page asks nothing more.
    page = client.get(f"{response.url}?reveal=confirm").text
    assert tr("sv", "Reveal them anyway") not in page
    assert tr("sv", "No one wrote a position.") in page


def test_reflection_pages_are_for_the_group_only(
    client, reflection, other_member, outsider, manager
):
    url = reverse(
        "reflections:detail",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
    )
    sign_in(client, manager)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(object_uuid=reflection.uuid).count() == 1
    sign_in(client, other_member)
    assert client.get(url).status_code == 404
    refused = AuditEvent.objects.filter(object_uuid=reflection.uuid).first()
    assert (refused.membership_id, refused.outcome) == (other_member.pk, "denied")
    assert client.get(step_url("step", reflection, 1)).status_code == 404
    sign_in(client, outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("group_chooses", [True, False])
def test_positions_revealed_without_names_when_chosen(
    client, member, colleague, facilitator, group, dilemma, meeting, group_chooses
):
    from reflections.models import open_reflection
    from tests.dilemmas.helpers import put_on_agenda

    group.anonymous_positions = group_chooses
    group.save()
    reflection = open_reflection(
        item=put_on_agenda(meeting, dilemma), facilitator=facilitator
    )
    assert reflection.anonymous_positions is group_chooses
    positions = position_of(reflection, StepKind.POSITIONS)
    for person, text in [(member, "Jag väljer A."), (colleague, "Jag väljer B.")]:
        sign_in(client, person)
        client.post(
            step_url("position_save", reflection, positions), {"position-body": text}
        )
    sign_in(client, facilitator)
    save = step_url("step_save", reflection, positions)
    if not group_chooses:
        # The facilitator chooses no names for this session, before the reveal.
        client.post(save, {"then": "no-names"})
    client.post(save, {"then": "reveal"})
    # After the reveal, names cannot be brought back.
    client.post(save, {"then": "names"})

    reflection.refresh_from_db()
    assert reflection.anonymous_positions is True
    sign_in(client, member)
    page = client.get(step_url("step", reflection, positions)).text
    log = client.get(
        reverse(
            "reflections:log",
            kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
        )
    ).text
    # The log names who took part; its steps name no one.
    steps = log.split(f"<h2>{tr('sv', 'Steps')}</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Kalle Kollega" in log
    for text in (page, steps):
        assert "Jag väljer A." in text and "Jag väljer B." in text
        assert "Kalle Kollega" not in text
    # The product still knows who wrote what.
    assert Position.objects.get(body="Jag väljer B.").membership == colleague
