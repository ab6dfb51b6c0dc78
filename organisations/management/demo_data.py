"""Demo organisations, modelled on real Nordic value-base documents.

All names are fictional and all texts are our own. Used by `manage.py load_demo`
and by tests that want a realistic organisation.
"""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "reflektera-tillsammans"

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "alvdala",
        "name": "Älvdala kommun, socialförvaltningen",
        "language": "sv",
        "time_zone": "Europe/Stockholm",
        "domain": "alvdala.example",
        # Its value base is on a public page (values/public.py): /public/alvdala/
        "publish_values": True,
        "public_contact": "tillganglighet@alvdala.example",
        "units": [
            ("Socialförvaltningen", "administration", None),
            ("Barn och familj", "area", "Socialförvaltningen"),
            ("Utredning barn och unga", "unit", "Barn och familj"),
            ("Familjebehandling", "unit", "Barn och familj"),
            ("Vuxen", "area", "Socialförvaltningen"),
            ("Beroende och missbruk", "unit", "Vuxen"),
            ("Ekonomiskt bistånd", "unit", "Vuxen"),
        ],
        "audiences": [
            ("clients", "Medarbetare i mötet med brukare och närstående"),
            ("professional", "Medarbetare i yrkesrollen"),
            ("managers", "Chefer"),
            ("colleagues", "Arbetskamrater"),
        ],
        "groups": [
            ("Etikgruppen barn och familj", "Barn och familj"),
            ("Reflektionsgruppen vuxen", "Vuxen"),
        ],
        "people": [
            (
                "staff",
                "Sara Lindqvist",
                "Utredning barn och unga",
                ["clients", "professional", "colleagues"],
            ),
            (
                "facilitator",
                "Johan Berg",
                "Familjebehandling",
                ["clients", "professional", "colleagues"],
            ),
            ("manager", "Maria Ek", "Barn och familj", ["managers", "colleagues"]),
            (
                "editor",
                "Leila Haddad",
                "Socialförvaltningen",
                ["professional", "colleagues"],
            ),
            ("admin", "Anders Holm", "Socialförvaltningen", ["managers"]),
        ],
        # Colleagues who fill the groups, so that sessions have enough people
        # for an evaluation to show results.
        "colleagues": [
            ("amira.yusuf", "Amira Yusuf", "Utredning barn och unga", ["clients"]),
            ("peter.lind", "Peter Lind", "Familjebehandling", ["clients"]),
            ("elin.karlsson", "Elin Karlsson", "Beroende och missbruk", ["clients"]),
        ],
    },
    {
        "slug": "vestby",
        "name": "Vestby Kommune, socialpsykiatrien",
        "language": "da",
        "time_zone": "Europe/Copenhagen",
        "domain": "vestby.example",
        "units": [
            ("Socialpsykiatrien", "administration", None),
            ("Bostøtte", "area", "Socialpsykiatrien"),
            ("Botilbuddet Engen", "unit", "Bostøtte"),
            ("Støtte i eget hjem", "unit", "Bostøtte"),
            ("Værestedet Havnen", "unit", "Socialpsykiatrien"),
        ],
        "audiences": [
            ("citizens", "Medarbejdere i mødet med borgere og pårørende"),
            ("managers", "Ledere"),
            ("colleagues", "Kolleger"),
        ],
        "groups": [
            ("Etisk refleksion Engen", "Botilbuddet Engen"),
            ("Refleksionsgruppen bostøtte", "Bostøtte"),
        ],
        "people": [
            (
                "staff",
                "Mette Sørensen",
                "Botilbuddet Engen",
                ["citizens", "colleagues"],
            ),
            (
                "facilitator",
                "Rasmus Nielsen",
                "Støtte i eget hjem",
                ["citizens", "colleagues"],
            ),
            ("manager", "Hanne Kjær", "Bostøtte", ["managers", "colleagues"]),
            ("editor", "Jonas Vestergaard", "Socialpsykiatrien", ["colleagues"]),
            ("admin", "Pia Thomsen", "Socialpsykiatrien", ["managers"]),
        ],
        "colleagues": [
            ("soren.holm", "Søren Holm", "Botilbuddet Engen", ["citizens"]),
            ("fatima.ali", "Fatima Ali", "Støtte i eget hjem", ["citizens"]),
            ("line.madsen", "Line Madsen", "Værestedet Havnen", ["citizens"]),
        ],
    },
    {
        "slug": "bjorkvik",
        "name": "Björkviks kommun, socialtjänsten",
        "language": "sv",
        "time_zone": "Europe/Stockholm",
        "domain": "bjorkvik.example",
        "units": [
            ("Socialtjänsten", "administration", None),
            ("Individ- och familjeomsorg", "unit", "Socialtjänsten"),
            ("Personligt ombud", "unit", "Socialtjänsten"),
        ],
        "audiences": [
            ("clients", "Medarbetare i mötet med medborgare"),
            ("managers", "Chefer"),
        ],
        "groups": [
            ("Etikrådet socialtjänsten", "Socialtjänsten"),
        ],
        "people": [
            ("staff", "Emma Nyström", "Individ- och familjeomsorg", ["clients"]),
            ("facilitator", "Oskar Sandberg", "Personligt ombud", ["clients"]),
            ("manager", "Karin Wallin", "Socialtjänsten", ["managers"]),
            ("editor", "Nils Åberg", "Socialtjänsten", ["clients"]),
            ("admin", "Eva Strand", "Socialtjänsten", ["managers"]),
        ],
        "colleagues": [
            ("ali.hassan", "Ali Hassan", "Individ- och familjeomsorg", ["clients"]),
            ("maja.bjork", "Maja Björk", "Individ- och familjeomsorg", ["clients"]),
            ("henrik.strom", "Henrik Ström", "Personligt ombud", ["clients"]),
        ],
    },
]

# One person in two organisations, to show switching between them.
SHARED_PERSON: dict[str, Any] = {
    "email": "kim.dahl@demo.example",
    "name": "Kim Dahl",
    "memberships": [
        ("alvdala", "facilitator", "Beroende och missbruk", ["clients", "colleagues"]),
        ("bjorkvik", "staff", "Personligt ombud", ["clients"]),
    ],
}
