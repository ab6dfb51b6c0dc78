"""Time zone names from the CLDR, and sorting in the Nordic alphabets."""

from __future__ import annotations

from lib.zones import sort_key, zone_label, zone_name


def test_a_zone_is_named_as_a_sentence_of_the_language_names_it():
    assert zone_name("Europe/Stockholm", "sv") == "centraleuropeisk tid (Stockholm)"
    assert zone_name("Europe/Copenhagen", "da") == "centraleuropæisk tid (København)"
    assert zone_name("Atlantic/Reykjavik", "da") == "Island-tid (Reykjavik)"
    assert zone_name("Europe/London", "en") == "British Time (London)"


def test_an_unknown_key_is_shown_as_it_is():
    assert zone_name("Mars/Olympus_Mons", "sv") == "Mars/Olympus_Mons"
    assert zone_label("Mars/Olympus_Mons", "sv") == "Mars/Olympus_Mons"


def test_a_zone_is_chosen_by_country_and_city():
    assert zone_label("Europe/Mariehamn", "sv") == "Åland – Mariehamn"
    assert zone_label("Europe/Nicosia", "da") == "Cypern – Nicosia"
    assert zone_label("Europe/Jersey", "en") == "Jersey"


def test_each_language_sorts_its_own_last_letters_after_z():
    words = ["Ödeshög", "Älvdalen", "Åre", "Zinkgruvan", "Avesta", "Üllö"]
    assert sorted(words, key=lambda w: sort_key(w, "sv")) == [
        "Avesta",
        "Üllö",
        "Zinkgruvan",
        "Åre",
        "Älvdalen",
        "Ödeshög",
    ]
    danish = ["Århus", "Ølstykke", "Ærø", "Aabybro", "Zealand"]
    assert sorted(danish, key=lambda w: sort_key(w, "da")) == [
        "Aabybro",
        "Zealand",
        "Ærø",
        "Ølstykke",
        "Århus",
    ]
