"""Word documents built by the tests, in the shape of real value bases.

The two builders follow the structure of a Swedish social services value base
(background sections, the portal paragraph, values as headings, guidelines as
lists after a sentence per role) and a Danish one (values as a bold list with
their commitments below, expectations and management lists after a sentence
ending in a colon). The words are our own.
"""

from __future__ import annotations

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraph(document, *pieces, style=None):
    """A paragraph of pieces: plain strings, or (text, "b"/"i"/"bi") tuples."""
    para = document.add_paragraph(style=style)
    for piece in pieces:
        text, marks = piece if isinstance(piece, tuple) else (piece, "")
        run = para.add_run(text)
        run.bold = "b" in marks or None
        run.italic = "i" in marks or None
    return para


def link(para, text: str, url: str) -> None:
    r_id = para.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    hyperlink.append(run)
    para._p.append(hyperlink)


def swedish_value_base() -> bytes:
    document = docx.Document()
    document.add_paragraph("Värdegrund", style="Title")
    paragraph(document, "Socialtjänsten i Norrby kommun")
    document.add_heading("Bakgrund", level=1)
    paragraph(document, "Förvaltningen har länge samtalat om bemötande.")
    paragraph(document, "Här samlas det vi kommit fram till.")
    document.add_heading("Vilka är vi till för?", level=1)
    paragraph(document, "Vi är till för ", ("alla", "i"), " som bor i kommunen.")
    document.add_heading("Våra grundvärderingar", level=1)
    document.add_heading("Portalparagrafen (socialtjänstlagen)", level=2)
    paragraph(document, "1 § Socialtjänsten ska på demokratins grund främja")
    paragraph(document, "trygghet i ekonomin,", style="List Bullet")
    paragraph(document, "jämlika villkor,", style="List Bullet")
    document.add_heading("Människosyn", level=2)
    paragraph(document, "Vi sätter ", ("människan", "b"), " i centrum.")
    document.add_heading("Självbestämmande och delaktighet", level=2)
    paragraph(document, "Var och en bestämmer över sitt liv.")
    para = paragraph(document, "Läs mer i ")
    link(para, "lagtexten", "https://example.se/lag")
    para.add_run(".")
    document.add_heading("Etiska riktlinjer", level=1)
    paragraph(document, "Riktlinjerna ger vägledning, inga färdiga svar.")
    paragraph(document, "Som medarbetare ska du i mötet med brukare och närstående:")
    for text in [
        "ge stöd utifrån brukarens behov och inte utifrån dina egna värderingar",
        "visa respekt för de val brukaren gör i sitt liv, även när du tycker annat",
        "göra så små ingrepp i brukarens integritet som det någonsin går",
    ]:
        paragraph(document, text, style="List Bullet")
    paragraph(document, "Som chef på enheten ska du:")
    for text in [
        "stödja medarbetarna när de hamnar i etiska konflikter i arbetet",
        "ge tid och plats för samtal om riktlinjerna på arbetsplatsen",
    ]:
        paragraph(document, text, style="List Bullet")
    return save(document)


def danish_value_base() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Værdigrundlag for socialpsykiatrien"
    document.add_heading("Værdigrundlag for socialpsykiatrien", level=1)
    document.add_heading("Vision", level=2)
    paragraph(document, "Alle kan få det bedre og tage ansvar i eget liv.")
    paragraph(document, "Vores fire værdier er:")
    for text in ["Menneskelighed", "Engagement", "Faglighed", "Helhed"]:
        paragraph(document, text, style="List Bullet")
    document.add_heading("Værdier", level=2)
    paragraph(document, "Værdierne bliver konkrete sådan:")
    for title, commitments in [
        (
            "Menneskelighed",
            ["Vi tror på, at den enkelte kan komme sig", "Vi ser borgeren som aktiv"],
        ),
        ("Engagement", ["Vi arbejder for ligeværdige relationer"]),
        ("Faglighed", [("Vi har en ", ("anerkendende", "i"), " tilgang")]),
    ]:
        paragraph(document, (title, "b"), style="List Bullet")
        for text in commitments:
            pieces = text if isinstance(text, tuple) else (text,)
            paragraph(document, *pieces, style="List Bullet 2")
    paragraph(document, ("Kollegiale forventninger:", "b"))
    for text in [
        "Tro på at det enkelte menneske kan komme sig og få det bedre",
        "Have en respektfuld holdning til hinanden og til vores forskelle",
        "Evne til at navigere mellem omsorgspligt og retten til selvbestemmelse",
    ]:
        paragraph(document, text, style="List Bullet")
    paragraph(document, "Ledelsen i socialpsykiatrien vil:")
    for text in [
        "Skabe de bedst mulige rammer for arbejdet i hele socialpsykiatrien",
        "Fremme uddannelse, videndeling og fælles læring for alle medarbejdere",
    ]:
        paragraph(document, text, style="List Bullet")
    paragraph(document, "Værdigrundlaget er vedtaget på et MED-møde.")
    return save(document)
