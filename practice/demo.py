"""Demo practice cases for `manage.py load_demo`: two of each organisation's own."""

from __future__ import annotations

from organisations.models import Organisation, Role

from .models import Area, PracticeCase

# (area, title, situation, question, values in tension, facilitator's note)
OWN_CASES: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "sv": [
        (
            Area.OLDER_PEOPLE,
            "Kaffet på morgonen",
            "En kvinna i hemtjänsten vill att personalen stannar och dricker kaffe "
            "med henne varje morgon. Schemat ger tio minuter per besök.",
            "Ska personalen ta sig tiden, eller hålla sig till det som är beviljat?",
            "Medmänsklighet mot likabehandling\nDen enskildes behov mot schemat",
            "Fråga vad kaffestunden betyder, och vem som får bära kostnaden för "
            "att den inte blir av.",
        ),
        (
            Area.SUBSTANCE,
            "Sprutbytet",
            "En man i öppenvården frågar var han kan få rena sprutor. Enheten har "
            "inte pratat om hur den ska svara på sådana frågor.",
            "Ska vi ge honom informationen, eller bara hänvisa till behandling?",
            "Att minska skada mot att inte bekräfta ett bruk\nÄrlighet mot uppdrag",
            "Låt gruppen skilja mellan egna värderingar och enhetens uppdrag.",
        ),
    ],
    "da": [
        (
            Area.PSYCHIATRY,
            "Kaffen om morgenen",
            "En borger i bostøtten ønsker, at medarbejderen bliver og drikker "
            "kaffe med ham hver morgen. Planen giver ti minutter pr. besøg.",
            "Skal medarbejderen tage sig tiden, eller holde sig til det bevilgede?",
            "Medmenneskelighed over for ligebehandling\n"
            "Borgerens behov over for planen",
            "Spørg, hvad kaffen betyder, og hvem der bærer prisen, hvis den udebliver.",
        ),
        (
            Area.HOUSING,
            "Nøglen til depotrummet",
            "En lejer beder bostøtten om at passe på hans ekstranøgle, fordi han "
            "ofte låser sig ude.",
            "Skal vi tage imod nøglen, eller sige nej?",
            "Hjælpsomhed over for faglige grænser\nTillid over for ansvar",
            "Drøft, hvad det betyder for relationen at have en borgers nøgle.",
        ),
    ],
    "en": [
        (
            Area.OLDER_PEOPLE,
            "Morning coffee",
            "A woman receiving home care wants the carer to stay for a coffee with "
            "her every morning. The rota allows ten minutes a visit.",
            "Should the carer take the time, or keep to what was granted?",
            "Compassion vs equal treatment\nThe person's needs vs the rota",
            "Ask what the coffee means to her, and who pays if it does not happen.",
        ),
        (
            Area.HOUSING,
            "The spare key",
            "A tenant asks his support worker to keep his spare key, as he often "
            "locks himself out.",
            "Should we take the key, or say no?",
            "Helpfulness vs professional boundaries\nTrust vs responsibility",
            "Discuss what holding someone's key does to the relationship.",
        ),
    ],
}


def load_demo_practice_cases(organisation: Organisation) -> None:
    """Idempotent: an organisation that has its own cases is left alone."""
    PracticeCase.objects.seed_builtin()
    if PracticeCase.objects.own(organisation).exists():
        return
    author = (
        organisation.memberships.filter(role=Role.FACILITATOR).order_by("pk").first()
    )
    cases = OWN_CASES.get(organisation.language, OWN_CASES["en"])
    PracticeCase.objects.bulk_create(
        PracticeCase(
            organisation=organisation,
            created_by=author,
            area=area,
            title=title,
            situation=situation,
            question=question,
            tensions=tensions,
            note=note,
        )
        for area, title, situation, question, tensions, note in cases
    )
