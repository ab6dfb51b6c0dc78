"""Demo voices for `manage.py load_demo`: some cases with the person's own
view (and their network's), some without, so that both show.

The texts are our own, in the organisation's language, and identify no one.
"""

from __future__ import annotations

from .models import Dilemma, Voice

# (the person's own words, the network's words)
VOICES = {
    "sv": (
        "Jag vill klara mig själv så länge det går. Fråga mig, bestäm inte över "
        "huvudet på mig.",
        "Vi är oroliga, men vi vill att hen får vara med och bestämma.",
    ),
    "da": (
        "Jeg vil klare mig selv, så længe jeg kan. Spørg mig, og bestem ikke hen "
        "over hovedet på mig.",
        "Vi er bekymrede, men vi vil gerne have, at vedkommende selv er med til "
        "at bestemme.",
    ),
    "en": (
        "I want to manage on my own for as long as I can. Ask me, do not decide "
        "over my head.",
        "We are worried, but we want them to have a say themselves.",
    ),
}


def add_demo_voices(dilemma: Dilemma, language: str) -> None:
    """The person asked in person, the network asked, no representative."""
    own_words, network = VOICES.get(language, VOICES["en"])
    Voice.objects.bulk_create(
        [
            Voice(
                dilemma=dilemma,
                kind=Voice.Kind.PERSON,
                asked="in_person",
                wishes=own_words,
            ),
            Voice(
                dilemma=dilemma,
                kind=Voice.Kind.NETWORK,
                asked="in_person",
                wishes=network,
            ),
            Voice(dilemma=dilemma, kind=Voice.Kind.REPRESENTATIVE, asked="no_one"),
        ]
    )
