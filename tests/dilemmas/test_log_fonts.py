"""The log's fonts are read once per process and embedded without the tables the
PDF never carries (reflections/logpdf.py); the PDF is the same as fpdf2 makes
from the font files as they ship."""

from __future__ import annotations

import datetime

from fpdf.fonts import TTFFont

from reflections.logpdf import FONT, FONTS, UNEMBEDDED_TABLES, LogDocument

TEXT = (
    "Åsa Öberg och Ægir Ørsted läste “Självbestämmande” — 12 av 14 skrev, 50 % · "
    "Zoë Ñúñez, Łukasz Wróbel, Ðorđe Šćepanović!"
)


class AsShipped(LogDocument):
    """The log document with fpdf2's own `add_font`, from the files themselves."""

    def add_parsed_font(self, style: str, filename: str) -> None:
        self.add_font(FONT, style, str(FONTS / filename))


def drawn(document_class: type[LogDocument]) -> bytes:
    doc = document_class("Reflektionslogg · Etikgruppen · 1 januari 2024")
    doc.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    doc.add_page()
    for style in ("B", ""):
        doc.set_font(FONT, style, 11)
        doc.multi_cell(0, 5.5, TEXT, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def test_the_pdf_is_the_same_as_from_the_font_files():
    pdf = drawn(LogDocument)
    assert pdf.startswith(b"%PDF-")
    assert pdf == drawn(AsShipped)


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
