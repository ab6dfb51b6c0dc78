"""Adoption dates keep the history true (docs/value-base.md, "Adopt").

A version is in force before its adoption only with a stated reason, and never
on a day for which signed-off reflections already cite another version.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from meetings.models import Meeting
from reflections.models import sign_off
from tests.dilemmas.helpers import make_dilemma, start_reflection
from tests.factories import make_group, make_member, sign_in
from tests.translations import tr
from values.models import (
    CitedElsewhereError,
    ImmutableVersionError,
    RetroactiveWithoutReasonError,
    Version,
)
from values.textformat import export_version

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def base(org):
    return make_base(org)


@pytest.fixture
def current(base):
    version = make_draft(base, 1)
    fill(version)
    return adopt(version, D(2024, 1, 1))


@pytest.fixture
def draft(current):
    return current.start_next_draft(author=None)


@pytest.fixture
def facilitator(org, unit):
    return make_member(org, "facilitator", unit=unit, name="Fia Facilitator")


@pytest.fixture
def group(org, unit, facilitator, staff):
    return make_group(
        org, unit, "Etikgruppen Väst", facilitators=[facilitator], members=[staff]
    )


def reflection_at(group, facilitator, author, start: datetime.datetime, *, signed=True):
    """A reflection of a meeting starting at `start`, signed off unless asked not to."""
    meeting = Meeting.objects.create(
        organisation=group.organisation,
        group=group,
        title="Etisk reflektion",
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    reflection = start_reflection(meeting, make_dilemma(group, author), facilitator)
    if signed:
        reflection = sign_off(
            reflection=reflection, by=facilitator, conclusion="Klart."
        )
    return reflection


@pytest.mark.django_db
class TestRetroactive:
    def test_before_adoption_needs_a_reason(self, draft):
        with pytest.raises(RetroactiveWithoutReasonError):
            draft.adopt(
                adopted_on=D(2025, 3, 1),
                adopted_by="Nämnden",
                effective_from=D(2025, 2, 28),
            )
        draft.refresh_from_db()
        assert draft.is_draft

    def test_with_a_reason_it_is_kept(self, draft):
        draft.adopt(
            adopted_on=D(2025, 3, 1),
            adopted_by="Nämnden",
            effective_from=D(2025, 2, 1),
            retroactive_reason="  Nämndens beslut gäller från februari.  ",
        )
        draft.refresh_from_db()
        assert draft.retroactive_reason == "Nämndens beslut gäller från februari."

    def test_on_the_adoption_day_no_reason_is_needed_or_kept(self, draft):
        draft.adopt(
            adopted_on=D(2025, 3, 1),
            adopted_by="Nämnden",
            effective_from=D(2025, 3, 1),
            retroactive_reason="Inte retroaktiv.",
        )
        draft.refresh_from_db()
        assert (draft.status, draft.retroactive_reason) == ("adopted", "")

    def test_the_database_refuses_it_too(self, base):
        with pytest.raises(IntegrityError), transaction.atomic():
            Version.objects.create(
                value_base=base,
                number=7,
                title="Bakdaterad",
                status=Version.Status.ADOPTED,
                adopted_on=D(2025, 3, 1),
                adopted_by="Nämnden",
                effective_from=D(2025, 2, 1),
            )


@pytest.mark.django_db
class TestCitedVersions:
    def test_a_signed_reflection_on_the_day_blocks_it(
        self, draft, group, facilitator, staff
    ):
        # Midnight in Stockholm is still the day before in UTC.
        start = datetime.datetime(2025, 6, 10, 0, 0, tzinfo=STOCKHOLM)
        reflection = reflection_at(group, facilitator, staff, start)
        assert reflection.version.number == 1
        with pytest.raises(CitedElsewhereError) as caught:
            adopt(draft, D(2025, 6, 10), adopted_on=D(2025, 6, 1))
        assert caught.value.reflections == [reflection]
        draft.refresh_from_db()
        assert draft.is_draft
        adopt(
            draft,
            D(2025, 6, 11),
            adopted_on=D(2025, 6, 20),
            retroactive_reason="Beslut i juni.",
        )
        assert Version.objects.get(pk=draft.pk).effective_from == D(2025, 6, 11)

    def test_the_day_is_the_organisations(self, draft, group, facilitator, staff):
        # 23:59 in Stockholm on the 10th; already the 11th nowhere near UTC.
        reflection_at(
            group,
            facilitator,
            staff,
            datetime.datetime(2025, 6, 10, 23, 59, tzinfo=STOCKHOLM),
        )
        with pytest.raises(CitedElsewhereError):
            adopt(draft, D(2025, 6, 10), adopted_on=D(2025, 6, 1))
        adopt(draft, D(2025, 6, 11), adopted_on=D(2025, 6, 1))
        assert draft.status == Version.Status.ADOPTED

    def test_open_and_earlier_reflections_do_not_block(
        self, draft, group, facilitator, staff
    ):
        reflection_at(
            group,
            facilitator,
            staff,
            datetime.datetime(2025, 6, 9, 13, 0, tzinfo=STOCKHOLM),
        )
        reflection_at(
            group,
            facilitator,
            staff,
            datetime.datetime(2025, 7, 1, 13, 0, tzinfo=STOCKHOLM),
            signed=False,
        )
        adopt(draft, D(2025, 6, 10), adopted_on=D(2025, 6, 1))
        assert draft.status == Version.Status.ADOPTED


def adopt_url(org, number=2):
    return reverse(
        "values:adopt", kwargs={"org": org.slug, "base": "vardegrund", "number": number}
    )


ADOPTION = {
    "adopted_on": "2025-03-01",
    "adopted_by": "Socialnämnden",
    "effective_from": "2025-02-01",
    "confirm": "on",
}


@pytest.mark.django_db
class TestAdoptPage:
    @pytest.fixture
    def editor(self, org):
        return make_member(org, "editor")

    def test_retroactive_date_asks_for_the_box(self, client, org, editor, draft):
        sign_in(client, editor)
        response = client.post(adopt_url(org), ADOPTION)
        assert response.status_code == 200
        # The adoption day as the organisation's language writes a date.
        [error] = response.context["form"].errors["effective_from"]
        assert "1 mars 2025" in error and "2025-03-01" not in error
        assert error in response.text
        assert 'value="Socialnämnden"' in response.text  # nothing typed is lost
        assert Version.objects.get(pk=draft.pk).is_draft

    def test_the_reason_follows_its_box(self, client, org, editor, draft):
        sign_in(client, editor)
        page = client.get(adopt_url(org)).text
        # Shown by CSS once the box is ticked (no JavaScript), right after it.
        reveal = page.split('<div class="reveal">', 1)[1]
        control, content = reveal.split('<div class="reveal__content">', 1)
        assert 'name="retroactive"' in control
        assert 'name="retroactive_reason"' not in control
        assert 'name="retroactive_reason"' in content.split('<div class="reveal')[0]

    def test_the_box_needs_a_reason(self, client, org, editor, draft):
        sign_in(client, editor)
        response = client.post(adopt_url(org), {**ADOPTION, "retroactive": "on"})
        assert response.context["form"].errors["retroactive_reason"]
        assert Version.objects.get(pk=draft.pk).is_draft

    def test_retroactive_with_reason(self, client, org, editor, staff, draft):
        sign_in(client, editor)
        response = client.post(
            adopt_url(org),
            {
                **ADOPTION,
                "retroactive": "on",
                "retroactive_reason": "Nämnden beslutade så.",
            },
        )
        assert response.status_code == 302
        version = Version.objects.get(pk=draft.pk)
        assert (version.status, version.retroactive_reason) == (
            "adopted",
            "Nämnden beslutade så.",
        )
        adopted = client.get(response["Location"])
        said = [str(m) for m in adopted.context["messages"]]
        assert said == [
            tr("sv", "Version %(number)s was adopted. It is in force from %(date)s.")
            % {"number": 2, "date": "1 februari 2025"}
        ]
        sign_in(client, staff)
        page = client.get(response["Location"])
        assert "Nämnden beslutade så." in page.text

    def test_cited_versions_are_listed(
        self, client, org, editor, draft, group, facilitator, staff
    ):
        reflection_at(
            group,
            facilitator,
            staff,
            datetime.datetime(2025, 2, 14, 10, 0, tzinfo=STOCKHOLM),
        )
        sign_in(client, editor)
        response = client.post(
            adopt_url(org),
            {
                **ADOPTION,
                "retroactive": "on",
                "retroactive_reason": "Nämnden beslutade så.",
            },
        )
        assert response.status_code == 200
        assert [r.meeting.start.date() for r in response.context["cited"]] == [
            D(2025, 2, 14)
        ]
        assert "Etikgruppen Väst" in response.text
        # The case itself is not named to the editor.
        assert "Hemtjänst mot brukarens vilja" not in response.text
        assert Version.objects.get(pk=draft.pk).is_draft

    def test_staff_forbidden_and_method_not_allowed(
        self, client, org, staff, editor, draft
    ):
        sign_in(client, staff)
        assert client.post(adopt_url(org), ADOPTION).status_code == 403
        sign_in(client, editor)
        assert client.put(adopt_url(org)).status_code == 405

    def test_anonymous_and_other_organisation(self, client, org, outsider, draft):
        assert client.post(adopt_url(org), ADOPTION).status_code == 302
        sign_in(client, outsider)
        assert client.post(adopt_url(org), ADOPTION).status_code == 404
        assert Version.objects.get(pk=draft.pk).is_draft


@pytest.mark.django_db
def test_command_needs_the_reason_too(org, current, tmp_path):
    draft = current.start_next_draft(author=None)
    text = export_version(draft).replace(
        "title: ",
        "adopted-on: 2025-03-01\nadopted-by: Nämnden\n"
        "effective-from: 2025-02-01\ntitle: ",
        1,
    )
    draft.delete()
    path = Path(tmp_path) / "v2.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="retroactive"):
        call_command(
            "import_value_base", str(path), org=org.slug, base="vardegrund", adopt=True
        )
    assert not Version.objects.filter(number=2).exists()
    call_command(
        "import_value_base",
        str(path),
        org=org.slug,
        base="vardegrund",
        adopt=True,
        retroactive="Nämnden beslutade det.",
    )
    assert Version.objects.get(number=2).retroactive_reason == "Nämnden beslutade det."


@pytest.mark.django_db(transaction=True)
def test_earlier_retroactive_adoptions_get_a_note(org):
    """Versions adopted retroactively before the rule keep their dates and gain
    a note, in the organisation's language, so the new constraint holds."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("values", "0002_database_guards")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("values", "Version")
    old.objects.create(
        value_base_id=make_base(org).pk,
        number=1,
        title="Bakdaterad",
        status="adopted",
        adopted_on=D(2024, 3, 1),
        adopted_by="Nämnden",
        effective_from=D(2024, 1, 1),
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # On through 0003_retroactive_reason to the latest migration of every app:
    # going back to 0002 unapplied those that build on the versions' table.
    executor.migrate(executor.loader.graph.leaf_nodes())
    version = Version.objects.get(number=1)
    assert version.retroactive_reason == (
        "Antogs med retroaktiv verkan innan ett skäl behövde anges."
    )
    assert version.effective_from == D(2024, 1, 1)
    # The note is as fixed as the rest of the version, on every path.
    with pytest.raises(ImmutableVersionError), transaction.atomic():
        Version.objects.filter(pk=version.pk).update(retroactive_reason="")
    if connection.vendor == "postgresql":
        with (
            pytest.raises(IntegrityError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE values_version SET retroactive_reason = 'x' WHERE id = %s",
                [version.pk],
            )
