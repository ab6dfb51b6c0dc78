"""The session runner, live and lossless: nothing typed is lost, everyone follows."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections.models import Action, Option, Position, StepKind
from tests.factories import make_member, sign_in
from tests.translations import tr
from tests.values.helpers import adopt, fill, make_base, make_draft

from .helpers import make_meeting, start_reflection

pytestmark = pytest.mark.django_db


def step_url(name: str, reflection, position: int, **extra) -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
            "position": position,
            **extra,
        },
    )


def live_url(reflection) -> str:
    return reverse(
        "reflections:live",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid},
    )


@pytest.fixture
def now_reflection(group, dilemma, facilitator):
    """A session whose meeting is on now."""
    start = timezone.localtime() - datetime.timedelta(minutes=10)
    meeting = make_meeting(group, start.date())
    meeting.start, meeting.end = start, start + datetime.timedelta(hours=1)
    meeting.save()
    return start_reflection(meeting, dilemma, facilitator)


# Nothing typed is lost


@pytest.mark.parametrize("then", ["next", "previous", "go-5", "save"])
def test_notes_typed_are_saved_whichever_button_is_pressed(
    client, facilitator, reflection, then
):
    reflection.move_to(3)
    sign_in(client, facilitator)

    response = client.post(
        step_url("step_save", reflection, 3),
        {
            "notes-notes": "Vi vet inte vad sonen vill.",
            "notes-revision": "0",
            "then": then,
        },
    )

    target = {"next": 4, "previous": 2, "go-5": 5, "save": 3}[then]
    assert response["Location"] == step_url("step", reflection, target)
    assert reflection.steps.get(position=3).notes == "Vi vet inte vad sonen vill."
    reflection.refresh_from_db()
    assert reflection.current_step == target
    # The next page shows what was typed, when the facilitator goes back.
    page = client.get(step_url("step", reflection, 3))
    assert "Vi vet inte vad sonen vill." in page.text


def test_an_option_typed_but_not_added_is_saved_on_next(
    client, facilitator, reflection
):
    options = reflection.steps.get(kind=StepKind.OPTIONS).position
    sign_in(client, facilitator)

    client.post(
        step_url("step_save", reflection, options),
        {"item-text": "Vänta en vecka", "notes-notes": "", "then": "next"},
    )

    assert list(Option.objects.values_list("text", flat=True)) == ["Vänta en vecka"]
    reflection.refresh_from_db()
    assert reflection.current_step == options + 1


def test_an_invalid_entry_keeps_everything_and_moves_nothing(
    client, facilitator, reflection
):
    agreements = reflection.steps.get(kind=StepKind.AGREEMENTS).position
    reflection.move_to(agreements)
    sign_in(client, facilitator)

    response = client.post(
        step_url("step_save", reflection, agreements),
        {
            "notes-notes": "Anteckning som inte får försvinna.",
            "item-text": "Ringa kuratorn",
            "then": "next",
        },
    )

    assert response.status_code == 422
    assert "Anteckning som inte får försvinna." in response.text
    assert "Ringa kuratorn" in response.text
    assert response.context["item_form"].errors["owner"]
    reflection.refresh_from_db()
    assert reflection.current_step == agreements
    assert not Action.objects.exists()


def test_a_conflicting_save_keeps_both_texts_and_says_so(
    client, facilitator, manager, reflection
):
    notes = step_url("step_save", reflection, 1)
    sign_in(client, facilitator)
    client.post(
        notes, {"notes-notes": "Fredriks rad.", "notes-revision": "0"}, follow=True
    )
    sign_in(client, manager)

    response = client.post(
        notes,
        {"notes-notes": "Marias rad.", "notes-revision": "0"},
        follow=True,
    )

    saved = reflection.steps.get(position=1).notes
    assert saved.startswith("Fredriks rad.")
    assert saved.endswith("Marias rad.")
    assert (
        tr("sv", "Written at the same time by %(person)s:")
        % {"person": "Maria Manager"}
        in saved
    )
    assert [str(m) for m in response.context["messages"]] == [
        tr(
            "sv",
            "Someone else saved notes on this step at the same time. Both texts "
            "are kept, one after the other: tidy them up when you can.",
        )
    ]


def test_autosave_of_a_stale_page_keeps_both_and_shows_them(
    client, facilitator, manager, reflection
):
    notes = step_url("step_notes", reflection, 1)
    sign_in(client, facilitator)
    client.post(notes, {"notes-notes": "Först.", "notes-revision": "0"})
    sign_in(client, manager)

    response = client.post(
        notes,
        {"notes-notes": "Samtidigt.", "notes-revision": "0"},
        headers={"HX-Request": "true"},
    )

    assert response["HX-Retarget"] == "#notes"
    assert "Först." in response.text and "Samtidigt." in response.text


# Live for participants


def test_participants_follow_the_facilitators_step(
    client, member, facilitator, now_reflection
):
    reflection = now_reflection
    sign_in(client, member)
    page = client.get(live_url(reflection))
    assert page.status_code == 200
    assert page.context["step"].position == 1
    state = page.context["state"]
    pulse = step_url("pulse", reflection, 1)
    # The page asks every four seconds (REFLECTION_POLL_SECONDS).
    assert 'hx-trigger="every 4s"' in page.text

    # Nothing changed: nothing to swap.
    assert client.get(pulse, {"state": state, "following": "1"}).status_code == 204

    sign_in(client, facilitator)
    client.post(step_url("step_save", reflection, 1), {"then": "go-4"})
    sign_in(client, member)

    moved = client.get(
        pulse, {"state": state, "following": "1"}, headers={"HX-Request": "true"}
    )
    location = json.loads(moved["HX-Location"])
    assert location["path"] == live_url(reflection)
    assert location["target"] == "#main"
    follow = client.get(live_url(reflection))
    assert follow.context["step"].position == 4
    assert follow.context["step"].title in follow.text


def test_the_count_before_the_reveal_says_how_many_and_shows_no_text(
    client, member, colleague, facilitator, now_reflection
):
    reflection = now_reflection
    positions = reflection.steps.get(kind=StepKind.POSITIONS).position
    reflection.move_to(positions)
    sign_in(client, colleague)
    page = client.get(live_url(reflection))
    state = page.context["state"]
    sign_in(client, member)
    client.post(
        step_url("position_save", reflection, positions),
        {"position-body": "Hemlig ståndpunkt A."},
    )
    sign_in(client, facilitator)

    response = client.get(
        step_url("pulse", reflection, positions),
        {"state": state},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    # Three take part: the facilitator and the two members.
    assert (
        tr("sv", "%(count)s of %(total)s has written a position.")
        % {
            "count": 1,
            "total": 3,
        }
        in response.text
    )
    assert "Hemlig ståndpunkt A." not in response.text
    assert "<html" not in response.text
    facilitator_page = client.get(step_url("step", reflection, positions))
    assert "Hemlig ståndpunkt A." not in facilitator_page.text


def _pulse_region(html: str) -> str:
    """The polled region of a step page, its spacing evened out."""
    start = html.index('<div id="pulse"')
    region = html[start : html.index("</div>", start) + len("</div>")]
    return " ".join(region.split())


@pytest.mark.parametrize("who", ["facilitator", "member"])
def test_the_pulse_answers_with_the_region_the_page_shows(
    client, member, facilitator, now_reflection, who
):
    """The pulse builds only the polled region: the count, the time box and,
    for the facilitator, the timer's button, exactly as the page has them."""
    reflection = now_reflection
    positions = reflection.steps.get(kind=StepKind.POSITIONS)
    positions.minutes = 7
    positions.save(update_fields=["minutes"])
    reflection.move_to(positions.position)
    sign_in(client, member)
    client.post(
        step_url("position_save", reflection, positions.position),
        {"position-body": "Min ståndpunkt."},
    )
    sign_in(client, {"facilitator": facilitator, "member": member}[who])
    page = client.get(step_url("step", reflection, positions.position))

    pulse = client.get(
        step_url("pulse", reflection, positions.position),
        {"state": "stale"},
        headers={"HX-Request": "true"},
    )

    assert pulse.status_code == 200
    region = _pulse_region(pulse.text)
    assert region == _pulse_region(page.text)
    assert "Min ståndpunkt." not in region
    assert (tr("sv", "Start the timer") in region) == (who == "facilitator")
    assert (
        tr("sv", "%(count)s of %(total)s has written a position.")
        % {"count": 1, "total": 3}
        in region
    )


def test_a_session_running_is_shown_where_its_readers_look(
    client, member, admin_member, other_member, now_reflection
):
    reflection = now_reflection
    pages = [
        reverse("organisations:dashboard", kwargs={"org": "norrby"}),
        reverse(
            "meetings:group_detail",
            kwargs={"org": "norrby", "group_uuid": reflection.dilemma.group.uuid},
        ),
        reverse(
            "meetings:meeting_detail",
            kwargs={"org": "norrby", "meeting_uuid": reflection.meeting.uuid},
        ),
    ]
    sign_in(client, member)
    for page in pages:
        text = client.get(page).text
        assert tr("sv", "A session is running") in text, page
        assert live_url(reflection) in text, page
    # An administrator outside the group sees no case, running or not.
    sign_in(client, admin_member)
    for page in pages:
        text = client.get(page).text
        assert tr("sv", "A session is running") not in text, page
        assert reflection.dilemma.title not in text, page
    sign_in(client, other_member)
    dashboard = client.get(pages[0]).text
    assert tr("sv", "A session is running") not in dashboard


def test_no_running_session_before_the_day(client, member, reflection):
    sign_in(client, member)
    text = client.get(reverse("organisations:dashboard", kwargs={"org": "norrby"})).text
    assert tr("sv", "A session is running") not in text


# Running the session


def test_the_facilitator_starts_the_timer_and_everyone_sees_it(
    client, facilitator, member, reflection
):
    sign_in(client, facilitator)
    client.post(step_url("step_save", reflection, 1), {"then": "timer"})
    step = reflection.steps.get(position=1)
    assert step.timer_started is not None
    assert step.timer_ends == step.timer_started + datetime.timedelta(
        minutes=step.minutes
    )

    sign_in(client, member)
    page = client.get(step_url("step", reflection, 1))
    assert f'data-ends="{timezone.localtime(step.timer_ends).isoformat()}"' in (
        page.text
    )
    assert tr("sv", "%(left)s left").split("%(left)s")[1] in page.text


def test_the_progress_shows_every_step_and_the_case_is_open_on_the_first(
    client, member, reflection
):
    sign_in(client, member)
    first = client.get(step_url("step", reflection, 1)).text
    third = client.get(step_url("step", reflection, 3)).text

    assert tr("sv", "Step %(number)s of %(total)s") % {"number": 1, "total": 10} in (
        first
    )
    assert '<details class="case" open>' in first
    assert '<details class="case">' in third
    assert third.count('class="progress__link"') == 10
    assert 'aria-current="step"' in third


def test_values_can_be_cited_from_inside_the_step(
    client, org, group, dilemma, facilitator
):
    version = make_draft(make_base(org))
    items = fill(version)
    adopt(version, datetime.date(2024, 1, 1))
    reflection = start_reflection(
        make_meeting(group, timezone.localdate()), dilemma, facilitator
    )
    parties = reflection.steps.get(kind=StepKind.PERSPECTIVES).position
    sign_in(client, facilitator)
    page = client.get(step_url("step", reflection, parties))
    assert items["dignity"].title in page.text

    client.post(
        step_url("step_save", reflection, parties),
        {
            "cite-present": "1",
            "cite-values": [items["dignity"].pk],
            "cite-guidelines": [items["guideline"].pk],
        },
    )

    assert {str(c) for c in reflection.citations.all()} == {
        "Människors lika värde",
        "Bemötande",
    }


# Before sign-off everything stays editable


def test_items_are_changed_and_deleted_before_sign_off(client, facilitator, reflection):
    options = reflection.steps.get(kind=StepKind.OPTIONS)
    first = Option.objects.create(step=options, text="Fråga igen")
    second = Option.objects.create(step=options, text="Vänta")
    sign_in(client, facilitator)
    save = step_url("step_save", reflection, options.position)

    to_edit = client.post(
        save, {"then": f"edit-{first.pk}", "notes-notes": "Sparas på vägen."}
    )
    change = step_url("item_change", reflection, options.position, item_id=first.pk)
    assert to_edit["Location"] == change
    assert options.__class__.objects.get(pk=options.pk).notes == "Sparas på vägen."
    form = client.get(change)
    assert 'value="Fråga igen"' in form.text
    client.post(change, {"item-text": "Fråga igen i morgon"})
    first.refresh_from_db()
    assert first.text == "Fråga igen i morgon"

    client.post(save, {"then": f"delete-{second.pk}"})
    assert list(Option.objects.values_list("text", flat=True)) == [
        "Fråga igen i morgon"
    ]
    # Another step's item cannot be reached through this step.
    other = reflection.steps.get(kind=StepKind.PERSPECTIVES).position
    assert (
        client.get(
            step_url("item_change", reflection, other, item_id=first.pk)
        ).status_code
        == 404
    )


def test_an_action_due_in_the_past_asks_for_confirmation(
    client, facilitator, member, reflection
):
    agreements = reflection.steps.get(kind=StepKind.AGREEMENTS).position
    save = step_url("step_save", reflection, agreements)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = {
        "item-text": "Ringa sjuksköterskan",
        "item-owner": member.pk,
        "item-due": yesterday,
        "then": "add",
    }
    sign_in(client, facilitator)

    asked = client.post(save, data)

    assert asked.status_code == 422
    assert (
        tr(
            "sv",
            "This date has already passed. Choose a later one, or tick the box below "
            "to keep it.",
        )
        in asked.text
    )
    assert 'name="item-confirm_past_due"' in asked.text
    assert 'type="checkbox"' in asked.text
    assert not Action.objects.exists()

    client.post(save, {**data, "item-confirm_past_due": "on"})
    assert Action.objects.get().due.isoformat() == yesterday


def test_positions_save_with_htmx_and_after_the_reveal_no_more(
    client, member, facilitator, reflection
):
    positions = reflection.steps.get(kind=StepKind.POSITIONS).position
    sign_in(client, member)
    response = client.post(
        step_url("position_save", reflection, positions),
        {"position-body": "Utkast."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="position-status"' in response.text
    assert Position.objects.get(membership=member).body == "Utkast."


def test_another_facilitator_of_another_group_cannot_run_this_session(
    client, org, reflection
):
    stranger = make_member(org, "facilitator", email="stranger@norrby.example")
    sign_in(client, stranger)
    response = client.post(step_url("step_save", reflection, 1), {"then": "next"})
    assert response.status_code == 404
    reflection.refresh_from_db()
    assert reflection.current_step == 1
