"""Word import reads real documents: every part of every document in the
corpus right before any correction, through the preview to the draft; and the
preview says what the draft will replace, keeping the title unless the editor
chooses the document's."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import make_member, sign_in
from tests.translations import tr
from values import wordimport

from .helpers import adopt, fill, make_base, make_draft
from .test_word_import import preview_data, upload, word_url
from .word_corpus import CASES, Case, label, score

assert len(CASES) >= 10

FIRST = "The value base has no adopted version yet: the draft will be its first."


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_part_is_read_right(case: Case):
    reading = wordimport.read_docx(case.build())
    assert reading.title == case.title
    assert [label(p.kind, p.title) for p in reading.parts] == case.parts
    assert score(case, reading) == len(case.parts)
    # Nothing read is empty: each value, guideline and commitment has its words.
    for part in reading.parts:
        if part.kind in ("commitment", "guideline", "section", "legal"):
            assert part.text.strip(), part
    assert wordimport.build_document(reading.title, reading.parts, []) is not None


def _draft_shape(draft):
    values = [(v.title, v.commitments.count()) for v in draft.values.all()]
    counts: dict[str, int] = {}
    for guideline in draft.guidelines.select_related("audience"):
        name = guideline.audience.name
        counts[name] = counts.get(name, 0) + 1
    return values, list(counts.items())


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_draft_needs_no_correction(client, org, case: Case):
    """Uploaded, previewed and created as read, with the document's title."""
    make_base(org)
    sign_in(client, make_member(org, "editor"))
    preview = upload(client, org, case.build())
    assert preview.status_code == 200
    rows = preview.context["rows"]
    assert [
        label(form["kind"].value(), form["title"].value()) for form, _p in rows
    ] == (case.parts)
    response = client.post(
        word_url(org), {**preview_data(preview, document_title=True), "create": "1"}
    )
    assert response.status_code == 302, response.context and [
        part.errors for _form, part in response.context["rows"]
    ]
    draft = org.value_bases.get().versions.get()
    assert draft.title == case.title
    values, audiences = _draft_shape(draft)
    assert values == case.values
    assert sorted(audiences) == sorted(case.audiences)


@pytest.mark.django_db
class TestWhatTheDraftReplaces:
    @pytest.fixture
    def base(self, org):
        base = make_base(org)
        version = make_draft(base, title="Värdegrund 2023")
        fill(version)
        adopt(version, datetime.date(2024, 1, 1))
        return base

    def test_the_preview_says_what_is_replaced(self, client, org, base):
        sign_in(client, make_member(org, "editor"))
        case = CASES[0]
        preview = upload(client, org, case.build())
        replaced = preview.context["replaced"]
        assert (replaced.version.number, replaced.title) == (1, "Värdegrund 2023")
        assert (replaced.values, replaced.guidelines) == (2, 1)
        assert (replaced.new_values, replaced.new_guidelines) == (
            len(case.values),
            sum(count for _name, count in case.audiences),
        )
        # Until the editor chooses otherwise, the draft keeps today's title.
        assert replaced.new_title == "Värdegrund 2023"
        text = preview.content.decode()
        assert tr("sv", "What the draft will replace") in text
        assert "Värdegrund 2023" in text
        assert f"”{case.title}”" in text  # the document's own title is offered
        checkbox = preview.context["details"]["use_document_title"]
        assert checkbox.value() is False

    def test_the_title_is_kept(self, client, org, base):
        sign_in(client, make_member(org, "editor"))
        preview = upload(client, org, CASES[0].build())
        response = client.post(word_url(org), {**preview_data(preview), "create": "1"})
        assert response.status_code == 302
        draft = base.versions.get(number=2)
        assert draft.title == "Värdegrund 2023"
        assert draft.values.count() == len(CASES[0].values)
        # The version in force is untouched.
        assert base.versions.get(number=1).values.count() == 2

    def test_the_editor_chooses_the_documents_title(self, client, org, base):
        sign_in(client, make_member(org, "editor"))
        preview = upload(client, org, CASES[0].build())
        updated = client.post(
            word_url(org),
            {**preview_data(preview, document_title=True), "update": "1"},
        )
        assert updated.status_code == 200
        assert updated.context["replaced"].new_title == CASES[0].title
        assert updated.context["details"]["use_document_title"].value() is True
        response = client.post(
            word_url(org),
            {**preview_data(updated, document_title=True), "create": "1"},
        )
        assert response.status_code == 302
        assert base.versions.get(number=2).title == CASES[0].title

    def test_a_first_import_keeps_the_value_base_name(self, client, org):
        base = make_base(org)
        sign_in(client, make_member(org, "editor"))
        preview = upload(client, org, CASES[1].build())
        assert preview.context["replaced"].version is None
        text = preview.content.decode()
        assert tr("sv", FIRST) in text
        client.post(word_url(org), {**preview_data(preview), "create": "1"})
        assert base.versions.get().title == base.name

    def test_a_document_title_sent_too_long_is_refused(self, client, org, base):
        sign_in(client, make_member(org, "editor"))
        preview = upload(client, org, CASES[0].build())
        data = {**preview_data(preview, document_title=True), "create": "1"}
        data["document_title"] = "x" * 201
        response = client.post(word_url(org), data)
        assert response.status_code == 200
        assert base.versions.count() == 1
        # What the editor chose is still there.
        assert response.context["details"]["use_document_title"].value() is True


def test_any_order_of_blocks_reads_without_error():
    """Headings, paragraphs and list items in any order and any look: the
    guessing always gives parts, and the draft is built or explained."""
    import random

    from values.wordimport import Block

    rng = random.Random(22)
    words = ["Våra värden", "Riktlinjer", "Respekt – vi lyssnar", "Som chef ska du:"]
    words += ["Vi gör det vi lovar och säger som det är till alla", "Lagen §"]
    for _round in range(300):
        blocks = []
        for _n in range(rng.randint(0, 25)):
            kind = rng.choice(["title", "heading", "paragraph", "item", "item"])
            text = rng.choice(words)
            bold = rng.random() < 0.3
            lead = text.split()[0] if rng.random() < 0.2 else ""
            level = rng.randint(0, 9) if kind != "paragraph" else 0
            blocks.append(Block(kind, level, text, text, bold, lead, 0.0))
        reading = wordimport.guess(blocks, title=rng.choice(["", "Våra värden"]))
        assert len(reading.parts) <= len(blocks) + 1
        parts = [wordimport.Part(p.kind, p.title, p.text) for p in reading.parts]
        document = wordimport.build_document(reading.title or "T", parts, [])
        assert document is not None or any(part.errors for part in parts)
