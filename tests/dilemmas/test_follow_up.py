from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections.models import Action, sign_off
from tests.factories import sign_in

from .helpers import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(reflection, member, facilitator):
    action = Action.objects.create(
        organisation=reflection.organisation,
        reflection=reflection,
        text="Boka möte med anhöriga",
        owner=member,
        due=timezone.localdate() - datetime.timedelta(days=3),
    )
    sign_off(reflection=reflection, by=facilitator, conclusion="Klart.")
    return action


def done_url(action) -> str:
    return reverse(
        "reflections:action_done", kwargs={"org": "norrby", "action_uuid": action.uuid}
    )


def test_open_actions_show_on_the_group_page_and_the_next_meeting(
    client, member, group, action
):
    sign_in(client, member)
    page = client.get(
        reverse(
            "meetings:group_detail", kwargs={"org": "norrby", "group_uuid": group.uuid}
        )
    )
    assert "Boka möte med anhöriga" in page.text
    next_meeting = make_meeting(group, timezone.localdate() + datetime.timedelta(14))
    page = client.get(
        reverse(
            "meetings:meeting_detail",
            kwargs={"org": "norrby", "meeting_uuid": next_meeting.uuid},
        )
    )
    assert "Boka möte med anhöriga" in page.text
    assert done_url(action) in page.text


def test_owner_marks_done_with_a_note_after_sign_off(client, member, action):
    sign_in(client, member)
    assert client.get(done_url(action)).status_code == 405

    response = client.post(done_url(action), {"note": "Mötet hölls den 3 mars."})

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done is not None
    assert action.done_by == member
    assert action.done_note == "Mötet hölls den 3 mars."
    assert (
        "Boka möte"
        not in client.get(
            reverse("reflections:action_list", kwargs={"org": "norrby"})
        ).text
    )


def test_someone_else_in_the_group_cannot_mark_it_done(client, colleague, action):
    sign_in(client, colleague)
    assert client.post(done_url(action), {"note": ""}).status_code == 403
    action.refresh_from_db()
    assert action.done is None


def test_other_group_and_other_organisation_get_404(
    client, other_member, outsider, action
):
    for person in (other_member, outsider):
        sign_in(client, person)
        assert client.post(done_url(action), {"note": ""}).status_code == 404
    action.refresh_from_db()
    assert action.done is None


def test_managers_see_overdue_actions_for_their_units(
    client, manager, other_member, action
):
    url = reverse("reflections:action_list", kwargs={"org": "norrby"})
    sign_in(client, manager)
    page = client.get(url)
    assert "Boka möte med anhöriga" in page.text
    assert "Maja Member" in page.text

    sign_in(client, other_member)
    assert "Boka möte med anhöriga" not in client.get(url).text


def test_dashboard_shows_next_meetings_open_actions_and_the_value_base(
    client, member, facilitator, group, action
):
    from tests.translations import tr
    from tests.values.helpers import adopt, fill, make_base, make_draft

    base = make_base(group.organisation)
    version = make_draft(base)
    fill(version)
    adopt(version, datetime.date(2024, 1, 1))
    upcoming = make_meeting(
        group, timezone.localdate() + datetime.timedelta(days=7), title="Nästa"
    )
    dashboard = reverse("organisations:dashboard", args=["norrby"])
    # Only the owner's own actions are listed.
    sign_in(client, facilitator)
    assert "Boka möte med anhöriga" not in client.get(dashboard).text
    client.logout()
    sign_in(client, member)
    page = client.get(dashboard).text
    assert "Boka möte med anhöriga" in page
    assert tr("sv", "overdue") in page
    assert (
        reverse(
            "meetings:meeting_detail",
            kwargs={"org": "norrby", "meeting_uuid": upcoming.uuid},
        )
        in page
    )
    assert base.name in page
