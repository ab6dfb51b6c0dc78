"""Personal names and street addresses in case texts, for the identifier guard.

Numbers have rules that can be checked; names and addresses do not, so they
are looked for only where they read as one: a common first name next to a
surname ("Anna Johansson"), a name after a word such as "mamma", "borgeren" or
"fru" ("mamma Anna", "fru Jensen"), a street name with a house number
("Björkvägen 7", "Niels Juels Gade 10"), with the postcode and town after it.
A postcode and town alone ("412 63 Göteborg") is left: thousands share it, so
it identifies nobody. The common names are two data files beside this
module (data/first_names.txt, data/surnames.txt); docs/identifier-guard.md says
where they come from and what is deliberately left alone.

`find(text)` returns (kind, start, end) only: like the rest of the guard it
never keeps or returns what it found.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ADDRESS = "address"
NAME = "name"

_DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def _names(filename: str) -> frozenset[str]:
    lines = (_DATA / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold()
        for line in lines
        if line.strip() and not line.startswith("#")
    )


def first_names() -> frozenset[str]:
    return _names("first_names.txt")


def surnames() -> frozenset[str]:
    return _names("surnames.txt")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Surnames beyond the list are recognised by how Swedish and Danish surnames
# are made, but only right after a listed first name.
_SURNAME_ENDINGS = (
    "sson",
    "sen",
    "gaard",
    "gård",
    "berg",
    "ström",
    "strøm",
    "qvist",
    "kvist",
    "gren",
    "lund",
    "holm",
    "dahl",
)

# Words after which a listed name is a person's name: family, the people
# social services work with, forms of address. Casefolded.
_TITLES = _wordset(
    """
    mamma mamman pappa pappan mor modern moren far fadern faren mormor morfar
    farmor farfar dotter dottern datter datteren son sonen søn sønnen bror
    brodern broren brorsan syster systern søster søsteren syrran make maken
    maka makan mand manden kone konen hustru hustruen sambo sambon samlever
    samleveren kæreste kæresten pojkvän pojkvännen flickvän flickvännen
    partner partnern barnet barnbarnet barnebarnet flickan pojken pigen drengen
    tjejen killen kvinnan kvinden mannen moster mostern mosteren faster fastern
    fasteren morbror farbror kusin kusinen kusine fætter fætteren styvpappa
    styvpappan styvmamma styvmamman bonuspappa bonusmamma stedfar stedfaren
    stedmor stedmoren fostermamma fosterpappa plejemor plejefar bedstemor
    bedstefar vårdnadshavaren granne grannen nabo naboen familjen familien
    brukare brukaren klient klienten patient patienten borger borgeren beboer
    beboeren bruger brugeren boende eleven handläggaren socialsekreteraren
    sagsbehandleren socialrådgiveren kontaktpersonen kuratorn pædagogen läkaren
    lægen herr hr fru fröken frøken frk dr doktor
    mother father mum mom dad daughter brother sister husband wife client
    citizen resident neighbour neighbor family mr mrs ms miss
    """
)
# Abbreviations may be followed by their full stop: "hr. Hansen", "Dr. Berg".
_ABBREVIATIONS = frozenset({"hr", "frk", "dr", "mr", "mrs", "ms"})

# A name in the genitive followed by one of these is a hospital, a school or a
# street, not a person: "Astrid Lindgrens barnsjukhus".
_INSTITUTIONS = (
    "sjukhus",
    "sjukhuset",
    "hospital",
    "hospitalet",
    "skola",
    "skolan",
    "skole",
    "skolen",
    "gymnasium",
    "gymnasiet",
    "institut",
    "institutet",
    "instituttet",
    "stiftelse",
    "stiftelsen",
    "fond",
    "fonden",
    "plats",
    "plads",
    "park",
    "parken",
    "väg",
    "vej",
    "gata",
    "gade",
    "allé",
    "pris",
    "priset",
    "prisen",
)

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?:['’]s?)?")
_GENITIVE = re.compile(r"(?:['’]s?|(?<=[^\W\d_])s)$")


def _bare(word: str) -> str:
    return word.rstrip("'’")


def _capitalised(word: str) -> bool:
    parts = _bare(word).removesuffix("'s").removesuffix("’s").split("-")
    return all(p[0].isupper() and (p[1:].islower() or p.isupper()) for p in parts)


def _listed(word: str, names: frozenset[str]) -> bool:
    """Whether `word` is a listed name, or made of listed names ("Anna-Karin").

    The word, or its last part, may be in the genitive.
    """
    key = word.casefold()
    if key in names or _GENITIVE.sub("", key) in names:
        return True
    *parts, last = key.split("-")
    if last not in names and _GENITIVE.sub("", last) not in names:
        return False
    return bool(parts) and all(part in names for part in parts)


def _genitive_name(word: str) -> bool:
    """A listed first name in the genitive: "Annas", "Jens'", "Mette's".

    A plain "s" counts only where the word is not itself a name: "Hans
    mamma" is his mother.
    """
    key = word.casefold()
    stem = _GENITIVE.sub("", key)
    if stem == key or not _capitalised(word) or stem not in first_names():
        return False
    return key[-1] in "'’s" and (key[-1] != "s" or key not in first_names())


# Cached: a long text repeats its words, and each is looked at several times.
@functools.lru_cache(maxsize=4096)
def _surname_like(word: str) -> bool:
    if not _capitalised(word):
        return False
    if _listed(word, surnames()):
        return True
    key = _GENITIVE.sub("", word.casefold())
    return any(key.endswith(e) and len(key) > len(e) + 1 for e in _SURNAME_ENDINGS)


@functools.lru_cache(maxsize=4096)
def _first_name(word: str) -> bool:
    return _capitalised(word) and _listed(word, first_names())


def _joined(
    text: str, left: re.Match[str], right: re.Match[str], *, title: bool
) -> bool:
    """Whether two words stand together as a name does: one space between.

    After a title a comma may come between ("sonen, Erik,"), and after an
    abbreviated one its full stop ("hr. Hansen").
    """
    gap = text[left.end() : right.start()]
    if gap.isspace() and len(gap) == 1 and gap != "\n":
        return True
    if not title:
        return False
    if gap in (", ", ",\u00a0"):
        return True
    return gap in (". ", ".") and left[0].casefold() in _ABBREVIATIONS


def _name_at(text: str, words: list[re.Match[str]], i: int) -> tuple[int, int] | None:
    """Where a name found from word `i` starts, and the index of its last word.

    Word `i` is a title before a listed name ("mamma Anna"), a listed first
    name in the genitive before a title ("Annas mamma"), or a listed first name
    (perhaps two) before a surname ("Anna Maria Berg").
    """
    word, following = words[i], words[i + 1]
    if (
        word[0].casefold() in _TITLES
        and _joined(text, word, following, title=True)
        and _capitalised(following[0])
        and (_listed(following[0], first_names()) or _listed(following[0], surnames()))
    ):
        return following.start(), i + 1
    if (
        _genitive_name(word[0])
        and following[0].casefold() in _TITLES
        and _joined(text, word, following, title=False)
    ):
        return word.start(), i
    if not _first_name(word[0]):
        return None
    last = i + 1
    if (
        last + 1 < len(words)
        and _first_name(words[last][0])
        and _joined(text, words[last - 1], words[last], title=False)
        and _surname_like(words[last + 1][0])
        and _joined(text, words[last], words[last + 1], title=False)
    ):
        last += 1
    if _surname_like(words[last][0]) and _joined(
        text, words[last - 1], words[last], title=False
    ):
        return word.start(), last
    return None


def _names_in(text: str, words: list[re.Match[str]]) -> list[tuple[int, int]]:
    spans = []
    i = 0
    while i < len(words) - 1:
        if not (found := _name_at(text, words, i)):
            i += 1
            continue
        start, last = found
        # Double surnames written apart: "Anna Berg Johansson".
        while (
            last + 1 < len(words)
            and _surname_like(words[last + 1][0])
            and _joined(text, words[last], words[last + 1], title=False)
        ):
            last += 1
        after = words[last + 1] if last + 1 < len(words) else None
        if not (
            after
            and _joined(text, words[last], after, title=False)
            and after[0].casefold().endswith(_INSTITUTIONS)
        ):
            spans.append((start, words[last].end()))
        i = last + 1
    return spans


# Addresses

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_SP = r"[^\S\r\n]"

# Street names written as one word: Storgatan, Björkvägen, Nørregade, Skolevej.
_STREET_SUFFIXES = (
    "gatan",
    "vägen",
    "gränd",
    "gränden",
    "allén",
    "stigen",
    "torget",
    "backen",
    "leden",
    "slingan",
    "promenaden",
    "esplanaden",
    "gade",
    "vej",
    "vejen",
    "allé",
    "stræde",
    "torv",
    "torvet",
    "plads",
    "vænge",
    "vænget",
    "parken",
    "bakken",
    "boulevard",
)
# Street names written apart: Karl Johans väg, Niels Juels Gade, Frederiksberg
# Allé. Written in lower case (Swedish), the word before must be a genitive or
# one of _STREET_ADJECTIVES, so that "Hela vägen 3 km" stays out.
_STREET_WORDS = _wordset(
    "väg vägen gata gatan gränd allé torg gade vej stræde plads torv boulevard vænge"
)
_STREET_ADJECTIVES = _wordset(
    "gamla nya östra västra norra södra stora lilla övre nedre gammel ny store "
    "lille nørre søndre østre vestre"
)

_STREET_NUMBER = re.compile(
    rf"(?<![\w.-])(?P<street>[^\W\d_]++){_SP}++(?P<number>[1-9][0-9]{{0,3}})(?![0-9])"
)
_PREFIX_BEFORE = re.compile(rf"(?<!\w)([{_UPPER}][^\W\d_]+){_SP}$")
_NAMED_BEFORE = re.compile(
    rf"(?<![\w.'’-])(?:[{_UPPER}][\w.'’-]*{_SP}+){{1,3}}$",
)

_TOWN = rf"""
    [{_UPPER}][^\W\d_]++(?:[-\x20][{_UPPER}][^\W\d_]++)?
    (?:{_SP}(?:SV|NV|NØ|SØ|C|K|V|Ø|N|S)(?![\w]))?
"""
_SE_POSTCODE = r"(?:SE-?\x20?)?[1-9][0-9]{2}\x20?[0-9]{2}"
_DK_POSTCODE = r"(?:DK-?\x20?)?[1-9][0-9]{3}"

# What may follow the house number: a letter (12 B), a range (12-14), a floor
# or flat (2. th., lgh 1102), then the postcode and town on the same line or
# the next.
_AFTER_NUMBER = re.compile(
    rf"""
    (?:[A-Za-z\u00c0-\u00ff](?!\w)|{_SP}[{_UPPER}](?!\w))?
    (?:[-\u2013][0-9]{{1,4}}(?![0-9]))?
    (?:,?{_SP}*+(?:(?:st|kl|[0-9]{{1,2}})\.?{_SP}*+(?:th|tv|mf)\.?
                  |(?:lgh|lägenhet)\.?{_SP}*+[0-9]{{4}})(?!\w))?
    (?:(?:,{_SP}*+|{_SP}*+\r?\n{_SP}*+|{_SP}++)(?:{_SE_POSTCODE}|{_DK_POSTCODE})
        {_SP}++{_TOWN})?
    """,
    re.VERBOSE,
)

# An office's address is not a person's: "Socialkontoret, Storgatan 12". But
# a word about living somewhere makes it one again ("Hon bor nära
# socialkontoret, på Storgatan 12"). Stems, matched inside the words of the
# same sentence.
_OFFICE_STEMS = (
    "kontor",
    "förvaltning",
    "forvaltning",
    "rådhus",
    "stadshus",
    "kommunhus",
    "besöksadress",
    "besøgsadresse",
    "mottagning",
    "vårdcentral",
    "sjukhus",
    "hospital",
    "klinik",
    "jobcent",
    "borgerservice",
    "myndighe",
    "socialtjänst",
    "center",
    "centr",
    "polis",
    "politi",
    "tingsrätt",
    "domstol",
    "byret",
    "lokal",
    "reception",
    "bibliotek",
    "träffpunkt",
    "mötesplats",
    "mødested",
    "værested",
    "nämnd",
    "nævn",
    "försäkringskass",
    "arbetsförmedling",
)
_HOME_WORDS = _wordset(
    """
    bor bodde bott bo bosatt boende folkbokförd flyttat flyttade flyttar flytta
    hemma hemadress hemadressen hem hemmet lägenhet lägenheten bostad bostaden
    boede boet flyttet flytter flytte hjemme hjem hjemmet bopæl bolig boligen
    lejlighed lejligheden lives lived home
    """
)
_HOME = re.compile(rf"\b(?:{'|'.join(sorted(_HOME_WORDS))})\b")
_OFFICE = re.compile("|".join(_OFFICE_STEMS))
_SENTENCE_END = re.compile(r"[.!?]\s|\n\s*\n")
_LOOK_BACK = 120


def _is_office(text: str, start: int) -> bool:
    window = text[max(0, start - _LOOK_BACK) : start]
    ends = list(_SENTENCE_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    window = window.casefold()
    return not _HOME.search(window) and bool(_OFFICE.search(window))


def _street_start(text: str, match: re.Match[str]) -> int | None:
    """Where the street name before a house number begins, if it is one."""
    street = match["street"]
    key = street.casefold()
    if _capitalised(street) and any(
        key.endswith(s) and len(key) > len(s) + 1 for s in _STREET_SUFFIXES
    ):
        # "Östra Storgatan", "Sankt Eriksgatan": the prefix belongs to it.
        prefix = _PREFIX_BEFORE.search(text, max(0, match.start() - 20), match.start())
        if prefix and prefix[1].casefold() in _STREET_ADJECTIVES | {"sankt"}:
            return prefix.start()
        return match.start()
    if key not in _STREET_WORDS:
        return None
    before = text[max(0, match.start() - 80) : match.start()]
    named = _NAMED_BEFORE.search(before)
    if not named:
        return None
    nearest = named[0].split()[-1].rstrip("'’")
    if not street[0].isupper() and not (
        nearest.endswith("s") or nearest.casefold() in _STREET_ADJECTIVES
    ):
        return None
    return match.start() - len(before) + named.start()


def _addresses_in(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _STREET_NUMBER.finditer(text):
        start = _street_start(text, m)
        if start is None:
            continue
        after = _AFTER_NUMBER.match(text, m.end())
        assert after is not None  # Every part of it is optional: it always matches.
        end = after.end()
        if not _is_office(text, start):
            spans.append((start, end))
    return spans


def find(text: str) -> list[tuple[str, int, int]]:
    """Names and addresses in `text` as (kind, start, end); may overlap."""
    words = list(_WORD.finditer(text))
    found = [(NAME, start, end) for start, end in _names_in(text, words)]
    found += [(ADDRESS, start, end) for start, end in _addresses_in(text)]
    return found
