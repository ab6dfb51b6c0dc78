"""Time zones by the names people know them by, in the page's language.

An organisation stores its time zone as an IANA key ("Europe/Stockholm"); people
read "centraleuropeisk tid (Stockholm)" or choose "Sverige – Stockholm". The
names come from the Unicode CLDR through Babel, so they are the ones the
operating systems and browsers of the same language use.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from functools import cache

from babel.core import get_global
from babel.dates import get_timezone, get_timezone_location, get_timezone_name
from django.utils import translation

from lib import cldr

# The organisations are Nordic: beside Europe, the Faroe Islands, Greenland and
# Iceland, whose zones the IANA database files under the Atlantic and America.
NORDIC_OUTSIDE_EUROPE = ("America/Nuuk", "Atlantic/Faroe", "Atlantic/Reykjavik")

# The CLDR gives the Danish names capitalised, as they stand in a menu; inside
# a sentence Danish writes an adjective in lower case ("centraleuropæisk tid")
# and a country as a name ("Island-tid"), as the Swedish names already are.
_LOWER_ADJECTIVE = {"da"}

# The letters each language sorts after z, and letters it sorts as another.
_AFTER_Z = {"sv": "åäö", "da": "æøå"}
_SORTS_AS = {
    "sv": {"æ": "ä", "ø": "ö", "ü": "y"},
    "da": {"ä": "æ", "ö": "ø", "ü": "y"},
}


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def zone_name(key: str, language: str | None = None) -> str:
    """The zone as a sentence names it: "centraleuropeisk tid (Stockholm)"."""
    locale = cldr.locale(language)
    try:
        zone = get_timezone(key)
        generic = get_timezone_name(zone, locale=locale)
        city = get_timezone_location(zone, locale=locale, return_city=True)
    except LookupError:
        return key
    first_word = generic.split(" ")[0]
    if locale.language in _LOWER_ADJECTIVE and first_word.endswith("sk"):
        generic = generic[:1].lower() + generic[1:]
    return f"{generic} ({city})" if city and city not in generic else generic


def zone_label(key: str, language: str | None = None) -> str:
    """The zone by its country and city, to choose it: "Sverige – Stockholm"."""
    locale = cldr.locale(language)
    try:
        city = get_timezone_location(key, locale=locale, return_city=True)
    except LookupError:
        return key
    territories = get_global("zone_territories")
    alias = get_global("zone_aliases").get(key, key)
    territory = territories.get(key) or territories.get(alias, "")
    country = locale.territories.get(territory, "")
    if not country or country == city:
        return city
    return f"{country} – {city}"


def sort_key(text: str, language: str | None = None) -> str:
    """A key that sorts text in the language's alphabetical order.

    Python sorts by code point, which puts Å before Ä in Swedish and Å before
    Æ in Danish; this puts each language's last letters after z, in its order,
    and sorts other accented letters with their base letter.
    """
    language = _language(language)
    after_z = _AFTER_Z.get(language, "")
    text = text.casefold()
    for letter, same in _SORTS_AS.get(language, {}).items():
        text = text.replace(letter, same)
    key = []
    for char in text:
        if char in after_z:
            key.append(chr(ord("z") + 1 + after_z.index(char)))
        else:
            key.append(unicodedata.normalize("NFD", char)[0])
    return "".join(key)


@cache
def _zone_keys() -> tuple[str, ...]:
    """Europe's zones and the Nordic ones outside it, one key per place.

    Old names that the IANA database keeps as links ("Europe/Belfast",
    "Europe/Kiev") are left out where the zone they stand for is listed.
    """
    available = zoneinfo.available_timezones()
    keys = {z for z in available if z.startswith("Europe/")}
    keys |= {z for z in NORDIC_OUTSIDE_EUROPE if z in available}
    aliases = get_global("zone_aliases")
    return tuple(sorted(z for z in keys if aliases.get(z) not in keys))


def zone_choices(
    language: str | None = None, keep: str | None = None
) -> list[tuple[str, str]]:
    """The zones to choose from, named and sorted in the language.

    `keep` is a key stored before that is not in the list (an old name):
    it stays a choice, so saving a form does not change it unasked.
    """
    keys = list(_zone_keys())
    if keep and keep not in keys:
        keys.append(keep)
    choices = [(key, zone_label(key, language)) for key in keys]
    return sorted(choices, key=lambda choice: sort_key(choice[1], language))
