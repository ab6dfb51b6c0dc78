"""A corpus of value bases in Word, made with python-docx, each with what a
person reading it would take each part to be.

The documents vary what real value bases do: heading styles of several levels,
a title styled as such or repeated as a heading, headings typed in bold or in
larger text, values as headings, as a list in bold with their commitments
nested, or as paragraphs opening with the value in bold or before a dash,
a heading with an introduction of its own, lists nested in guidelines,
paragraphs between and after lists, a list whose items begin in bold in an
ordinary section. Two follow the structure of real municipal documents: a
Swedish social services value base (background, the portal paragraph, values
as headings, ethical guidelines per role after a sentence ending in a colon)
and a Danish one (a vision, the four values listed, then the same values in
bold with commitments below, collegial expectations). The words are our own.

Each case's `parts` are what the preview should show, part by part, before any
correction: (kind, title) where the title is checked, (kind, None) where only
the kind is. `score()` counts how many of them a reading gets right.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt

from values.wordimport import Reading

from .word import paragraph, save


@dataclass
class Case:
    name: str
    build: Callable[[], bytes]
    title: str  # the title the document gives itself
    parts: list[tuple[str, str | None]]
    # What the draft holds: values with their number of commitments, and
    # audiences with their number of guidelines.
    values: list[tuple[str, int]] = field(default_factory=list)
    audiences: list[tuple[str, int]] = field(default_factory=list)


def S(title: str) -> list[tuple[str, str | None]]:
    return [("section", title)]


def X(title: str) -> list[tuple[str, str | None]]:
    return [("skip", title)]


def L(title: str) -> list[tuple[str, str | None]]:
    return [("legal", title)]


def V(title: str, commitments: int = 0) -> list[tuple[str, str | None]]:
    return [("value", title)] + [("commitment", None)] * commitments


def A(name: str, guidelines: int) -> list[tuple[str, str | None]]:
    return [("audience", name)] + [("guideline", None)] * guidelines


def _values_and_audiences(
    parts: list[tuple[str, str | None]],
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    values: list[tuple[str, int]] = []
    audiences: list[tuple[str, int]] = []
    for kind, title in parts:
        if kind == "value":
            values.append((title or "", 0))
        elif kind == "commitment":
            values[-1] = (values[-1][0], values[-1][1] + 1)
        elif kind == "audience":
            audiences.append((title or "", 0))
        elif kind == "guideline":
            audiences[-1] = (audiences[-1][0], audiences[-1][1] + 1)
    return values, audiences


def case(name: str, title: str, *parts: list[tuple[str, str | None]]):
    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        flat = [item for group in parts for item in group]
        values, audiences = _values_and_audiences(flat)
        CASES.append(Case(name, build, title, flat, values, audiences))
        return build

    return register


CASES: list[Case] = []


def label(kind: str, title: str) -> tuple[str, str | None]:
    return (kind, title if kind not in ("commitment", "guideline") else None)


def score(case: Case, reading: Reading) -> int:
    """How many of the case's parts the reading gets right, in order."""
    got = [label(part.kind, part.title) for part in reading.parts]
    matcher = difflib.SequenceMatcher(None, case.parts, got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def items(document, texts: list[str], style: str = "List Bullet") -> None:
    for text in texts:
        paragraph(document, text, style=style)


def bold_line(document, text: str, size: float | None = None) -> None:
    run = document.add_paragraph().add_run(text)
    run.bold = True
    if size:
        run.font.size = Pt(size)


def big_line(document, text: str, size: float) -> None:
    run = document.add_paragraph().add_run(text)
    run.font.size = Pt(size)


# 1. The Swedish shape: a social services value base.


@case(
    "sv-socialtjanst",
    "Värdegrund",
    X("Värdegrund"),
    S("Bakgrund"),
    S("Vad är en värdegrund?"),
    S("Vilka är vi till för?"),
    S("Våra grundvärderingar"),
    L("Portalparagrafen (socialtjänstlagen)"),
    V("Människosyn"),
    V("Solidaritet"),
    V("Självbestämmande och delaktighet"),
    V("Makt och ansvar"),
    S("Förvaltningens etiska riktlinjer"),
    A("Som anställd ska du i mötet med klienter och närstående", 4),
    A("Som anställd ska du i din yrkesroll", 3),
    A("Du som är chef ska", 2),
)
def swedish_social_services() -> bytes:
    document = docx.Document()
    document.add_paragraph("Värdegrund", style="Title")
    paragraph(document, "Socialförvaltningen i Åby kommun")
    document.add_heading("Bakgrund", level=1)
    paragraph(document, "För några år sedan började ledningen tala om bemötande.")
    paragraph(document, "Samtalsgrupper bildades och ur dem växte detta dokument.")
    document.add_heading("Vad är en värdegrund?", level=1)
    paragraph(document, "Med värdegrund menar vi de värderingar som styr vad vi gör.")
    document.add_heading("Vilka är vi till för?", level=1)
    paragraph(document, "Vi finns till för dem som bor och vistas i kommunen.")
    document.add_heading("Våra grundvärderingar", level=1)
    paragraph(document, "Värderingarna vilar på socialtjänstlagens första paragraf.")
    document.add_heading("Portalparagrafen (socialtjänstlagen)", level=2)
    paragraph(document, "1 § Socialtjänsten ska på demokratins grund främja")
    items(document, ["ekonomisk trygghet,", "jämlika villkor,", "delaktighet."])
    paragraph(document, "Arbetet ska bygga på respekt för självbestämmandet.")
    for title, text in [
        ("Människosyn", "Varje människa har samma värde och ska mötas med värdighet."),
        ("Solidaritet", "Vi ser den enskildes situation i ljuset av hela miljön."),
        (
            "Självbestämmande och delaktighet",
            "Var och en har rätt att styra sitt eget liv så långt det går.",
        ),
        ("Makt och ansvar", "Vi är medvetna om den makt vi har över andras liv."),
    ]:
        document.add_heading(title, level=2)
        paragraph(document, text)
    paragraph(document, "Med makten följer ett ansvar att handla varsamt.")
    document.add_heading("Förvaltningens etiska riktlinjer", level=1)
    paragraph(document, "Riktlinjerna ger vägledning i vardagen, inte färdiga svar.")
    paragraph(document, "De gäller all personal, oavsett arbetsplats och roll.")
    paragraph(document, "Som anställd ska du i mötet med klienter och närstående:")
    items(
        document,
        [
            "ge stöd utifrån klientens behov och inte utifrån dina egna åsikter",
            "visa respekt för de val klienten gör, också när du själv valt annat",
        ],
    )
    document.add_paragraph("")  # an empty paragraph inside the list
    items(
        document,
        [
            "arbeta för att klienten är delaktig genom att lyssna och fråga",
            "inte göra större ingrepp i klientens integritet än vad som behövs",
        ],
    )
    paragraph(document, "Som anställd ska du i din yrkesroll:")
    items(
        document,
        [
            "fundera över hur din egen bakgrund påverkar hur du möter andra",
            "hålla isär arbete och privatliv i alla kontakter med klienter",
            "hantera uppgifter som omfattas av sekretess med stor omsorg",
        ],
    )
    paragraph(document, "Du som är chef ska:")
    items(
        document,
        [
            "stödja dina medarbetare när de står inför svåra etiska val",
            "ge tid och utrymme för samtal om riktlinjerna på arbetsplatsen",
        ],
    )
    return save(document)


# 2. The Danish shape: a vision, the values listed, then explained in bold.


@case(
    "da-socialpsykiatri",
    "Værdigrundlag for socialpsykiatrien i Østby",
    X("Værdigrundlag for socialpsykiatrien i Østby"),
    S("Vision og værdier i kommunen"),
    S("Vision og værdier i socialpsykiatrien"),
    S("Værdier"),
    V("Menneskelighed", 2),
    V("Engagement", 2),
    V("Faglighed", 1),
    V("Helhed", 2),
    S("Lokalsamfundet"),
    A("Kollegiale forventninger", 4),
)
def danish_social_psychiatry() -> bytes:
    document = docx.Document()
    document.add_paragraph("Værdigrundlag for socialpsykiatrien i Østby", style="Title")
    document.add_heading("Vision og værdier i kommunen", level=1)
    paragraph(document, "Kommunen vil give alle borgere mulighed for et aktivt liv.")
    paragraph(document, "Vores fire værdier er:")
    items(document, ["Menneskelighed", "Engagement", "Faglighed", "Helhed"])
    paragraph(document, "Værdierne gælder i alt, hvad kommunen gør.")
    document.add_heading("Vision og værdier i socialpsykiatrien", level=1)
    paragraph(document, "Vi tror på, at alle kan få det bedre og leve et godt liv med:")
    items(document, ["Relationer", "Bolig", "Arbejde og fritid"])
    paragraph(document, "Borgeren skal mærke værdierne i hverdagen.")
    bold_line(document, "Værdier:")
    paragraph(document, "I socialpsykiatrien bliver de fire værdier konkrete sådan:")
    for title, commitments in [
        (
            "Menneskelighed",
            ["Vi tror på, at den enkelte kan komme sig", "Vi ser borgeren som aktiv"],
        ),
        (
            "Engagement",
            [
                "Vi arbejder for ligeværdige relationer",
                "Vi respekterer selvbestemmelse",
            ],
        ),
        ("Faglighed", ["Vi har en anerkendende tilgang"]),
        ("Helhed", ["Vi koordinerer vores indsats", "Vi arbejder på tværs af fag"]),
    ]:
        paragraph(document, (title, "b"), style="List Bullet")
        items(document, commitments, style="List Bullet 2")
    document.add_heading("Lokalsamfundet", level=1)
    paragraph(
        document, "Vi arbejder for et åbent fællesskab, hvor forskellighed tæller."
    )
    paragraph(document, "I socialpsykiatrien prioriteres:")
    items(document, ["Uddannelse", "Sparring mellem kolleger", "Supervision"])
    bold_line(document, "Kollegiale forventninger:")
    items(
        document,
        [
            "Tro på at det enkelte menneske kan komme sig og få det bedre",
            "Have en respektfuld holdning til hinanden og til vores forskelle",
            "Evne til at give og tage imod konstruktiv feedback fra kolleger",
            "Evne til at træffe svære valg og tage ansvar for dem bagefter",
        ],
    )
    return save(document)


# 3. Values as paragraphs opening in bold, under a heading with an introduction.


@case(
    "sv-fetstil-inledning",
    "Värdegrund för äldreomsorgen",
    X("Värdegrund för äldreomsorgen"),
    S("Inledning"),
    S("Våra värden"),
    V("Respekt"),
    V("Trygghet"),
    V("Delaktighet"),
    S("Så använder vi värdegrunden"),
)
def swedish_bold_lead_ins() -> bytes:
    document = docx.Document()
    document.add_heading("Värdegrund för äldreomsorgen", level=0)
    document.add_heading("Inledning", level=1)
    paragraph(document, "Den här värdegrunden gäller alla som arbetar i äldreomsorgen.")
    document.add_heading("Våra värden", level=1)
    paragraph(document, "Tre värden bär vårt arbete med de äldre.")
    paragraph(document, ("Respekt.", "b"), " Vi möter varje person som den hon är.")
    paragraph(document, ("Trygghet.", "b"), " Den äldre ska kunna lita på oss.")
    paragraph(document, ("Delaktighet:", "b"), " Den äldre bestämmer över sin vardag.")
    document.add_heading("Så använder vi värdegrunden", level=1)
    paragraph(document, "Vi samtalar om värdena på varje arbetsplatsträff.")
    return save(document)


# 4. Values as list items before a dash, under headings typed in bold.


@case(
    "sv-tankstreck-fetstil",
    "Värdegrund för fritidsförvaltningen",
    X("Värdegrund för fritidsförvaltningen"),
    S("Därför har vi en värdegrund"),
    S("Våra ledord"),
    V("Öppenhet"),
    V("Respekt"),
    V("Ansvar"),
    A("Som medarbetare ska du", 3),
)
def swedish_dash_values() -> bytes:
    document = docx.Document()
    bold_line(document, "Värdegrund för fritidsförvaltningen", size=20)
    bold_line(document, "Därför har vi en värdegrund")
    paragraph(document, "En gemensam grund gör det lättare att göra rätt.")
    bold_line(document, "Våra ledord")
    paragraph(document, "Tre ord sammanfattar hur vi vill arbeta.")
    items(
        document,
        [
            "Öppenhet – vi berättar hur vi arbetar och varför",
            "Respekt – vi lyssnar på alla som besöker oss",
            "Ansvar – vi gör det vi har lovat",
        ],
    )
    paragraph(document, "Som medarbetare ska du:")
    items(
        document,
        [
            "välkomna alla besökare på samma sätt oavsett vem de är",
            "säga till om något i lokalerna inte är säkert för besökarna",
            "berätta för din chef när du ser att någon behandlas illa",
        ],
    )
    return save(document)


# 5. No heading styles at all: headings in larger text, the title largest.


@case(
    "da-stoerre-tekst",
    "Værdigrundlag for hjemmeplejen",
    X("Værdigrundlag for hjemmeplejen"),
    S("Formål"),
    S("Vores værdier"),
    V("Tillid"),
    V("Omsorg"),
    A("Medarbejdere", 3),
)
def danish_larger_text() -> bytes:
    document = docx.Document()
    big_line(document, "Værdigrundlag for hjemmeplejen", 24)
    big_line(document, "Formål", 16)
    paragraph(document, "Værdigrundlaget beskriver, hvordan vi møder borgerne.")
    big_line(document, "Vores værdier", 16)
    paragraph(document, "Vi har valgt to værdier, som vi måles på.")
    big_line(document, "Tillid", 13)
    paragraph(document, "Borgeren skal kunne regne med, at vi kommer som aftalt.")
    big_line(document, "Omsorg", 13)
    paragraph(document, "Vi tager os tid til at se hele mennesket.")
    big_line(document, "Medarbejdere", 16)
    items(
        document,
        [
            "Ring til borgeren, hvis du bliver forsinket mere end en halv time",
            "Spørg borgeren, før du flytter rundt på noget i hjemmet",
            "Skriv i journalen samme dag, hvis borgeren virker utryg",
        ],
    )
    return save(document)


# 6. The title repeated as the first heading, with an introduction under it.


@case(
    "sv-titel-som-rubrik",
    "Vår värdegrund",
    S("Vår värdegrund"),
    S("Uppdrag"),
    S("Våra värderingar"),
    V("Likvärdighet", 2),
    V("Professionalitet", 2),
)
def swedish_title_repeated() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Vår värdegrund"
    document.add_heading("Vår värdegrund", level=1)
    paragraph(document, "Så här vill vi att alla ska bli bemötta hos oss.")
    paragraph(document, "Dokumentet antogs av nämnden och gäller hela förvaltningen.")
    document.add_heading("Uppdrag", level=2)
    paragraph(document, "Vi ger stöd till barn, unga och deras familjer.")
    document.add_heading("Våra värderingar", level=2)
    paragraph(document, "Två värderingar är viktigast för oss.")
    document.add_heading("Likvärdighet", level=3)
    items(
        document,
        [
            "Vi bedömer alla ärenden efter samma grunder och med samma omsorg",
            "Vi tar hänsyn till att människor har olika förutsättningar i livet",
        ],
    )
    document.add_heading("Professionalitet", level=3)
    items(
        document,
        [
            "Vi grundar våra beslut på kunskap och på beprövad erfarenhet",
            "Vi är öppna med hur vi har kommit fram till ett beslut",
        ],
    )
    return save(document)


# 7. Guidelines under headings naming their audience, with nested items.


@case(
    "sv-riktlinjer-nastlade",
    "Etiska riktlinjer för skolan",
    X("Etiska riktlinjer för skolan"),
    S("Om riktlinjerna"),
    X("Riktlinjer"),
    A("Lärare", 2),
    A("Skolledning", 2),
)
def swedish_nested_guidelines() -> bytes:
    document = docx.Document()
    document.add_paragraph("Etiska riktlinjer för skolan", style="Title")
    document.add_heading("Om riktlinjerna", level=1)
    paragraph(document, "Riktlinjerna hjälper oss när det inte finns ett givet svar.")
    document.add_heading("Riktlinjer", level=1)
    document.add_heading("Lärare", level=2)
    paragraph(
        document,
        "behandla varje elev rättvist, också när eleven är svår att nå",
        style="List Number",
    )
    items(
        document,
        ["i bedömningen av elevens arbete", "i hur du talar med eleven"],
        style="List Bullet 2",
    )
    paragraph(
        document,
        "ta kontakt med elevens hem när du är orolig för eleven",
        style="List Number",
    )
    document.add_heading("Skolledning", level=2)
    paragraph(document, "Skolledningen har ett särskilt ansvar för arbetsmiljön.")
    items(
        document,
        [
            "se till att lärarna har tid att samtala om svåra situationer",
            "ta varje anmälan om kränkande behandling på största allvar",
        ],
    )
    return save(document)


# 8. Paragraphs between lists, examples, and a paragraph after the last list.


@case(
    "da-afsnit-mellem-lister",
    "Etiske retningslinjer for bostøtten",
    X("Etiske retningslinjer for bostøtten"),
    S("Baggrund"),
    A("Som bostøtte skal du", 4),
)
def danish_paragraphs_between_lists() -> bytes:
    document = docx.Document()
    document.add_paragraph("Etiske retningslinjer for bostøtten", style="Title")
    document.add_heading("Baggrund", level=1)
    paragraph(document, "Bostøtten kommer i borgerens eget hjem, og det forpligter.")
    paragraph(document, "Som bostøtte skal du:")
    items(
        document,
        [
            "banke på og vente på svar, også når du har en nøgle til hjemmet",
            "aftale med borgeren, hvad I skal bruge tiden på, hver gang I ses",
        ],
    )
    paragraph(document, "Eksempel: Borgeren vil hellere gå en tur end gøre rent.")
    paragraph(document, "Det samme gælder, når du ringer til borgeren om aftener.")
    items(
        document,
        ["fortælle borgeren, hvis du skal dele oplysninger med andre fagfolk"],
    )
    paragraph(document, "Retningslinjerne er drøftet i alle teams.")
    return save(document)


# 9. A list whose items begin in bold inside an ordinary section, and values
# as headings under a heading that has its own introduction.


@case(
    "sv-fetstil-i-vanligt-avsnitt",
    "Värdegrund för individ- och familjeomsorgen",
    X("Värdegrund för individ- och familjeomsorgen"),
    S("Lagar som styr arbetet"),
    S("Våra värden"),
    V("Respekt", 2),
    V("Tillit", 2),
    V("Samsyn", 2),
)
def swedish_bold_list_in_section() -> bytes:
    document = docx.Document()
    document.add_paragraph("Värdegrund för individ- och familjeomsorgen", style="Title")
    document.add_heading("Lagar som styr arbetet", level=1)
    paragraph(document, "Flera lagar sätter ramarna för vad vi gör:")
    for law, text in [
        ("Socialtjänstlagen", " ger ramarna för stöd och hjälp."),
        ("Förvaltningslagen", " säger hur ärenden ska handläggas."),
        ("Barnkonventionen", " gäller som lag sedan några år."),
    ]:
        paragraph(document, (law, "b"), text, style="List Bullet")
    document.add_heading("Våra värden", level=1)
    paragraph(
        document, "Våra värden är resultatet av ett långt samtal i förvaltningen."
    )
    for title, commitments in [
        ("Respekt", ["Vi lyssnar innan vi bedömer", "Vi talar med och inte om"]),
        ("Tillit", ["Vi gör det vi har lovat", "Vi säger som det är"]),
        ("Samsyn", ["Vi planerar tillsammans med familjen", "Vi delar det vi vet"]),
    ]:
        document.add_heading(title, level=2)
        items(document, commitments)
    return save(document)


# 10. English: values as a bold list with nested commitments under a numbered
# heading that has an introduction, and guidelines per audience.


@case(
    "en-code-of-conduct",
    "Our values and code of conduct",
    X("Our values and code of conduct"),
    S("1. Purpose"),
    S("2. Our values"),
    V("Integrity", 2),
    V("Care", 1),
    S("3. Code of conduct"),
    A("All staff will", 2),
    A("Managers will", 2),
)
def english_code_of_conduct() -> bytes:
    document = docx.Document()
    document.add_paragraph("Our values and code of conduct", style="Title")
    document.add_heading("1. Purpose", level=1)
    paragraph(document, "This document says what we stand for and how we act.")
    document.add_heading("2. Our values", level=1)
    paragraph(document, "Two values guide everything we do:")
    paragraph(document, ("Integrity", "b"), style="List Bullet")
    items(
        document,
        ["We do what we say we will do", "We are honest about mistakes"],
        style="List Bullet 2",
    )
    paragraph(document, ("Care", "b"), style="List Bullet")
    items(document, ["We notice when someone needs help"], style="List Bullet 2")
    document.add_heading("3. Code of conduct", level=1)
    paragraph(
        document, "The code applies at work and wherever we represent the service."
    )
    paragraph(document, "All staff will:")
    items(
        document,
        [
            "treat the people we support with courtesy and patience at all times",
            "keep what they learn about people to themselves unless the law says",
        ],
    )
    paragraph(document, "Managers will:")
    items(
        document,
        [
            "make sure every new member of staff reads this code in their first week",
            "deal with any report of misconduct promptly and fairly",
        ],
    )
    return save(document)


# 11. A values heading with an introduction, values as headings with no text
# of their own, each with a list of commitments in sentences.


@case(
    "sv-varden-med-atagandenlistor",
    "Värdegrund för LSS-verksamheten",
    X("Värdegrund för LSS-verksamheten"),
    S("Våra grundvärden"),
    V("Självbestämmande", 3),
    V("Trygghet", 2),
    S("Uppföljning"),
)
def swedish_value_headings_with_lists() -> bytes:
    document = docx.Document()
    document.add_paragraph("Värdegrund för LSS-verksamheten", style="Title")
    document.add_heading("Våra grundvärden", level=1)
    paragraph(document, "Grundvärdena beskriver vad den enskilde kan vänta sig av oss.")
    document.add_heading("Självbestämmande", level=2)
    items(
        document,
        [
            "Vi frågar alltid den enskilde hur hen vill ha det innan vi hjälper till",
            "Vi ger information på ett sätt som den enskilde kan förstå",
            "Vi respekterar ett nej, också när vi själva hade valt annorlunda",
        ],
    )
    document.add_heading("Trygghet", level=2)
    items(
        document,
        [
            "Vi kommer på den tid vi har sagt och meddelar om något ändras",
            "Vi ser till att den enskilde möter så få olika personer som möjligt",
        ],
    )
    document.add_heading("Uppföljning", level=1)
    paragraph(document, "Värdegrunden följs upp varje år i brukarundersökningen.")
    return save(document)


# 12. Danish values as paragraphs before a dash, under a Heading 2 whose
# parent is the document title in a Heading 1.


@case(
    "da-tankestreg",
    "Værdier i dagtilbud",
    S("Værdier i dagtilbud"),
    X("Kerneværdier"),
    V("Nærvær"),
    V("Leg"),
    V("Fællesskab"),
    S("Sådan arbejder vi med værdierne"),
)
def danish_dash_paragraphs() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Værdier i dagtilbud"
    document.add_heading("Værdier i dagtilbud", level=1)
    paragraph(document, "Værdierne er udarbejdet af forældre og personale sammen.")
    document.add_heading("Kerneværdier", level=2)
    paragraph(document, "Nærvær – vi er til stede sammen med børnene hele dagen.")
    paragraph(document, "Leg – legen er børnenes vigtigste måde at lære på.")
    paragraph(document, "Fællesskab – alle børn skal høre til i gruppen.")
    document.add_heading("Sådan arbejder vi med værdierne", level=2)
    paragraph(document, "Vi drøfter værdierne på hvert personalemøde.")
    return save(document)


# 13. Headings in paragraph styles of the organisation's own, bold and larger,
# based on Normal rather than on Word's heading styles.


@case(
    "sv-egna-formatmallar",
    "Värdegrund för kulturskolan",
    X("Värdegrund för kulturskolan"),
    S("Bakgrund"),
    S("Våra värden"),
    V("Glädje"),
    V("Nyfikenhet"),
    X("Riktlinjer för lärare"),
    A("Som lärare ska du", 3),
)
def swedish_own_styles() -> bytes:
    document = docx.Document()
    for name, size in [("Dokumenttitel", 20), ("Mellanrubrik", 14), ("Underrubrik", 0)]:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.bold = True
        if size:
            style.font.size = Pt(size)
    document.add_paragraph("Värdegrund för kulturskolan", style="Dokumenttitel")
    document.add_paragraph("Bakgrund", style="Mellanrubrik")
    paragraph(document, "Kulturskolan är öppen för alla barn i kommunen.")
    document.add_paragraph("Våra värden", style="Mellanrubrik")
    paragraph(document, "Två värden beskriver hur vi vill att eleverna ska ha det.")
    document.add_paragraph("Glädje", style="Underrubrik")
    paragraph(document, "Lektionerna ska vara något eleverna längtar till.")
    document.add_paragraph("Nyfikenhet", style="Underrubrik")
    paragraph(document, "Vi uppmuntrar eleverna att pröva nya uttryck.")
    document.add_paragraph("Riktlinjer för lärare", style="Mellanrubrik")
    paragraph(document, "Som lärare ska du:")
    items(
        document,
        [
            "anpassa undervisningen efter varje elevs förutsättningar och mål",
            "ge varje elev möjlighet att visa vad den har lärt sig inför andra",
            "tala med vårdnadshavarna om en elev ofta uteblir från lektionerna",
        ],
    )
    return save(document)


# 14. The values in one flat list, as the Danish reference has them: each
# value in bold, its commitments after it at the same level (or typed with
# "o" as a second level), under a heading about values with an introduction.


@case(
    "da-flad-vaerdiliste",
    "Værdigrundlag for bostedet",
    X("Værdigrundlag for bostedet"),
    S("Om bostedet"),
    S("Værdier"),
    V("Respekt", 2),
    V("Tryghed", 2),
    V("Udvikling", 1),
    S("Samarbejde"),
    A("Som medarbejder skal du", 2),
)
def danish_flat_value_list() -> bytes:
    document = docx.Document()
    document.add_paragraph("Værdigrundlag for bostedet", style="Title")
    document.add_heading("Om bostedet", level=1)
    paragraph(document, "Bostedet er hjem for tolv voksne, der har brug for støtte.")
    document.add_heading("Værdier", level=1)
    paragraph(
        document, "Vi arbejder ud fra tre værdier, som beboerne har været med til:"
    )
    paragraph(document, ("Respekt", "b"), style="List Bullet")
    paragraph(document, "o\tVi lytter til beboeren, før vi foreslår noget")
    paragraph(document, "o\tVi banker på, før vi går ind")
    paragraph(document, ("Tryghed", "b"), style="List Bullet")
    items(document, ["Vi holder, hvad vi lover", "Vi siger til i god tid"])
    paragraph(document, ("Udvikling", "b"), style="List Bullet")
    items(document, ["Vi hjælper beboeren med at nå sine egne mål"])
    document.add_heading("Samarbejde", level=1)
    paragraph(document, "Vi samarbejder med pårørende, når beboeren ønsker det.")
    paragraph(document, "Som medarbejder skal du:")
    items(
        document,
        [
            "spørge beboeren, før du deler oplysninger med de pårørende",
            "fortælle de pårørende, hvem de kan kontakte på bostedet",
        ],
    )
    return save(document)


# 15. No heading about values: a sentence about them before a bold list, in
# a section with a paragraph after the list.


@case(
    "sv-varden-efter-mening",
    "Värdegrund för hemtjänsten",
    X("Värdegrund för hemtjänsten"),
    S("Inledning"),
    V("Omtanke", 2),
    V("Pålitlighet", 1),
    S("Riktlinjer för medarbetare"),
    A("I hemmet hos den enskilde ska du", 2),
)
def swedish_values_after_a_sentence() -> bytes:
    document = docx.Document()
    document.add_paragraph("Värdegrund för hemtjänsten", style="Title")
    document.add_heading("Inledning", level=1)
    paragraph(document, "Hemtjänsten hjälper människor att bo kvar hemma.")
    paragraph(document, "Våra värden är:")
    paragraph(document, ("Omtanke", "b"), style="List Bullet")
    items(
        document,
        ["Vi tar oss tid att prata", "Vi märker när något har ändrats"],
        style="List Bullet 2",
    )
    paragraph(document, ("Pålitlighet", "b"), style="List Bullet")
    items(document, ["Vi kommer när vi har sagt"], style="List Bullet 2")
    paragraph(document, "Värdena har tagits fram tillsammans med brukarrådet.")
    document.add_heading("Riktlinjer för medarbetare", level=1)
    paragraph(document, "Riktlinjerna gäller alla som arbetar i hemtjänsten.")
    paragraph(document, "I hemmet hos den enskilde ska du:")
    items(
        document,
        [
            "fråga hur den enskilde vill ha det innan du gör något i hemmet",
            "lämna hemmet i det skick den enskilde vill att det ska vara",
        ],
    )
    return save(document)


# 16. Every heading at one level: the heading about values has nothing under
# it, and the values follow as headings of the same level, the portal
# paragraph among them, until the heading of the guidelines.


@case(
    "sv-rubriker-pa-en-niva",
    "Värdegrund för socialnämndens verksamheter",
    X("Värdegrund för socialnämndens verksamheter"),
    S("Bakgrund"),
    X("Våra grundvärderingar"),
    L("Portalparagrafen (socialtjänstlagen)"),
    V("Människosyn"),
    V("Integritet"),
    V("Professionalitet"),
    S("Etiska riktlinjer"),
    A("Som anställd ska du", 2),
)
def swedish_one_heading_level() -> bytes:
    document = docx.Document()
    document.add_paragraph("Värdegrund för socialnämndens verksamheter", style="Title")
    document.add_heading("Bakgrund", level=1)
    paragraph(document, "Nämnden beslutade att ta fram en gemensam värdegrund.")
    document.add_heading("Våra grundvärderingar", level=1)
    document.add_heading("Portalparagrafen (socialtjänstlagen)", level=1)
    paragraph(document, "1 § Socialtjänsten ska främja människors trygghet.")
    for title, text in [
        ("Människosyn", "Alla människor har samma värde."),
        ("Integritet", "Vi gör inte större ingrepp i någons liv än som behövs."),
        ("Professionalitet", "Vårt arbete vilar på kunskap och erfarenhet."),
    ]:
        document.add_heading(title, level=1)
        paragraph(document, text)
    document.add_heading("Etiska riktlinjer", level=1)
    paragraph(document, "Riktlinjerna ger stöd i svåra lägen.")
    paragraph(document, "Som anställd ska du:")
    items(
        document,
        [
            "ge stöd utifrån den enskildes behov och inte dina egna värderingar",
            "hålla isär arbete och privatliv i alla kontakter med klienter",
        ],
    )
    return save(document)
