"""The questionnaire after a session, in the spirit of the Euro-MCD instrument.

Euro-MCD (the European Moral Case Deliberation Outcomes Instrument) asks those
who took part what a deliberation did for their moral competence, their moral
teamwork and their moral action. The items here are our own short wording of
those three domains, answered on a four-step scale in two minutes at the end of
a session. Stored scores name their item by key, so a wording may be improved
without changing what was measured; a key is never reused for another question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Domain(models.TextChoices):
    COMPETENCE = "competence", _("Moral competence")
    TEAMWORK = "teamwork", _("Moral teamwork")
    ACTION = "action", _("Moral action")


# Four steps and no middle: people say which way they lean.
SCALE: list[tuple[int, Promise]] = [
    (1, _("Not at all")),
    (2, _("To a small extent")),
    (3, _("To a large extent")),
    (4, _("Completely")),
]
LOWEST, HIGHEST = SCALE[0][0], SCALE[-1][0]


@dataclass(frozen=True)
class Item:
    key: str
    domain: str
    text: StrOrPromise


ITEMS: tuple[Item, ...] = (
    Item(
        "see-what-is-at-stake",
        Domain.COMPETENCE,
        _("I see more clearly what is ethically at stake in situations like this."),
    ),
    Item(
        "understand-others",
        Domain.COMPETENCE,
        _("I understand better how others see the situation."),
    ),
    Item(
        "own-reasons",
        Domain.COMPETENCE,
        _("I can put my own reasons into words better."),
    ),
    Item(
        "speak-openly",
        Domain.TEAMWORK,
        _("We could speak openly, also where we disagreed."),
    ),
    Item(
        "listened-to",
        Domain.TEAMWORK,
        _("The others listened to what I had to say."),
    ),
    Item(
        "shared-view",
        Domain.TEAMWORK,
        _("We came closer to a shared view of what matters in situations like this."),
    ),
    Item(
        "know-what-to-do",
        Domain.ACTION,
        _("I know better what I can do when a similar situation comes up."),
    ),
    Item(
        "values-guide-work",
        Domain.ACTION,
        _("I will let our value base guide my work more than before."),
    ),
    Item(
        "agreements-doable",
        Domain.ACTION,
        _("What we agreed is something we can carry out in our daily work."),
    ),
)
ITEMS_BY_KEY = {item.key: item for item in ITEMS}


def items_by_domain() -> list[tuple[str, StrOrPromise, list[Item]]]:
    """(domain, its name, its items) in the order of the questionnaire."""
    return [
        (domain, label, [item for item in ITEMS if item.domain == domain])
        for domain, label in Domain.choices
    ]
