"""Import from Word: read a .docx, show how each part was read, create the draft."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guidelines.models import Audience, LeadIn
from tests.factories import make_audience, make_member, sign_in
from tests.translations import tr
from values import wordimport
from values.compare import compare_versions
from values.models import Version
from values.wordexport import export_docx

from .helpers import adopt, fill, make_base, make_draft
from .word import danish_value_base, swedish_value_base


def kinds(reading):
    return [(part.kind, part.title or part.text[:30]) for part in reading.parts]


def test_reads_the_swedish_shape():
    reading = wordimport.read_docx(swedish_value_base())
    assert reading.title == "Värdegrund"
    assert kinds(reading) == [
        ("skip", "Värdegrund"),
        ("section", "Bakgrund"),
        ("section", "Vilka är vi till för?"),
        ("skip", "Våra grundvärderingar"),
        ("legal", "Portalparagrafen (socialtjänstlagen)"),
        ("value", "Människosyn"),
        ("value", "Självbestämmande och delaktighet"),
        ("section", "Etiska riktlinjer"),
        ("audience", "Som medarbetare ska du i mötet med brukare och närstående"),
        ("guideline", "ge stöd utifrån brukarens beho"),
        ("guideline", "visa respekt för de val brukar"),
        ("guideline", "göra så små ingrepp i brukaren"),
        ("audience", "Som chef på enheten ska du"),
        ("guideline", "stödja medarbetarna när de ham"),
        ("guideline", "ge tid och plats för samtal om"),
    ]
    parts = {part.title: part for part in reading.parts}
    # Formatting inside paragraphs is kept as Markdown; lists in a text stay lists.
    assert (
        parts["Vilka är vi till för?"].text
        == "Vi är till för *alla* som bor i kommunen."
    )
    assert parts["Människosyn"].text == "Vi sätter **människan** i centrum."
    assert (
        "[lagtexten](https://example.se/lag)"
        in parts["Självbestämmande och delaktighet"].text
    )
    assert parts["Portalparagrafen (socialtjänstlagen)"].text.endswith(
        "\n\n- trygghet i ekonomin,\n- jämlika villkor,"
    )


def test_reads_the_danish_shape():
    reading = wordimport.read_docx(danish_value_base())
    assert reading.title == "Værdigrundlag for socialpsykiatrien"
    assert kinds(reading)[:11] == [
        ("skip", "Værdigrundlag for socialpsykiatrien"),
        ("section", "Vision"),
        ("section", "Værdier"),
        ("value", "Menneskelighed"),
        ("commitment", "Vi tror på, at den enkelte kan"),
        ("commitment", "Vi ser borgeren som aktiv"),
        ("value", "Engagement"),
        ("commitment", "Vi arbejder for ligeværdige re"),
        ("value", "Faglighed"),
        ("commitment", "Vi har en *anerkendende* tilga"),
        ("audience", "Kollegiale forventninger"),
    ]
    # A short list after "…er:" is part of the text, not items of their own.
    assert "- Menneskelighed\n- Engagement" in reading.parts[1].text
    assert [p.kind for p in reading.parts[11:]] == [
        "guideline",
        "guideline",
        "guideline",
        "audience",
        "guideline",
        "guideline",
    ]
    # The closing sentence after the last list is kept in the section around it.
    assert reading.parts[2].text.endswith("Værdigrundlaget er vedtaget på et MED-møde.")


def word_url(org, base="vardegrund"):
    return reverse("values:import_word", kwargs={"org": org.slug, "base": base})


def upload(client, org, data, name="vardegrund.docx"):
    return client.post(
        word_url(org),
        {"step": "upload", "file": SimpleUploadedFile(name, data)},
    )


def preview_data(response, changes=None, *, document_title=False):
    """The preview form as the browser would send it back, with `changes`
    ({part number: {field: value}}) applied, and the document's title chosen
    if `document_title`."""
    formset = response.context["parts"]
    data = {
        "step": "preview",
        "document_title": response.context["details"]["document_title"].value(),
        "parts-TOTAL_FORMS": str(len(formset.forms)),
        "parts-INITIAL_FORMS": str(len(formset.forms)),
    }
    for index, form in enumerate(formset.forms):
        for name in ("kind", "title", "text", "origin", "audience"):
            data[f"parts-{index}-{name}"] = form[name].value() or ""
        for name, value in (changes or {}).get(index + 1, {}).items():
            data[f"parts-{index}-{name}"] = value
    if document_title:
        data["use_document_title"] = "on"
    return data


@pytest.fixture
def editor(org):
    return make_member(org, "editor")


@pytest.fixture
def base(org):
    return make_base(org)


@pytest.mark.django_db
class TestImportPage:
    def test_upload_preview_create(self, client, org, editor, base):
        sign_in(client, editor)
        assert client.get(word_url(org)).status_code == 200
        preview = upload(client, org, swedish_value_base())
        assert preview.status_code == 200
        assert "Som chef på enheten ska du" in preview.text
        assert "<em>alla</em>" in preview.text
        assert not Version.objects.exists()  # nothing saved yet
        response = client.post(
            word_url(org),
            {**preview_data(preview, document_title=True), "create": "1"},
        )
        assert response.status_code == 302
        draft = base.versions.get()
        assert draft.is_draft
        assert (draft.title, draft.author) == ("Värdegrund", editor.user)
        assert [(s.key, s.title) for s in draft.sections.all()] == [
            ("bakgrund", "Bakgrund"),
            ("vilka-ar-vi-till-for", "Vilka är vi till för?"),
            ("etiska-riktlinjer", "Etiska riktlinjer"),
        ]
        assert draft.sections.get(key="bakgrund").body == (
            "Förvaltningen har länge samtalat om bemötande.\n\n"
            "Här samlas det vi kommit fram till."
        )
        assert draft.legal_bases.get().law == "Portalparagrafen (socialtjänstlagen)"
        assert [v.title for v in draft.values.all()] == [
            "Människosyn",
            "Självbestämmande och delaktighet",
        ]
        audiences = list(Audience.objects.filter(organisation=org))
        assert [a.name for a in audiences] == [
            "Som medarbetare ska du i mötet med brukare och närstående",
            "Som chef på enheten ska du",
        ]
        assert [lead.text for lead in LeadIn.objects.filter(version=draft)] == [
            "Som medarbetare ska du i mötet med brukare och närstående:",
            "Som chef på enheten ska du:",
        ]
        guidelines = list(draft.guidelines.all())
        assert [g.title for g in guidelines] == [""] * 5
        assert guidelines[0].text.startswith("ge stöd utifrån brukarens behov")
        assert guidelines[3].audience == audiences[1]

    def test_values_with_commitments_from_a_list(self, client, org, editor, base):
        sign_in(client, editor)
        preview = upload(client, org, danish_value_base())
        response = client.post(word_url(org), {**preview_data(preview), "create": "1"})
        assert response.status_code == 302
        draft = base.versions.get()
        assert [
            (v.title, [c.text for c in v.commitments.all()]) for v in draft.values.all()
        ] == [
            (
                "Menneskelighed",
                [
                    "Vi tror på, at den enkelte kan komme sig",
                    "Vi ser borgeren som aktiv",
                ],
            ),
            ("Engagement", ["Vi arbejder for ligeværdige relationer"]),
            ("Faglighed", ["Vi har en *anerkendende* tilgang"]),
        ]
        assert draft.guidelines.count() == 5

    def test_the_editor_changes_kinds_and_titles(self, client, org, editor, base):
        managers = make_audience(org, "managers", name="Chefer")
        sign_in(client, editor)
        preview = upload(client, org, swedish_value_base())
        # Part 8 "Etiska riktlinjer" is left out; part 13, the managers' lead-in,
        # is the organisation's own audience; part 2 gets a shorter title.
        changes = {
            8: {"kind": "skip"},
            13: {"audience": "managers"},
            2: {"title": "Vår bakgrund"},
        }
        updated = client.post(
            word_url(org), {**preview_data(preview, changes), "update": "1"}
        )
        assert updated.status_code == 200
        assert not Version.objects.exists()
        assert 'value="Vår bakgrund"' in updated.text
        response = client.post(word_url(org), {**preview_data(updated), "create": "1"})
        assert response.status_code == 302
        draft = base.versions.get()
        assert [s.title for s in draft.sections.all()] == [
            "Vår bakgrund",
            "Vilka är vi till för?",
        ]
        assert [g.text[:6] for g in draft.guidelines.filter(audience=managers)] == [
            "stödja",
            "ge tid",
        ]
        assert managers.name == Audience.objects.get(pk=managers.pk).name
        assert LeadIn.objects.get(version=draft, audience=managers).text == (
            "Som chef på enheten ska du:"
        )

    def test_a_part_that_cannot_be_used_is_explained(self, client, org, editor, base):
        sign_in(client, editor)
        preview = upload(client, org, swedish_value_base())
        # The first guideline read as a commitment: no value stands above it
        # since the audience came in between.
        data = preview_data(
            preview, {10: {"kind": "commitment"}, 5: {"kind": "section"}}
        )
        data["parts-4-text"] = ""  # and a section without text
        response = client.post(word_url(org), {**data, "create": "1"})
        assert response.status_code == 200
        rows = response.context["rows"]
        assert rows[4][1].errors and rows[9][1].errors
        assert response.context["has_errors"]
        assert not Version.objects.exists()
        # Nothing typed is lost.
        assert response.context["parts"].forms[9]["kind"].value() == "commitment"

    def test_existing_draft_is_reported(self, client, org, editor, base):
        Version.objects.create(value_base=base, number=1, title="Utkast")
        sign_in(client, editor)
        preview = upload(client, org, swedish_value_base())
        response = client.post(word_url(org), {**preview_data(preview), "create": "1"})
        assert response.status_code == 200
        assert base.versions.count() == 1

    def test_the_same_document_again_changes_nothing(self, client, org, editor, base):
        sign_in(client, editor)
        for _round in range(2):
            preview = upload(client, org, swedish_value_base())
            client.post(word_url(org), {**preview_data(preview), "create": "1"})
            draft = base.versions.get(status="draft")
            if _round == 0:
                adopt(draft, datetime.date(2024, 1, 1))
                first = draft
        counts = compare_versions(first, draft).counts()
        assert counts == {"added": 0, "removed": 0, "changed": 0, "unchanged": 13}


NOT_WORD = (
    "This file cannot be read as a Word document. Save it in Word as "
    "“Word document (.docx)” and upload that file."
)


def docx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml", b"0" * (wordimport.MAX_UNPACKED_BYTES + 1)
        )
    return out.getvalue()


@pytest.mark.django_db
class TestUploadIsChecked:
    @pytest.mark.parametrize(
        ("name", "data", "fragment"),
        [
            ("vardegrund.doc", b"\xd0\xcf\x11\xe0 old Word", ".docx"),
            ("vardegrund.docx", b"plain text, not a document", NOT_WORD),
            ("vardegrund.docx", docx_bomb(), NOT_WORD),
            ("vardegrund.docx", b"PK\x03\x04 broken zip", NOT_WORD),
        ],
    )
    def test_refused_with_a_clear_error(
        self, client, org, editor, base, name, data, fragment
    ):
        sign_in(client, editor)
        response = client.post(
            word_url(org), {"step": "upload", "file": SimpleUploadedFile(name, data)}
        )
        assert response.status_code == 200
        errors = response.context["upload"].errors["file"]
        assert any(tr("sv", fragment) in error for error in errors), errors
        assert not Version.objects.exists()

    def test_too_large(self, client, org, editor, base, monkeypatch):
        monkeypatch.setattr(wordimport.limits, "MAX_DOCX_BYTES", 1000)
        sign_in(client, editor)
        response = upload(client, org, swedish_value_base())
        assert response.context["upload"].errors["file"]
        assert response.context["parts"] is None

    def test_no_file(self, client, org, editor, base):
        sign_in(client, editor)
        response = client.post(word_url(org), {"step": "upload"})
        assert response.status_code == 200
        assert response.context["upload"].errors["file"]

    def test_tampered_preview_is_an_error_not_a_crash(self, client, org, editor, base):
        sign_in(client, editor)
        preview = upload(client, org, swedish_value_base())
        data = preview_data(preview, {1: {"kind": "poem"}})
        data["parts-TOTAL_FORMS"] = "100000"
        response = client.post(word_url(org), {**data, "create": "1"})
        assert response.status_code == 200
        assert not Version.objects.exists()


@pytest.mark.django_db
class TestAccess:
    def test_staff_forbidden(self, client, org, staff, base):
        sign_in(client, staff)
        assert client.get(word_url(org)).status_code == 403
        assert upload(client, org, swedish_value_base()).status_code == 403

    def test_anonymous_and_other_organisation(self, client, org, outsider, base):
        response = client.get(word_url(org))
        assert response.status_code == 302
        sign_in(client, outsider)
        assert client.get(word_url(org)).status_code == 404

    def test_method_not_allowed(self, client, org, editor, base):
        sign_in(client, editor)
        assert client.put(word_url(org)).status_code == 405


def test_odd_list_and_outline_levels_are_read_not_refused():
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from .word import save

    document = docx.Document()
    document.add_heading("Bakgrund", level=1)
    for value in ("²", "99999", "x"):
        para = document.add_paragraph(
            f"En lång mening som är en punkt i en lista {value}"
        )
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), value)
        num_id = OxmlElement("w:numId")
        num_id.set(qn("w:val"), "1")
        num_pr.append(ilvl)
        num_pr.append(num_id)
        para._p.get_or_add_pPr().append(num_pr)
    heading = document.add_paragraph("Ett stycke med en konstig dispositionsnivå")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "١")
    heading._p.get_or_add_pPr().append(outline)
    reading = wordimport.read_docx(save(document))
    # Levels Word cannot have are read as the first level, or the deepest.
    assert [part.kind for part in reading.parts] == [
        "audience",
        "guideline",
        "guideline",
        "skip",
    ]
    assert reading.parts[1].text.endswith(
        "\n" + "  " * 8 + "- En lång mening som är en punkt i en lista 99999"
    )


@pytest.mark.django_db
def test_export_then_import_keeps_easy_read_texts_and_public_marks(
    client, org, editor, base
):
    """A value's easy-read text and a guideline's public mark survive a round
    trip through Word, as do the guideline's example and the rest."""
    version = make_draft(base)
    items = fill(version)
    items["dignity"].easy_read = "Alla är lika mycket värda.\n\nVi lyssnar på dig."
    items["dignity"].save()
    items["guideline"].public = True
    items["guideline"].save()
    adopt(version, datetime.date(2024, 1, 1))
    data = export_docx(version)
    assert "Lättläst:" in docx_text(data) and "Offentlig: ja" in docx_text(data)
    sign_in(client, editor)
    preview = upload(client, org, data)
    kinds_read = [form["kind"].value() for form in preview.context["parts"].forms]
    # The audience heading and its titled guideline are read as what they are.
    assert kinds_read[-2:] == ["audience", "guideline"]
    response = client.post(word_url(org), {**preview_data(preview), "create": "1"})
    assert response.status_code == 302
    draft = base.versions.get(status="draft")
    dignity, integrity = draft.values.all()
    assert (dignity.description, dignity.easy_read) == (
        "Alla bemöts med respekt för sitt värde.",
        "Alla är lika mycket värda.\n\nVi lyssnar på dig.",
    )
    assert integrity.easy_read == ""
    assert [c.text for c in dignity.commitments.all()] == [
        "Vi lyssnar innan vi bestämmer."
    ]
    guideline = draft.guidelines.get()
    assert (guideline.title, guideline.public) == ("Bemötande", True)
    assert guideline.text == (
        "Vi möter brukare och närstående med respekt och tydlighet."
    )
    assert guideline.example == "Vi förklarar beslut så att de går att förstå."


def test_an_untitled_public_guideline_keeps_its_mark():
    parts = [
        wordimport.Part("audience", "Som medarbetare ska du", "", "lead-in"),
        wordimport.Part("guideline", "", "svara i tid\n\n*Offentlig: ja*", "item"),
        wordimport.Part(
            "guideline", "", "ringa tillbaka\n\n_Exempel:_ Samma dag.", "item"
        ),
    ]
    document = wordimport.build_document("Värdegrund", parts, [])
    assert document is not None
    assert [(g.text, g.example, g.public) for g in document.guidelines] == [
        ("svara i tid", "", True),
        ("ringa tillbaka", "Samma dag.", False),
    ]


def docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_titled_guidelines_under_an_audience_heading_are_read_as_such():
    """The product's own export names each audience with a heading under
    "Ethical guidelines" and each titled guideline with a heading under it; a
    list in a guideline's text stays in it, and the next audience begins anew."""
    import docx

    from .word import save

    document = docx.Document()
    document.add_paragraph("Värdegrund", style="Title")
    document.add_heading("Etiska riktlinjer", level=1)
    document.add_heading("Medarbetare", level=2)
    document.add_paragraph("Som medarbetare ska du:")
    document.add_heading("Bemötande", level=3)
    document.add_paragraph("Vi möter brukare och närstående med respekt.")
    document.add_paragraph("Vi säger vårt namn", style="List Bullet")
    document.add_paragraph("Vi förklarar varför vi kommer", style="List Bullet")
    document.add_heading("Dokumentation", level=3)
    document.add_paragraph("Vi skriver så att brukaren kan läsa det.")
    document.add_heading("Chefer", level=2)
    document.add_heading("Stöd", level=3)
    document.add_paragraph("Chefen ger tid för reflektion varje månad.")
    reading = wordimport.read_docx(save(document))

    assert kinds(reading) == [
        ("skip", "Värdegrund"),
        ("skip", "Etiska riktlinjer"),
        ("audience", "Medarbetare"),
        ("guideline", "Bemötande"),
        ("guideline", "Dokumentation"),
        ("audience", "Chefer"),
        ("guideline", "Stöd"),
    ]
    medarbetare, bemotande = reading.parts[2], reading.parts[3]
    assert medarbetare.text == "Som medarbetare ska du:"
    assert "Vi möter brukare" in bemotande.text
    assert "- Vi förklarar varför vi kommer" in bemotande.text
    built = wordimport.build_document("Värdegrund", reading.parts, [])
    assert built is not None
    assert [(g.title, g.audience) for g in built.guidelines] == [
        ("Bemötande", "medarbetare"),
        ("Dokumentation", "medarbetare"),
        ("Stöd", "chefer"),
    ]
