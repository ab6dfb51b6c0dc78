"""Demo value bases for the three demo organisations, in our own words.

Each organisation gets a first version, a revised second version (so that
history, comparison and "in force on" can be tried at once) and a draft of a
third. Versions are given as a first full text and, for later versions, the
changes made to the one before.
"""

from __future__ import annotations

import datetime
from typing import NotRequired, TypedDict

D = datetime.date

# (key, title, body)
SectionRow = tuple[str, str, str]
# (key, law, reference, text)
LegalRow = tuple[str, str, str, str]
# (key, title, description, [(commitment key, text)])
ValueRow = tuple[str, str, str, list[tuple[str, str]]]
# (key, audience key, title, text, example, [value keys])
GuidelineRow = tuple[str, str, str, str, str, list[str]]


class FirstVersion(TypedDict):
    title: str
    adopted_on: datetime.date
    adopted_by: str
    effective_from: datetime.date
    summary: str
    sections: list[SectionRow]
    legal: list[LegalRow]
    values: list[ValueRow]
    guidelines: list[GuidelineRow]
    # For the public page: each value's easy-read text, by the value's key, and
    # the guidelines shown there, by key. Carried to later versions.
    easy_read: NotRequired[dict[str, str]]
    public_guidelines: NotRequired[list[str]]


class Changes(TypedDict):
    """What a later version changes in the one before; all but the summary
    may be left out."""

    summary: str
    change_sections: NotRequired[dict[str, tuple[str, str]]]
    change_values: NotRequired[dict[str, tuple[str, str]]]
    add_commitments: NotRequired[dict[str, list[tuple[str, str]]]]
    change_guidelines: NotRequired[dict[str, tuple[str, str]]]
    add_values: NotRequired[list[ValueRow]]
    add_guidelines: NotRequired[list[GuidelineRow]]


class Revision(Changes):
    """Changes adopted as the next version."""

    adopted_on: datetime.date
    adopted_by: str
    effective_from: datetime.date


ALVDALA_V1: FirstVersion = {
    "title": "Värdegrund för socialförvaltningen",
    "adopted_on": D(2019, 3, 14),
    "adopted_by": "Socialnämnden",
    "effective_from": D(2019, 4, 1),
    "summary": "Första samlade värdegrunden för förvaltningen.",
    "sections": [
        (
            "background",
            "Bakgrund",
            "Förvaltningen har under flera år samtalat om hur vi bemöter de "
            "människor vi finns till för. Värdegrunden samlar det vi kommit fram "
            "till: vad vi står för, och hur det ska märkas i vardagen.\n\n"
            "Värdegrunden är inget färdigt dokument. Den ska prövas i "
            "etikgrupperna, i ärendedragningar och på arbetsplatsträffar.",
        ),
        (
            "who-we-are-for",
            "Vilka är vi till för?",
            "Vi är till för kommunens invånare, och särskilt för den som behöver "
            "stöd för att klara sin vardag. Den vi möter ska kunna förstå vad vi "
            "gör, varför vi gör det och hur man kan påverka det.",
        ),
    ],
    "legal": [
        (
            "sol-1-1",
            "Socialtjänstlagen",
            "1 kap. 1 §",
            "Socialtjänsten ska på demokratins och solidaritetens grund främja "
            "människors ekonomiska och sociala trygghet, jämlikhet i "
            "levnadsvillkor och aktiva deltagande i samhällslivet. Verksamheten "
            "ska bygga på respekt för människors självbestämmanderätt och "
            "integritet. (Sammanfattning med egna ord.)",
        ),
    ],
    "values": [
        (
            "equal-worth",
            "Alla människors lika värde",
            "Varje människa har samma värde, oavsett bakgrund, livssituation "
            "eller vad hon har gjort.",
            [
                (
                    "respect",
                    "Vi bemöter alla med respekt och utan förutfattade meningar.",
                ),
                ("explain", "Vi förklarar våra beslut så att de går att förstå."),
            ],
        ),
        (
            "self-determination",
            "Självbestämmande och delaktighet",
            "Människor är experter på sina egna liv. Vi planerar tillsammans med "
            "den det gäller, inte över huvudet på henne.",
            [
                (
                    "ask-first",
                    "Vi frågar vad personen själv vill innan vi föreslår något.",
                ),
            ],
        ),
        (
            "integrity",
            "Integritet",
            "Det privata är skyddat. Vi tar bara del av de uppgifter vi behöver.",
            [
                (
                    "need-to-know",
                    "Vi läser och delar bara det som behövs för uppdraget.",
                ),
            ],
        ),
        (
            "professionalism",
            "Professionalitet",
            "Vi arbetar utifrån lag, kunskap och beprövad erfarenhet, och vi "
            "reflekterar över hur vi använder den makt vi har.",
            [
                (
                    "reflect",
                    "Vi tar upp svåra avvägningar med kollegor i stället för att "
                    "bära dem ensamma.",
                ),
            ],
        ),
    ],
    "guidelines": [
        (
            "meeting-clients",
            "clients",
            "Bemötande",
            "Vi möter brukare och närstående vänligt, tydligt och i tid. Vi "
            "lyssnar färdigt innan vi svarar.",
            "En förälder ringer upprörd om ett beslut. Vi tar oss tid att "
            "lyssna, förklarar vad beslutet bygger på och hur man överklagar.",
            ["equal-worth", "self-determination"],
        ),
        (
            "confidentiality",
            "professional",
            "Tystnadsplikt och sekretess",
            "Vi talar inte om enskilda ärenden utanför uppdraget, inte heller "
            "med kollegor som inte behöver veta.",
            "",
            ["integrity", "professionalism"],
        ),
        (
            "managers-climate",
            "managers",
            "Ett öppet klimat",
            "Chefer ser till att det finns tid och utrymme för etisk reflektion "
            "och att det är tryggt att säga emot.",
            "",
            ["professionalism"],
        ),
        (
            "colleagues-support",
            "colleagues",
            "Stöd mellan kollegor",
            "Vi hjälper varandra att se på ärenden från flera håll och säger till "
            "när något inte känns rätt.",
            "",
            ["professionalism"],
        ),
    ],
    "easy_read": {
        "equal-worth": "Alla människor är lika mycket värda. Vi behandlar dig "
        "med respekt. Det gäller vem du än är.",
        "self-determination": "Du vet mest om ditt eget liv. Vi frågar vad du "
        "vill. Vi planerar tillsammans med dig.",
        "integrity": "Det som är privat ska vara privat. Vi tar bara reda på "
        "det vi behöver veta för att hjälpa dig.",
        "professionalism": "Vi följer lagen och gör vårt bästa. Vi pratar med "
        "varandra när något är svårt.",
    },
    "public_guidelines": ["meeting-clients"],
}

ALVDALA_V2_CHANGES: Revision = {
    "adopted_on": D(2023, 2, 16),
    "adopted_by": "Socialnämnden",
    "effective_from": D(2023, 3, 1),
    "summary": "Barnets perspektiv lyfts fram; riktlinjen om bemötande förtydligas; "
    "ny riktlinje om digitala kontakter.",
    "change_values": {
        "self-determination": (
            "Självbestämmande och delaktighet",
            "Människor är experter på sina egna liv. Vi planerar tillsammans med "
            "den det gäller, och barn får komma till tals utifrån ålder och "
            "mognad.",
        ),
    },
    "add_commitments": {
        "self-determination": [
            ("child-voice", "Vi talar med barnet, inte bara om barnet."),
        ],
    },
    "change_guidelines": {
        "meeting-clients": (
            "Vi möter brukare och närstående vänligt, tydligt och i tid. Vi "
            "lyssnar färdigt innan vi svarar, och vi återkommer när vi har lovat "
            "det.",
            "En förälder ringer upprörd om ett beslut. Vi tar oss tid att lyssna, "
            "förklarar vad beslutet bygger på och hur man överklagar, och bokar "
            "en tid för uppföljning.",
        ),
    },
    "add_guidelines": [
        (
            "digital-contact",
            "professional",
            "Digitala kontakter",
            "Vi använder bara de kanaler förvaltningen har godkänt för kontakt "
            "med brukare, och vi skriver aldrig personuppgifter i vanlig e-post.",
            "",
            ["integrity"],
        ),
    ],
}

ALVDALA_DRAFT_CHANGES: Changes = {
    "summary": "Förslag: nytt värde om tillit och en riktlinje om samverkan.",
    "add_values": [
        (
            "trust",
            "Tillit",
            "Vi visar att vi tror på människors förmåga att förändra sin situation.",
            [("hope", "Vi lyfter fram det som fungerar, inte bara det som brister.")],
        ),
    ],
}

VESTBY_V1: FirstVersion = {
    "title": "Værdigrundlag for socialpsykiatrien",
    "adopted_on": D(2018, 9, 20),
    "adopted_by": "MED-udvalget",
    "effective_from": D(2018, 10, 1),
    "summary": "Første fælles værdigrundlag for socialpsykiatrien.",
    "sections": [
        (
            "vision",
            "Vision",
            "Alle borgere skal have mulighed for et aktivt liv, også i perioder "
            "hvor livet er svært. Vi tror på, at det kan blive bedre, og vi "
            "arbejder sammen med borgeren om det.",
        ),
        (
            "why",
            "Hvorfor et værdigrundlag?",
            "Ikke alt kan skrives ned i regler. Værdierne hjælper os, når vi "
            "skal træffe valg, som ingen regel giver svaret på.",
        ),
    ],
    "legal": [
        (
            "serviceloven",
            "Lov om social service",
            "§ 1",
            "Formålet er at tilbyde rådgivning og støtte, forebygge sociale "
            "problemer og fremme den enkeltes mulighed for at klare sig selv. "
            "(Sammenfatning med egne ord.)",
        ),
    ],
    "values": [
        (
            "humanity",
            "Menneskelighed og optimisme",
            "Vi møder borgeren som et helt menneske og med tro på, at forandring "
            "er mulig.",
            [("hope", "Vi taler om muligheder, ikke kun om begrænsninger.")],
        ),
        (
            "engagement",
            "Engagement",
            "Vi går op i vores arbejde og i det, der betyder noget for borgeren.",
            [("listen", "Vi spørger til borgerens egne mål og husker dem.")],
        ),
        (
            "professionalism",
            "Faglighed",
            "Vi bygger på viden og erfaring og deler den med hinanden.",
            [("reflect", "Vi drøfter svære valg i teamet, før vi handler.")],
        ),
        (
            "wholeness",
            "Helhed",
            "Vi ser borgerens liv som en helhed og samarbejder på tværs.",
            [("together", "Vi koordinerer med de andre, der støtter borgeren.")],
        ),
    ],
    "guidelines": [
        (
            "meeting-citizens",
            "citizens",
            "Mødet med borgeren",
            "Vi er ærlige om, hvad vi kan og ikke kan, og vi holder det, vi lover.",
            "En beboer ønsker at flytte i egen lejlighed. Vi taler om, hvad der "
            "skal til, og lægger en plan sammen.",
            ["humanity", "engagement"],
        ),
        (
            "leaders-space",
            "managers",
            "Plads til refleksion",
            "Ledere sørger for, at der er tid til etisk refleksion i hverdagen.",
            "",
            ["professionalism"],
        ),
        (
            "colleagues-openness",
            "colleagues",
            "Åbenhed mellem kolleger",
            "Vi siger det højt, når vi er i tvivl, og vi tager imod kritik som en "
            "hjælp.",
            "",
            ["professionalism", "wholeness"],
        ),
    ],
}

VESTBY_V2_CHANGES: Revision = {
    "adopted_on": D(2022, 11, 10),
    "adopted_by": "MED-udvalget",
    "effective_from": D(2023, 1, 1),
    "summary": "Pårørende nævnes udtrykkeligt; ny retningslinje om magtanvendelse.",
    "change_guidelines": {
        "meeting-citizens": (
            "Vi er ærlige om, hvad vi kan og ikke kan, og vi holder det, vi "
            "lover. Pårørende inddrages, når borgeren ønsker det.",
            "En beboer ønsker at flytte i egen lejlighed. Vi taler om, hvad der "
            "skal til, og lægger en plan sammen med beboeren og, hvis beboeren "
            "vil, med familien.",
        ),
    },
    "add_guidelines": [
        (
            "least-intervention",
            "citizens",
            "Mindst mulige indgreb",
            "Vi forsøger altid frivillige løsninger først og dokumenterer, når "
            "vi ikke kan.",
            "",
            ["humanity", "professionalism"],
        ),
    ],
}

VESTBY_DRAFT_CHANGES: Changes = {
    "summary": "Udkast: sproget i visionen gøres enklere.",
    "change_sections": {
        "vision": (
            "Vision",
            "Alle skal kunne leve et aktivt liv, også når livet er svært. Vi "
            "arbejder sammen med borgeren om at komme videre.",
        ),
    },
}

BJORKVIK_V1: FirstVersion = {
    "title": "Ledstjärnor för socialtjänsten",
    "adopted_on": D(2016, 5, 19),
    "adopted_by": "Kommunstyrelsens sociala utskott",
    "effective_from": D(2016, 6, 1),
    "summary": "Tre ledstjärnor för hela socialtjänsten.",
    "sections": [
        (
            "approach",
            "Vårt förhållningssätt",
            "Vi finns bredvid de människor vi möter, ibland ett steg efter. Den "
            "som söker stöd är med när hans eller hennes situation diskuteras.",
        ),
    ],
    "legal": [],
    "values": [
        (
            "shared-view",
            "Samsyn",
            "Vi arbetar mot samma mål som den vi stödjer, och över gränserna "
            "mellan våra enheter.",
            [("together", "Vi planerar insatser tillsammans med personen.")],
        ),
        (
            "trust",
            "Tillit",
            "Vi litar på att människor kan och vill ta beslut i sina egna liv.",
            [("hope", "Vi ger hopp genom att se möjligheter.")],
        ),
        (
            "respect",
            "Respekt",
            "Vi tar hänsyn till varje människas förutsättningar och val.",
            [],
        ),
    ],
    "guidelines": [
        (
            "present",
            "clients",
            "Inga möten utan personen",
            "Vi håller inte möten om en person utan att hon eller han är med, "
            "om det inte finns mycket starka skäl.",
            "",
            ["trust", "respect"],
        ),
    ],
}

BJORKVIK_V2_CHANGES: Revision = {
    "adopted_on": D(2021, 4, 22),
    "adopted_by": "Socialnämnden",
    "effective_from": D(2021, 5, 1),
    "summary": "Riktlinje för chefer tillagd.",
    "add_guidelines": [
        (
            "managers-time",
            "managers",
            "Tid för reflektion",
            "Chefer avsätter tid varje månad för etiska samtal i varje arbetsgrupp.",
            "",
            ["shared-view"],
        ),
    ],
}

BJORKVIK_DRAFT_CHANGES: Changes = {
    "summary": "Förslag: respekt får konkreta åtaganden.",
    "add_commitments": {
        "respect": [
            ("own-words", "Vi skriver så att personen känner igen sig i texten."),
        ],
    },
}

VALUE_BASES: dict[str, tuple[str, FirstVersion, list[Revision], Changes]] = {
    "alvdala": ("vardegrund", ALVDALA_V1, [ALVDALA_V2_CHANGES], ALVDALA_DRAFT_CHANGES),
    "vestby": ("vaerdigrundlag", VESTBY_V1, [VESTBY_V2_CHANGES], VESTBY_DRAFT_CHANGES),
    "bjorkvik": (
        "ledstjarnor",
        BJORKVIK_V1,
        [BJORKVIK_V2_CHANGES],
        BJORKVIK_DRAFT_CHANGES,
    ),
}
