"""The log's fonts are read once per process, embedded without the tables the PDF
never carries, and cut down to the glyphs used from a prepared cut of the Latin
letters and punctuation where it holds them all, from the whole font where it
does not (reflections/logpdf.py); the PDF is the same as fpdf2 makes from the
font files as they ship."""

from __future__ import annotations

import datetime
import io

import pytest
from fontTools import ttLib
from fpdf.fonts import TTFFont
from pypdf import PdfReader

from reflections.logpdf import (
    FONT,
    FONTS,
    PREPARED_RANGES,
    UNEMBEDDED_TABLES,
    LogDocument,
    _font_file,
    _prepared_cut,
)

TEXT = (
    "Åsa Öberg och Ægir Ørsted läste “Självbestämmande” — 12 av 14 skrev, 50 % · "
    "Zoë Ñúñez, Łukasz Wróbel, Ðorđe Šćepanović!"
)
# Greek and Vietnamese letters lie outside the prepared cut; ≤ and → too.
BEYOND = "Αθηνά Παπαδοπούλου och Nguyễn Thị Ánh läste ≤ 3 → 4."
FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


class AsShipped(LogDocument):
    """The log document with fpdf2's own `add_font`, from the files themselves."""

    def add_parsed_font(self, style: str, filename: str) -> None:
        self.add_font(FONT, style, str(FONTS / filename))


def drawn(document_class: type[LogDocument], text: str = TEXT) -> bytes:
    doc = document_class("Reflektionslogg · Etikgruppen · 1 januari 2024")
    doc.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    doc.add_page()
    for style in ("B", ""):
        doc.set_font(FONT, style, 11)
        doc.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    if document_class is AsShipped:
        return bytes(doc.output())
    return doc.pdf()


def embedded_fonts(pdf: bytes) -> list[ttLib.TTFont]:
    reader = PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    files = []
    for ref in fonts.values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"]["/FontFile2"].get_data()
        files.append(ttLib.TTFont(io.BytesIO(data)))
    return files


def glyphs_used(text: str) -> set[str]:
    doc = LogDocument("")
    doc.add_page()
    doc.set_font(FONT, size=11)
    doc.cell(text=text)
    font = doc.fonts[f"{FONT.lower()}"]
    assert isinstance(font, TTFFont)
    return set(font.subset.get_all_glyph_names())


@pytest.mark.parametrize(
    "text", [TEXT, BEYOND, f"{TEXT} {BEYOND}"], ids=["nordic", "beyond", "both"]
)
def test_the_pdf_is_the_same_as_from_the_font_files(text):
    pdf = drawn(LogDocument, text)
    assert pdf.startswith(b"%PDF-")
    assert pdf == drawn(AsShipped, text)


def test_the_fonts_embedded_lack_the_tables_the_pdf_never_carries():
    doc = LogDocument("")
    doc.add_page()
    doc.set_font(FONT, size=11)
    doc.cell(text=TEXT)
    fonts = [font for font in doc.fonts.values() if isinstance(font, TTFFont)]
    assert len(fonts) == 2
    for font in fonts:
        assert "glyf" in font.ttfont and "cmap" in font.ttfont
        assert not any(tag in font.ttfont for tag in UNEMBEDDED_TABLES)
    for filename in FILES:
        prepared = ttLib.TTFont(io.BytesIO(_prepared_cut(filename)[0]))
        assert "glyf" in prepared and "cmap" in prepared
        assert not any(tag in prepared for tag in UNEMBEDDED_TABLES)


@pytest.mark.parametrize("filename", FILES)
def test_the_prepared_cut_holds_every_character_of_its_ranges(filename):
    whole = ttLib.TTFont(str(FONTS / filename)).getBestCmap()
    data, names = _prepared_cut(filename)
    prepared = ttLib.TTFont(io.BytesIO(data))
    cmap = prepared.getBestCmap()
    wanted = [
        code
        for first, last in PREPARED_RANGES
        for code in range(first, last + 1)
        if code in whole
    ]
    assert len(wanted) > 600
    assert all(cmap[code] == whole[code] for code in wanted)
    # Every character that shares a glyph with one of them comes along.
    kept = set(cmap.values())
    assert {c for c, name in whole.items() if name in kept} == set(cmap)
    assert names == set(prepared.getGlyphOrder())
    assert len(names) < len(ttLib.TTFont(str(FONTS / filename)).getGlyphOrder()) / 4


def test_a_nordic_log_is_cut_from_the_prepared_cut_and_any_other_from_the_whole():
    filename = "DejaVuSans.ttf"
    names = _prepared_cut(filename)[1]
    nordic, beyond = glyphs_used(TEXT), glyphs_used(BEYOND)
    assert nordic <= names
    assert not beyond <= names
    assert len(_font_file(filename, nordic).getGlyphOrder()) == len(names)
    assert len(_font_file(filename, beyond).getGlyphOrder()) > 6000


def test_letters_beyond_the_prepared_cut_are_embedded_and_extractable():
    pdf = drawn(LogDocument, f"{TEXT} {BEYOND}")
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Αθηνά Παπαδοπούλου" in text and "Nguyễn Thị Ánh" in text
    assert "Åsa Öberg" in text and "≤ 3 → 4" in text
    fonts = embedded_fonts(pdf)
    assert len(fonts) == 2
    for font in fonts:
        cmap = font.getBestCmap()
        for letter in "ΑθηνάΠπαδοπούλουễịÁÅÖ≤→":
            assert ord(letter) in cmap, letter
            assert cmap[ord(letter)] != ".notdef"
        # Cut down to the glyphs used: far from the whole font.
        assert len(font.getGlyphOrder()) < 150
