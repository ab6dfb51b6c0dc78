from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from tests.factories import PASSWORD, make_member
from tests.translations import tr
from values.models import CoreValue, Version

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date


@pytest.fixture
def editor(org, unit):
    return make_member(org, "editor", unit=unit, name="Edit Editor")


@pytest.fixture
def base(org):
    return make_base(org)


@pytest.fixture
def current(base):
    version = make_draft(base, 1)
    items = fill(version)
    adopt(version, D(2024, 1, 1))
    return version, items


@pytest.fixture
def draft(current):
    return current[0].start_next_draft(author=None)


def login(client, membership):
    client.login(email=membership.user.email, password=PASSWORD)
    return client


def url(name, org, **kwargs):
    return reverse(f"values:{name}", kwargs={"org": org.slug, **kwargs})


@pytest.mark.django_db
class TestStartDraft:
    def test_copies_latest(self, client, org, editor, base, current):
        response = login(client, editor).post(url("draft_start", org, base=base.slug))
        draft = base.versions.get(status=Version.Status.DRAFT)
        assert response.status_code == 302
        assert response["Location"] == url("draft_edit", org, base=base.slug, number=2)
        assert draft.number == 2
        assert list(draft.values.values_list("key", flat=True)) == [
            "dignity",
            "integrity",
        ]

    def test_second_start_goes_to_existing(self, client, org, editor, base, draft):
        response = login(client, editor).post(url("draft_start", org, base=base.slug))
        assert response["Location"] == url("draft_edit", org, base=base.slug, number=2)
        assert base.versions.filter(status=Version.Status.DRAFT).count() == 1

    def test_staff_forbidden(self, client, org, staff, base, current):
        response = login(client, staff).post(url("draft_start", org, base=base.slug))
        assert response.status_code == 403
        assert not base.versions.filter(status=Version.Status.DRAFT).exists()

    def test_get_not_allowed(self, client, org, editor, base, current):
        response = login(client, editor).get(url("draft_start", org, base=base.slug))
        assert response.status_code == 405


@pytest.mark.django_db
class TestEditItems:
    def test_edit_page_lists_everything(self, client, org, editor, base, draft):
        response = login(client, editor).get(
            url("draft_edit", org, base=base.slug, number=2)
        )
        assert response.status_code == 200
        for text in [
            "Bakgrund",
            "Socialtjänstlagen",
            "Integritet",
            "Vi lyssnar",
            "Bemötande",
        ]:
            assert text in response.text

    def test_edit_value_without_javascript(self, client, org, editor, base, draft):
        value = draft.values.get(key="dignity")
        page = url(
            "item_edit", org, base=base.slug, number=2, kind="value", item_id=value.pk
        )
        form = login(client, editor).get(page)
        assert form.status_code == 200
        assert 'name="revision" value="1"' in form.text
        response = client.post(
            page, {"title": "Lika värde", "description": "Ny text.", "revision": "1"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"#value-{value.pk}")
        value.refresh_from_db()
        assert (value.title, value.description, value.revision) == (
            "Lika värde",
            "Ny text.",
            2,
        )

    def test_edit_with_htmx_returns_the_item(self, client, org, editor, base, draft):
        value = draft.values.get(key="dignity")
        page = url(
            "item_edit", org, base=base.slug, number=2, kind="value", item_id=value.pk
        )
        response = login(client, editor).post(
            page,
            {"title": "Lika värde", "description": "Ny text.", "revision": "1"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert response.text.lstrip().startswith(
            f'<li class="edit-item" id="value-{value.pk}"'
        )
        assert "Lika värde" in response.text

    def test_conflict_keeps_typed_text(self, client, org, editor, base, draft):
        value = draft.values.get(key="dignity")
        page = url(
            "item_edit", org, base=base.slug, number=2, kind="value", item_id=value.pk
        )
        # Someone else saves first.
        value.title = "Deras rubrik"
        value.save()
        response = login(client, editor).post(
            page, {"title": "Min rubrik", "description": "Min text.", "revision": "1"}
        )
        assert response.status_code == 409
        message = tr(
            "sv",
            "Someone else saved this item while you were editing it. Your text is "
            "still in the form; the saved text is shown below it. Save again to "
            "replace theirs with yours.",
        )
        assert escape(message) in response.text
        assert 'value="Min rubrik"' in response.text
        assert "Deras rubrik" in response.text
        value.refresh_from_db()
        assert value.title == "Deras rubrik"
        # Saving again, having seen theirs, replaces it.
        assert 'name="revision" value="2"' in response.text
        client.post(
            page, {"title": "Min rubrik", "description": "Min text.", "revision": "2"}
        )
        value.refresh_from_db()
        assert value.title == "Min rubrik"

    def test_invalid_input_keeps_text(self, client, org, editor, base, draft):
        value = draft.values.get(key="dignity")
        page = url(
            "item_edit", org, base=base.slug, number=2, kind="value", item_id=value.pk
        )
        response = login(client, editor).post(
            page, {"title": "", "description": "Bara en beskrivning", "revision": "1"}
        )
        assert response.status_code == 200
        assert "Bara en beskrivning" in response.text
        assert 'aria-invalid="true"' in response.text

    def test_add_value_and_commitment(self, client, org, editor, base, draft):
        login(client, editor)
        response = client.post(
            url("item_add", org, base=base.slug, number=2, kind="value"),
            {"title": "Delaktighet", "description": "Vi planerar tillsammans."},
        )
        assert response.status_code == 302
        value = draft.values.get(title="Delaktighet")
        assert value.key == "delaktighet"
        assert value.position == 3
        response = client.post(
            url("item_add", org, base=base.slug, number=2, kind="commitment")
            + f"?value={value.pk}",
            {"text": "Vi frågar vad personen själv vill."},
        )
        assert response.status_code == 302
        assert value.commitments.get().text == "Vi frågar vad personen själv vill."

    @pytest.mark.parametrize("junk", ["²", "١", "1²", "", "x"])
    def test_a_commitment_for_a_value_that_is_no_number_is_404(
        self, client, org, editor, base, draft, junk
    ):
        login(client, editor)
        response = client.get(
            url("item_add", org, base=base.slug, number=2, kind="commitment"),
            {"value": junk},
        )
        assert response.status_code == 404

    def test_add_guideline_with_values(self, client, org, editor, base, draft, current):
        audience = current[1]["audience"]
        integrity = draft.values.get(key="integrity")
        response = login(client, editor).post(
            url("item_add", org, base=base.slug, number=2, kind="guideline"),
            {
                "audience": audience.pk,
                "title": "Sekretess",
                "text": "Vi talar inte om brukare utanför arbetet.",
                "related_values": [integrity.pk],
            },
        )
        assert response.status_code == 302
        guideline = draft.guidelines.get(title="Sekretess")
        assert list(guideline.related_values.all()) == [integrity]

    def test_guideline_cannot_link_values_of_other_versions(
        self, client, org, editor, base, draft, current
    ):
        old_value = current[1]["dignity"]
        response = login(client, editor).post(
            url("item_add", org, base=base.slug, number=2, kind="guideline"),
            {
                "audience": current[1]["audience"].pk,
                "title": "Fel",
                "text": "Text",
                "related_values": [old_value.pk],
            },
        )
        assert response.status_code == 200
        assert not draft.guidelines.filter(title="Fel").exists()

    def test_remove_and_move(self, client, org, editor, base, draft):
        login(client, editor)
        dignity = draft.values.get(key="dignity")
        integrity = draft.values.get(key="integrity")
        client.post(
            url(
                "item_move",
                org,
                base=base.slug,
                number=2,
                kind="value",
                item_id=integrity.pk,
            ),
            {"direction": "up"},
        )
        assert list(draft.values.values_list("key", flat=True)) == [
            "integrity",
            "dignity",
        ]
        client.post(
            url(
                "item_delete",
                org,
                base=base.slug,
                number=2,
                kind="value",
                item_id=dignity.pk,
            )
        )
        assert list(draft.values.values_list("key", flat=True)) == ["integrity"]

    def test_unknown_kind_is_404(self, client, org, editor, base, draft):
        response = login(client, editor).get(
            url("item_add", org, base=base.slug, number=2, kind="nonsense")
        )
        assert response.status_code == 404

    def test_adopted_version_cannot_be_edited(self, client, org, editor, base, current):
        version, items = current
        value = items["dignity"]
        page = url(
            "item_edit", org, base=base.slug, number=1, kind="value", item_id=value.pk
        )
        response = login(client, editor).post(
            page, {"title": "Ändrad", "description": "x", "revision": "1"}
        )
        assert response.status_code == 404
        value.refresh_from_db()
        assert value.title == "Människors lika värde"

    def test_item_of_other_draft_is_404(
        self, client, org, editor, base, draft, other_org
    ):
        other_base = make_base(other_org)
        other_draft = make_draft(other_base)
        other_value = fill(other_draft)["dignity"]
        page = url(
            "item_edit",
            org,
            base=base.slug,
            number=2,
            kind="value",
            item_id=other_value.pk,
        )
        assert login(client, editor).get(page).status_code == 404

    def test_staff_cannot_edit(self, client, org, staff, base, draft):
        value = draft.values.get(key="dignity")
        page = url(
            "item_edit", org, base=base.slug, number=2, kind="value", item_id=value.pk
        )
        assert login(client, staff).get(page).status_code == 403


@pytest.mark.django_db
class TestAdopt:
    def test_adopt(self, client, org, editor, base, current, draft):
        today = timezone.localdate()
        response = login(client, editor).post(
            url("adopt", org, base=base.slug, number=2),
            {
                "adopted_on": today.isoformat(),
                "adopted_by": "Socialnämnden",
                "effective_from": (today + datetime.timedelta(days=30)).isoformat(),
                "confirm": "on",
            },
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        current[0].refresh_from_db()
        assert draft.status == Version.Status.ADOPTED
        assert draft.adopted_by == "Socialnämnden"
        assert current[0].status == Version.Status.SUPERSEDED
        assert current[0].effective_until == today + datetime.timedelta(days=30)

    def test_effective_date_before_current_is_refused(
        self, client, org, editor, base, current, draft
    ):
        response = login(client, editor).post(
            url("adopt", org, base=base.slug, number=2),
            {
                "adopted_on": "2023-06-01",
                "adopted_by": "Socialnämnden",
                "effective_from": "2023-12-31",
                "confirm": "on",
            },
        )
        assert response.status_code == 200
        # The day the current version came into force, as Swedish writes it.
        with translation.override("sv"):
            in_force = date_format(datetime.date(2024, 1, 1), "DATE_FORMAT")
        assert in_force == "1 januari 2024"
        assert in_force in response.text
        assert 'value="Socialnämnden"' in response.text
        draft.refresh_from_db()
        assert draft.is_draft

    def test_confirmation_and_future_adoption_date(
        self, client, org, editor, base, draft
    ):
        future = timezone.localdate() + datetime.timedelta(days=3)
        response = login(client, editor).post(
            url("adopt", org, base=base.slug, number=2),
            {
                "adopted_on": future.isoformat(),
                "adopted_by": "Socialnämnden",
                "effective_from": future.isoformat(),
            },
        )
        assert response.status_code == 200
        assert len(response.context["form"].errors) == 2
        draft.refresh_from_db()
        assert draft.is_draft


@pytest.mark.django_db
class TestDiscard:
    def test_needs_confirmation(self, client, org, editor, base, draft):
        login(client, editor).post(url("discard", org, base=base.slug, number=2))
        assert Version.objects.filter(pk=draft.pk).exists()

    def test_discard(self, client, org, editor, base, draft):
        response = login(client, editor).post(
            url("discard", org, base=base.slug, number=2), {"confirm": "yes"}
        )
        assert response.status_code == 302
        assert not Version.objects.filter(pk=draft.pk).exists()
        assert not CoreValue.objects.filter(version_id=draft.pk).exists()
        assert base.versions.count() == 1
