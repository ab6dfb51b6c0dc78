"""Easy-read texts for the values and public guidelines, written in the draft
editor with the readability beside the field, and kept with the version."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_member, sign_in

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date

HARD = (
    "Organisationens värdegrundsarbete förutsätter kontinuerliga "
    "reflektionsprocesser beträffande professionella förhållningssätt, "
    "självbestämmande, integritetsskydd och delaktighetsperspektiv."
)
EASY = "Du är lika mycket värd som alla. Vi lyssnar på dig. Du får säga vad du vill."


@pytest.fixture
def editor(org, unit):
    return make_member(org, "editor", unit=unit, name="Edit Editor")


@pytest.fixture
def draft(org):
    version = make_draft(make_base(org), 1)
    fill(version)
    adopt(version, D(2024, 1, 1))
    return version.start_next_draft(author=None)


def item_url(draft, kind: str, item_id: int) -> str:
    return reverse(
        "values:item_edit",
        kwargs={
            "org": draft.value_base.organisation.slug,
            "base": draft.value_base.slug,
            "number": draft.number,
            "kind": kind,
            "item_id": item_id,
        },
    )


def signed_in(membership) -> Client:
    client = Client()
    sign_in(client, membership)
    return client


@pytest.mark.django_db
class TestEasyRead:
    def test_the_form_shows_how_easy_the_saved_text_reads(self, draft, editor):
        value = draft.values.get(key="dignity")
        value.easy_read = EASY
        value.save()
        page = signed_in(editor).get(item_url(draft, "value", value.pk)).text
        assert 'name="easy_read"' in page
        assert "id_easy_read_readability" in page
        # 17 words in 3 sentences, one long ("lyssnar"): 17/3 + 100/17, LIX 12.
        assert "Läsbarhetsindex (LIX)</dt><dd>12: mycket lätt" in page
        assert "readability__hint" not in page

    def test_checking_shows_the_readability_and_saves_nothing(self, draft, editor):
        value = draft.values.get(key="dignity")
        response = signed_in(editor).post(
            item_url(draft, "value", value.pk),
            {
                "title": value.title,
                "description": value.description,
                "easy_read": HARD,
                "revision": value.revision,
                "check": "readability",
            },
        )
        assert response.status_code == 200
        # The text is kept in the form, measured, and a hint is given.
        assert "Organisationens värdegrundsarbete" in response.text
        assert "readability__hint" in response.text
        assert "svårast" in response.text
        value.refresh_from_db()
        assert value.easy_read == ""

    def test_saving_keeps_it_with_the_draft_and_its_next_version(self, draft, editor):
        value = draft.values.get(key="dignity")
        response = signed_in(editor).post(
            item_url(draft, "value", value.pk),
            {
                "title": value.title,
                "description": value.description,
                "easy_read": EASY,
                "revision": value.revision,
            },
        )
        assert response.status_code == 302
        value.refresh_from_db()
        assert value.easy_read == EASY
        adopt(draft, D(2025, 1, 1))
        following = draft.start_next_draft(author=None)
        assert following.values.get(key="dignity").easy_read == EASY

    def test_the_draft_page_shows_it(self, draft, editor):
        draft.values.filter(key="dignity").update(easy_read=EASY)
        page = (
            signed_in(editor)
            .get(
                reverse(
                    "values:draft_edit",
                    kwargs={
                        "org": draft.value_base.organisation.slug,
                        "base": draft.value_base.slug,
                        "number": draft.number,
                    },
                )
            )
            .text
        )
        assert EASY in page

    def test_only_editors(self, draft, org):
        value = draft.values.get(key="dignity")
        staff = make_member(org, "staff", name="Sara Lind")
        response = signed_in(staff).post(
            item_url(draft, "value", value.pk),
            {"title": value.title, "easy_read": EASY, "revision": value.revision},
        )
        assert response.status_code == 403
        value.refresh_from_db()
        assert value.easy_read == ""


@pytest.mark.django_db
class TestPublicGuideline:
    def test_an_editor_marks_a_guideline_public(self, draft, editor):
        guideline = draft.guidelines.get(key="respect-clients")
        assert guideline.public is False
        response = signed_in(editor).post(
            item_url(draft, "guideline", guideline.pk),
            {
                "audience": guideline.audience_id,
                "title": guideline.title,
                "text": guideline.text,
                "example": guideline.example,
                "public": "on",
                "revision": guideline.revision,
            },
        )
        assert response.status_code == 302
        guideline.refresh_from_db()
        assert guideline.public is True
        adopt(draft, D(2025, 1, 1))
        following = draft.start_next_draft(author=None)
        assert following.guidelines.get(key="respect-clients").public is True
