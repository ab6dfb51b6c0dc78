"""A plan to the clock: the session fits its meeting, skips, pauses and goes on."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override, pgettext

from reflections import builtin
from reflections.models import AgendaItem, Method, sign_off
from tests.factories import sign_in
from tests.translations import tr

from .helpers import make_dilemma, make_meeting, start_reflection
from .test_log import pdf_text

pytestmark = pytest.mark.django_db

TEN_STEP_TOTAL = 95


def url(name: str, reflection, **extra) -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={"org": "norrby", "reflection_uuid": reflection.uuid, **extra},
    )


def minutes(count: int) -> str:
    with override("sv"):
        return ngettext("%(minutes)s minute", "%(minutes)s minutes", count) % {
            "minutes": count
        }


def text(response) -> str:
    """The page's text as a reader sees it: tags gone, entities decoded."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text)))


def plan_data(reflection, **changes) -> dict[str, str]:
    """The plan form as the page fills it, with `changes` typed over it."""
    data = {}
    for step in reflection.steps.all():
        data[f"plan-minutes_{step.position}"] = str(step.minutes)
        if step.skipped:
            data[f"plan-skip_{step.position}"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def hour_reflection(group, dilemma, facilitator):
    """A ten-step session whose 60-minute meeting began ten minutes ago."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=10)
    meeting = make_meeting(group, timezone.localdate())
    meeting.start, meeting.end = start, start + datetime.timedelta(minutes=60)
    meeting.save()
    return start_reflection(meeting, dilemma, facilitator)


@pytest.fixture
def next_meeting(group):
    return make_meeting(
        group, timezone.localdate() + datetime.timedelta(days=14), title="Nästa möte"
    )


# The plan and its total


@pytest.mark.parametrize("spec", builtin.METHODS, ids=lambda s: s["key"])
def test_every_built_in_method_ships_a_60_and_a_90_minute_plan_that_add_up(spec):
    assert set(spec["plans"]) == {60, 90}
    for length, boxes in spec["plans"].items():
        assert len(boxes) == len(spec["steps"])
        assert sum(m for m in boxes if m is not None) == length


def test_the_runner_shows_each_time_box_the_total_and_the_time_left(
    client, facilitator, hour_reflection
):
    sign_in(client, facilitator)
    page = text(client.get(url("step", hour_reflection, position=1)))

    # The ten steps' time boxes as shipped: 95 minutes for a 60-minute meeting.
    with override("sv"):
        box = ngettext("%(minutes)s min", "%(minutes)s min", 6) % {"minutes": 10}
        over = ngettext(
            "The plan is %(minutes)s minute longer than the meeting.",
            "The plan is %(minutes)s minutes longer than the meeting.",
            35,
        ) % {"minutes": 35}
    assert box in page
    assert f"{tr('sv', 'Planned')} {minutes(TEN_STEP_TOTAL)}" in page
    assert f"{tr('sv', 'The meeting')} {minutes(60)}" in page
    assert f"{tr('sv', 'Still to go')} {minutes(TEN_STEP_TOTAL)}" in page
    assert over in page
    # Fifty minutes are left as the page is made (49 if a minute turned).
    left = re.search(rf"{tr('sv', 'Left of the meeting')} (\d+)", page)
    assert left and int(left.group(1)) in {49, 50}


def test_picking_the_60_minute_plan_fits_the_session_to_its_meeting(
    client, facilitator, hour_reflection
):
    sign_in(client, facilitator)
    page = client.get(url("plan", hour_reflection))
    assert tr("sv", "Use the %(minutes)s-minute plan") % {"minutes": 60} in page.text

    response = client.post(
        url("plan", hour_reflection), {**plan_data(hour_reflection), "use": "60"}
    )

    assert response.status_code == 302
    plan = builtin.METHODS[0]["plans"][60]
    assert [s.minutes for s in hour_reflection.steps.all()] == list(plan)
    runner = text(client.get(url("step", hour_reflection, position=1)))
    assert f"{tr('sv', 'Planned')} {minutes(60)}" in runner
    assert tr("sv", "The meeting") in runner
    assert "längre än mötet" not in runner


def test_the_facilitator_shortens_lengthens_and_skips_steps(
    client, facilitator, hour_reflection
):
    sign_in(client, facilitator)
    data = plan_data(hour_reflection)
    data.update(
        {
            "plan-minutes_1": "5",
            "plan-minutes_4": "20",
            "plan-skip_3": "on",
            "plan-skip_5": "on",
            "plan-minutes_7": "8",
            "plan-minutes_9": "5",
        }
    )
    # 5 + 5 + 20 + 10 + 8 + 5 + 5 + 5 = 63: too long until one more is shortened.
    assert client.post(url("plan", hour_reflection), data).status_code == 422
    data["plan-minutes_6"] = "7"

    response = client.post(url("plan", hour_reflection), data)

    assert response.status_code == 302
    steps = {s.position: s for s in hour_reflection.steps.all()}
    assert (steps[1].minutes, steps[4].minutes, steps[6].minutes) == (5, 20, 7)
    assert {p for p, s in steps.items() if s.skipped} == {3, 5}
    # The runner marks them and passes them by.
    runner = client.get(url("step", hour_reflection, position=2))
    assert "progress__step--skipped" in runner.text
    assert tr("sv", "skipped") in text(runner)
    hour_reflection.move_to(2)
    moved = client.post(
        url("step_save", hour_reflection, position=2),
        {"notes-notes": "", "notes-revision": "0", "then": "next"},
    )
    assert moved["Location"] == url("step", hour_reflection, position=4)
    back = client.post(
        url("step_save", hour_reflection, position=6),
        {"notes-notes": "", "notes-revision": "0", "then": "previous"},
    )
    assert back["Location"] == url("step", hour_reflection, position=4)


def test_skipped_steps_are_in_the_log_and_its_pdf(
    client, facilitator, member, held_reflection
):
    step = held_reflection.step(3)
    step.skipped = True
    step.save(update_fields=["skipped"])
    sign_off(reflection=held_reflection, by=facilitator, conclusion="Klart.")
    sign_in(client, member)

    log = text(client.get(url("log", held_reflection)))
    pdf = pdf_text(client.get(url("log_pdf", held_reflection)).content)

    title = f"3. {step.title} · {tr('sv', 'skipped')}"
    assert title in log
    assert tr("sv", "The plan left this step out.") in log
    assert title in pdf
    assert tr("sv", "The plan left this step out.") in pdf
    # The steps that ran keep their time box.
    with override("sv"):
        timebox = ngettext(
            "Time box: %(minutes)s minute.", "Time box: %(minutes)s minutes.", 5
        ) % {"minutes": 5}
    assert timebox in log
    # Signed-off steps list: skipped, and done words for the rest.
    detail = text(client.get(url("detail", held_reflection)))
    assert f"{step.title} · {tr('sv', 'skipped')}" in detail


# Pausing and going on at the next meeting


def test_the_facilitator_pauses_and_the_group_goes_on_at_its_next_meeting(
    client, facilitator, member, hour_reflection, next_meeting
):
    first = hour_reflection.meeting
    hour_reflection.move_to(4)
    sign_in(client, facilitator)
    form = client.get(url("pause", hour_reflection))
    assert "Nästa möte" in form.text

    response = client.post(
        url("pause", hour_reflection), {"pause-meeting": str(next_meeting.pk)}
    )

    assert response["Location"] == url("step", hour_reflection, position=4)
    hour_reflection.refresh_from_db()
    assert hour_reflection.meeting == next_meeting
    assert hour_reflection.began_in == first
    assert hour_reflection.paused is not None
    assert hour_reflection.current_step == 4
    # The agenda goes along, so that the session is found at that meeting.
    item = AgendaItem.objects.get(dilemma=hour_reflection.dilemma)
    assert item.meeting == next_meeting
    runner = text(client.get(url("step", hour_reflection, position=4)))
    assert tr("sv", "Go on with the session") in runner
    # The record names both meetings.
    log = text(client.get(url("log", hour_reflection)))
    assert tr("sv", "Begun at") in log
    assert first.start.astimezone(timezone.get_current_timezone()).strftime("%Y") in log
    assert "Nästa möte" in log

    # At the next meeting the facilitator goes on where the group stopped.
    response = client.post(url("resume", hour_reflection))

    assert response["Location"] == url("step", hour_reflection, position=4)
    hour_reflection.refresh_from_db()
    assert hour_reflection.paused is None
    assert hour_reflection.began_in == first
    runner = text(client.get(url("step", hour_reflection, position=4)))
    assert tr("sv", "Go on with the session") not in runner
    # The second meeting has its own length: only the steps to go must fit it.
    assert f"{tr('sv', 'Still to go')} {minutes(15 + 10 + 10 + 15 + 5 + 10 + 5)}" in (
        runner
    )


def test_a_pause_needs_a_later_meeting_of_the_group(
    client, facilitator, hour_reflection
):
    sign_in(client, facilitator)
    page = client.get(url("pause", hour_reflection))
    assert tr(
        "sv",
        "The group has no later meeting to go on in. Schedule one first, "
        "then pause the session.",
    ) in html.unescape(page.text)

    response = client.post(url("pause", hour_reflection), {"pause-meeting": "999999"})

    assert response.status_code == 422
    hour_reflection.refresh_from_db()
    assert hour_reflection.paused is None and hour_reflection.began_in is None


# Who may change the plan


def test_participants_see_the_plan_but_only_the_facilitator_changes_it(
    client, member, hour_reflection, next_meeting
):
    sign_in(client, member)
    runner = text(client.get(url("step", hour_reflection, position=1)))
    assert f"{tr('sv', 'Planned')} {minutes(TEN_STEP_TOTAL)}" in runner
    assert tr("sv", "Fit the plan: shorten, lengthen or skip steps") not in runner

    assert client.get(url("plan", hour_reflection)).status_code == 403
    posted = client.post(
        url("plan", hour_reflection), plan_data(hour_reflection, **{"use": "60"})
    )
    assert posted.status_code == 403
    assert (
        client.post(
            url("pause", hour_reflection), {"pause-meeting": str(next_meeting.pk)}
        ).status_code
        == 403
    )
    assert [s.minutes for s in hour_reflection.steps.all()][0] == 10
    hour_reflection.refresh_from_db()
    assert hour_reflection.paused is None


def test_a_signed_off_plan_is_fixed(client, facilitator, held_reflection):
    sign_off(reflection=held_reflection, by=facilitator, conclusion="Klart.")
    sign_in(client, facilitator)
    assert client.get(url("plan", held_reflection)).status_code == 403
    assert client.post(url("resume", held_reflection)).status_code == 403


# Bad input: a translated message, and nothing typed is lost


def test_negative_minutes_are_refused_with_what_was_typed_kept(
    client, facilitator, hour_reflection
):
    sign_in(client, facilitator)
    data = plan_data(hour_reflection, **{"plan-minutes_2": "-5", "plan-longer": "on"})
    data["plan-minutes_7"] = "33"

    response = client.post(url("plan", hour_reflection), data)

    assert response.status_code == 422
    page = html.unescape(response.text)
    assert (
        tr("sv", "A time box is at least 1 minute. To leave the step out, tick Skip.")
        in page
    )
    assert 'value="-5"' in page and 'value="33"' in page
    assert 'href="#id_plan-minutes_2"' in page  # The error summary links to it.
    assert [s.minutes for s in hour_reflection.steps.all()][6] == 15


def test_a_plan_longer_than_the_meeting_is_refused_unless_the_group_goes_on_later(
    client, facilitator, hour_reflection
):
    sign_in(client, facilitator)
    data = plan_data(hour_reflection, **{"plan-minutes_1": "12"})

    response = client.post(url("plan", hour_reflection), data)

    assert response.status_code == 422
    message = tr(
        "sv",
        "The plan takes %(total)s minutes, but the meeting is %(length)s minutes "
        "long. Shorten or skip steps, or tick the box below if the group will go "
        "on at its next meeting.",
    ) % {"total": 97, "length": 60}
    assert message in html.unescape(response.text)
    assert 'value="12"' in response.text
    assert hour_reflection.step(1).minutes == 10

    data["plan-longer"] = "on"
    assert client.post(url("plan", hour_reflection), data).status_code == 302
    assert hour_reflection.step(1).minutes == 12

    # A ready plan longer than the meeting is refused the same way.
    response = client.post(
        url("plan", hour_reflection), {**plan_data(hour_reflection), "use": "90"}
    )
    assert response.status_code == 422
    assert hour_reflection.step(1).minutes == 12


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"plan-minutes_99": "5"},
            "The plan names a step this session does not have. Reload the page "
            "and fit the plan again.",
        ),
        ({"plan-skip_11": "on"}, None),
        ({"use": "75"}, "This method has no such ready plan."),
        ({"use": "sixty"}, "This method has no such ready plan."),
        ({"plan-minutes_3": "tio"}, "Write the minutes as a whole number."),
        ({"plan-minutes_3": "900"}, None),
        ({"plan-minutes_3": ""}, "Give the step a time box in minutes, or tick Skip."),
    ],
)
def test_bad_plans_get_a_translated_message_and_change_nothing(
    client, facilitator, hour_reflection, changes, message
):
    sign_in(client, facilitator)
    before = [(s.minutes, s.skipped) for s in hour_reflection.steps.all()]

    response = client.post(
        url("plan", hour_reflection),
        plan_data(hour_reflection, **{"plan-longer": "on", **changes}),
    )

    assert response.status_code == 422
    assert 'class="error-summary' in response.text or "error-summary" in response.text
    if message:
        assert tr("sv", message) in html.unescape(response.text)
    assert [(s.minutes, s.skipped) for s in hour_reflection.steps.all()] == before


def test_a_step_with_notes_cannot_be_skipped(client, facilitator, hour_reflection):
    step = hour_reflection.step(2)
    step.save_notes("Vi har redan pratat om detta.", revision=None, by=facilitator)
    sign_in(client, facilitator)

    response = client.post(
        url("plan", hour_reflection),
        plan_data(hour_reflection, **{"plan-skip_2": "on", "plan-longer": "on"}),
    )

    assert response.status_code == 422
    assert tr(
        "sv",
        "Something is already written on this step, so it cannot be skipped: it "
        "stays in the record.",
    ) in html.unescape(response.text)
    assert not hour_reflection.step(2).skipped


# Where you are: done, current and remaining; one's own position


def test_facilitator_and_participants_see_done_current_and_remaining_steps(
    client, facilitator, member, hour_reflection
):
    hour_reflection.move_to(3)
    for person in (facilitator, member):
        sign_in(client, person)
        page = client.get(url("step", hour_reflection, position=3))
        steps = page.text.split('class="progress__steps"')[1].split("</ol>")[0]
        items = steps.split("<li")[1:]
        with override("sv"):
            done = pgettext("step", "done")
        assert all(done in i for i in items[:2])
        assert all(done not in i for i in items[2:])
        assert tr("sv", "current step: the group is here") in items[2]
        assert 'aria-current="step"' in items[2]
        assert "aria-current" not in "".join(items[:2] + items[3:])


def test_a_participants_position_field_is_labelled_as_theirs_and_private(
    client, member, hour_reflection
):
    positions = hour_reflection.steps.get(kind="positions").position
    hour_reflection.move_to(positions)
    sign_in(client, member)

    page = client.get(url("step", hour_reflection, position=positions)).text

    section = page.split('id="positions"')[1].split("</section>")[0]
    assert tr("sv", "Your own position") in section
    assert (
        tr(
            "sv",
            "Only you can see it until the facilitator reveals all positions together.",
        )
        in section
    )
    assert 'name="position-body"' in section
    # Not under the notes heading.
    notes = page.split('id="notes"')[1]
    assert 'name="position-body"' not in notes


# The closing round


def test_the_ten_step_methods_last_step_is_the_closing_round(org):
    method = Method.objects.seeded_for(org).get(key="dilemma-method")
    last = method.steps.order_by("position").last()
    assert last.title == tr("sv", "Closing round")
    assert last.title != tr("sv", "Evaluation")


def test_the_rename_reaches_methods_and_open_sessions_but_not_signed_off_records(
    org, facilitator, group, dilemma, member, held_reflection
):
    """The data migration, run over rows seeded under the old name."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("reflections.migrations.0009_closing_round")
    method = Method.objects.seeded_for(org).get(key="dilemma-method")
    last = method.steps.order_by("position").last()
    last.title = "Utvärdering"
    last.save()
    copy = method.copy(name="Vår tiostegsmetod")
    open_step = held_reflection.steps.order_by("position").last()
    open_step.title = "Utvärdering"
    open_step.save()
    other = make_meeting(group, timezone.localdate() - datetime.timedelta(days=3))
    signed = start_reflection(other, make_dilemma(group, member), facilitator)
    signed_step = signed.steps.order_by("position").last()
    signed_step.title = "Utvärdering"
    signed_step.save()
    sign_off(reflection=signed, by=facilitator, conclusion="Klart.")

    migration.forwards(apps, None)

    assert method.steps.order_by("position").last().title == "Avslutande runda"
    assert copy.steps.order_by("position").last().title == "Avslutande runda"
    open_step.refresh_from_db()
    assert open_step.title == "Avslutande runda"
    signed_step.refresh_from_db()
    assert signed_step.title == "Utvärdering"


def test_a_following_page_learns_of_a_changed_plan_and_a_pause(
    client, member, facilitator, hour_reflection, next_meeting
):
    sign_in(client, member)
    state = client.get(url("live", hour_reflection)).context["state"]
    pulse = url("pulse", hour_reflection, position=1)
    follow = {"state": state, "following": "1"}
    assert client.get(pulse, follow).status_code == 204

    sign_in(client, facilitator)
    client.post(
        url("plan", hour_reflection), {**plan_data(hour_reflection), "use": "60"}
    )
    sign_in(client, member)
    assert client.get(pulse, follow, headers={"HX-Request": "true"}).status_code == 200
    state = client.get(url("live", hour_reflection)).context["state"]

    sign_in(client, facilitator)
    client.post(url("pause", hour_reflection), {"pause-meeting": str(next_meeting.pk)})
    sign_in(client, member)
    moved = client.get(pulse, {"state": state, "following": "1"})
    assert moved.status_code == 200
    live = text(client.get(url("live", hour_reflection)))
    paused = tr(
        "sv",
        "The session was paused on %(day)s at step %(number)s. The group goes on "
        "from there at the meeting on %(next)s.",
    )
    assert paused.split("%(day)s")[0].strip() in live
    assert tr("sv", "Go on with the session") not in live  # The facilitator's button.
