"""Word import in bounded time: long documents read as before, in linear time,
and what is too long or too slow to read is refused with a clear message.

Speed itself is measured in bench/word_import.py, not here.
"""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from tests.factories import make_member, make_org, sign_in
from tests.translations import tr
from values import wordimport
from values.models import Version

from .helpers import make_base
from .test_word_import import upload
from .word import paragraph, save

TOO_MANY = (
    "The document has %(count)s paragraphs; at most %(limit)s can be imported. "
    "Import it in smaller parts, or use the text format."
)
TOO_SLOW = (
    "The document is too complex to be read in time. Import it in smaller "
    "parts, or save it again from Word without tables and text boxes, and "
    "upload that file."
)


def long_value_base() -> bytes:
    """About 1,400 paragraphs: long sections, a long list of guidelines with
    items nested under each, a table with merged cells, a list of values."""
    document = docx.Document()
    document.add_paragraph("Värdegrund", style="Title")
    document.add_heading("Bakgrund", level=1)
    for number in range(1, 401):
        paragraph(document, f"Stycke {number} om ", ("bakgrunden", "i"), ".")
    document.add_heading("Riktlinjer", level=1)
    paragraph(document, "Som medarbetare ska du i mötet med brukare:")
    for number in range(1, 151):
        paragraph(
            document,
            f"göra det som riktlinje nummer {number} säger att du ska göra",
            style="List Bullet",
        )
        for letter in "ab":
            paragraph(document, f"punkt {number}{letter}", style="List Bullet 2")
    table = document.add_table(rows=6, cols=2)
    for row_index, row in enumerate(table.rows):
        for column, cell in enumerate(row.cells):
            cell.text = f"ruta {row_index}.{column}"
    table.cell(0, 0).merge(table.cell(0, 1))  # across two columns
    table.cell(2, 1).merge(table.cell(4, 1))  # down three rows
    document.add_heading("Våra värden", level=1)
    for number in range(1, 11):
        paragraph(document, (f"Värde {number}", "b"), style="List Bullet")
        paragraph(document, f"Vi lovar {number}.", style="List Bullet 2")
    return save(document)


def test_a_long_document_reads_as_before():
    """The reading of this document, part by part, as the reading before it was
    made linear gave it (checked against that code when the change was made),
    but for the table's merged cells, now read once, and the table after the
    list of guidelines, now kept in the section around it."""
    reading = wordimport.read_docx(long_value_base())
    assert reading.title == "Värdegrund"
    kinds = [part.kind for part in reading.parts]
    assert kinds == (
        ["skip", "section", "section", "audience"]
        + ["guideline"] * 150
        + ["skip"]
        + ["value", "commitment"] * 10
    )
    background = reading.parts[1]
    assert background.title == "Bakgrund"
    assert background.text == "\n\n".join(
        f"Stycke {number} om *bakgrunden*." for number in range(1, 401)
    )
    assert reading.parts[3].title == "Som medarbetare ska du i mötet med brukare"
    guidelines = reading.parts[4:154]
    assert guidelines[0].text == (
        "göra det som riktlinje nummer 1 säger att du ska göra\n"
        "  - punkt 1a\n  - punkt 1b"
    )
    assert guidelines[-1].text == (
        "göra det som riktlinje nummer 150 säger att du ska göra\n"
        "  - punkt 150a\n  - punkt 150b"
    )
    # The table's cells row by row, a merged cell once, where it begins.
    assert reading.parts[2].title == "Riktlinjer"
    assert reading.parts[2].text.split("\n\n") == [
        *["ruta 0.0", "ruta 0.1"],
        *["ruta 1.0", "ruta 1.1"],
        *["ruta 2.0", "ruta 2.1", "ruta 3.1", "ruta 4.1"],
        *["ruta 3.0"],
        *["ruta 4.0"],
        *["ruta 5.0", "ruta 5.1"],
    ]
    assert reading.parts[154].title == "Våra värden"
    assert [part.title for part in reading.parts[155::2]] == [
        f"Värde {number}" for number in range(1, 11)
    ]
    assert reading.parts[-1].text == "Vi lovar 10."


def test_a_merged_cell_is_read_once():
    """Not once for every row and column it covers: a column merged down a long
    table would otherwise be read again on every row."""
    document = docx.Document()
    document.add_heading("Tabell", level=1)
    table = document.add_table(rows=40, cols=2)
    for row_index, row in enumerate(table.rows):
        row.cells[0].text = f"rad {row_index}"
    table.cell(0, 1).text = "samma för alla"
    table.cell(0, 1).merge(table.cell(39, 1))
    reading = wordimport.read_docx(save(document))
    assert reading.parts[0].text.split("\n\n") == [
        "rad 0",
        "samma för alla",
        *[f"rad {row_index}" for row_index in range(1, 40)],
    ]


def test_styles_based_on_each_other_in_a_loop_end():
    """A style chain that loops back on itself is read, not followed forever."""
    document = docx.Document()
    first = document.styles.add_style("Först", WD_STYLE_TYPE.PARAGRAPH)
    second = document.styles.add_style("Sedan", WD_STYLE_TYPE.PARAGRAPH)
    first.base_style = second
    second.base_style = first
    document.add_heading("Bakgrund", level=1)
    document.add_paragraph("Text i en stil som bygger på sig själv.", style="Först")
    reading = wordimport.read_docx(save(document))
    assert [(p.kind, p.title, p.text) for p in reading.parts] == [
        ("section", "Bakgrund", "Text i en stil som bygger på sig själv.")
    ]


def test_styles_inherited_through_the_chain():
    """Heading, outline and list come from the styles a style is based on."""
    document = docx.Document()
    styles = document.styles
    custom_heading = styles.add_style("Min rubrik", WD_STYLE_TYPE.PARAGRAPH)
    custom_heading.base_style = styles["Heading 2"]
    custom_list = styles.add_style("Min lista", WD_STYLE_TYPE.PARAGRAPH)
    custom_list.base_style = styles["List Bullet 2"]
    document.add_paragraph("Egen rubrik", style="Min rubrik")
    document.add_paragraph("Som chef ska du:")
    for number in range(3):
        document.add_paragraph(
            f"göra något viktigt för alla, nummer {number}", style="Min lista"
        )
    blocks = wordimport.read_blocks(docx.Document(io.BytesIO(save(document))))
    assert [(b.type, b.level) for b in blocks] == [
        ("heading", 2),
        ("paragraph", 0),
        ("item", 0),
        ("item", 0),
        ("item", 0),
    ]


def many_paragraphs(count: int) -> bytes:
    document = docx.Document()
    document.add_heading("Bakgrund", level=1)
    for number in range(count):
        document.add_paragraph(f"Stycke {number}.")
    return save(document)


def paragraphs_in(data: bytes) -> int:
    """Every paragraph of the file, the empty ones Word leaves included."""
    body = docx.Document(io.BytesIO(data)).element.body
    return sum(1 for _p in body.iter(qn("w:p")))


@pytest.fixture
def base(org):
    return make_base(org)


@pytest.mark.django_db
class TestRefused:
    @pytest.mark.parametrize("language", ["sv", "da", "en"])
    def test_too_many_paragraphs(self, client, monkeypatch, language):
        org = make_org(f"norrby-{language}", language=language)
        make_base(org)
        data = many_paragraphs(40)
        limit = paragraphs_in(data)
        monkeypatch.setattr(wordimport.limits, "MAX_PARAGRAPHS", limit)
        sign_in(client, make_member(org, "editor"))
        response = upload(client, org, data)
        assert response.status_code == 200
        assert response.context["parts"] is not None  # at the limit: read
        response = upload(client, org, many_paragraphs(41))
        assert response.status_code == 200
        message = tr(language, TOO_MANY) % {"count": limit + 1, "limit": limit}
        assert response.context["upload"].errors["file"] == [message]
        assert message in response.text
        assert response.context["parts"] is None
        # The upload form is there to choose a smaller file.
        assert 'type="file"' in response.text
        assert not Version.objects.exists()

    @pytest.mark.parametrize("language", ["sv", "da", "en"])
    def test_out_of_time(self, client, monkeypatch, language):
        org = make_org(f"norrby-{language}", language=language)
        make_base(org)
        monkeypatch.setattr(wordimport.limits, "TIME_BUDGET_SECONDS", 0)
        sign_in(client, make_member(org, "editor"))
        response = upload(client, org, many_paragraphs(5))
        assert response.status_code == 200
        message = tr(language, TOO_SLOW)
        assert response.context["upload"].errors["file"] == [message]
        assert message in response.text
        assert response.context["parts"] is None
        assert not Version.objects.exists()

    def test_within_the_budget_reads(self, client, org, base):
        sign_in(client, make_member(org, "editor"))
        response = upload(client, org, many_paragraphs(5))
        assert [form["title"].value() for form in response.context["parts"]] == [
            "Bakgrund"
        ]
        assert response.context["parts"].forms[0]["text"].value() == "\n\n".join(
            f"Stycke {number}." for number in range(5)
        )
