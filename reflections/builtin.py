"""The methods every organisation starts with, in our own words.

English source strings; the catalogues in locale/ carry Swedish and Danish. An
organisation gets its own copy in its language the first time methods are
needed, and adapts that copy as it likes.
"""

from __future__ import annotations

from typing import TypedDict

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXT = "text"
PERSPECTIVES = "perspectives"
OPTIONS = "options"
POSITIONS = "positions"
AGREEMENTS = "agreements"


class MethodSpec(TypedDict):
    key: str
    # The step whose notes are the reflection's conclusion, counted from 1.
    concludes: int
    # The step that starts from the person's own view, before the professionals'
    # perspectives: its page shows the voices the case records (or asks whose
    # is missing), counted from 1.
    person_view: int
    name: Promise
    description: Promise
    # Each step: title, guidance, kind of record, time box in minutes.
    steps: list[tuple[Promise, Promise, str, int]]
    # Plans to the clock, by their length in minutes: each step's time box,
    # None for a step the plan leaves out. They add up to their length.
    plans: dict[int, tuple[int | None, ...]]


METHODS: list[MethodSpec] = [
    {
        "key": "dilemma-method",
        # The step whose notes are the reflection's conclusion, counted from 1.
        "concludes": 8,
        "person_view": 4,
        # A 60-minute meeting keeps every step short and gives the dialogue
        # what the telling of the case gives up; 90 minutes is the method at
        # its usual pace, with the dialogue a little longer.
        "plans": {
            60: (6, 4, 6, 10, 6, 6, 10, 4, 5, 3),
            90: (10, 5, 10, 15, 10, 10, 12, 5, 8, 5),
        },
        "name": _("The dilemma method (ten steps)"),
        "description": _(
            "Moral case deliberation in ten steps: from a concrete situation "
            "to a well-argued choice the group can act on."
        ),
        "steps": [
            (
                _("The case"),
                _(
                    "The one who brought the case tells it from their own "
                    "perspective: what happened, when did it feel wrong?"
                ),
                TEXT,
                10,
            ),
            (
                _("The dilemma"),
                _(
                    "Put the moral question into words: should I do A (and harm "
                    "this) or B (and harm that)? Both options have a cost."
                ),
                TEXT,
                5,
            ),
            (
                _("Clarifying questions"),
                _(
                    "Everyone may ask about facts the group needs in order to "
                    "understand the situation. No advice yet."
                ),
                TEXT,
                10,
            ),
            (
                _("Perspectives, values and norms"),
                _(
                    "Start with the person the case is about: what do they want, "
                    "in their own words, and what do their relatives or "
                    "representative say? Whose voice is missing? Then, for each "
                    "other party involved: which values are at stake for them, "
                    "and what norm follows (we should ...)?"
                ),
                PERSPECTIVES,
                15,
            ),
            (
                _("Alternatives"),
                _(
                    "Look for more options than A and B. What else could be "
                    "done? Write every option down without judging it."
                ),
                OPTIONS,
                10,
            ),
            (
                _("Individual weighing"),
                _(
                    "Each participant writes privately: which option do I "
                    "choose, on which value, and what harm do I accept? Then "
                    "all positions are revealed together."
                ),
                POSITIONS,
                10,
            ),
            (
                _("Dialogue"),
                _(
                    "Talk about where the positions agree and differ. What "
                    "would make you change your mind?"
                ),
                TEXT,
                15,
            ),
            (
                _("Conclusion"),
                _(
                    "What does the group conclude? Where does it still "
                    "disagree, and why? How will the person hear what we "
                    "concluded and what we will do: who talks with them, and "
                    "when?"
                ),
                TEXT,
                5,
            ),
            (
                _("Actions"),
                _(
                    "Agree who does what by when, and how the harm of the "
                    "chosen option can be limited."
                ),
                AGREEMENTS,
                10,
            ),
            (
                _("Closing round"),
                _(
                    "How did we talk together? What did we learn about our work? "
                    "(The anonymous evaluation comes after the session.)"
                ),
                TEXT,
                5,
            ),
        ],
    },
    {
        "key": "five-step-model",
        "concludes": 5,
        "person_view": 3,
        "plans": {60: (10, 10, 15, 12, 13), 90: (15, 15, 25, 15, 20)},
        "name": _("Five-step reflection model"),
        "description": _(
            "A short structured model: facts, the ethical problem, the parties, "
            "courses of action and advice."
        ),
        "steps": [
            (
                _("Facts"),
                _("What do we know, and what do we not know yet?"),
                TEXT,
                10,
            ),
            (
                _("The ethical problem"),
                _("Which values or duties pull in different directions?"),
                TEXT,
                10,
            ),
            (
                _("The parties"),
                _(
                    "Start with the person: what do they want, in their own "
                    "words? Whose voice is missing? Then: who else is affected, "
                    "and what matters to each of them?"
                ),
                PERSPECTIVES,
                15,
            ),
            (
                _("Courses of action"),
                _("Which courses of action are open to us?"),
                OPTIONS,
                10,
            ),
            (
                _("Advice"),
                _(
                    "What do we advise, and what will we do? How were these "
                    "actions discussed with the person, or who will discuss "
                    "them with them, and when?"
                ),
                AGREEMENTS,
                10,
            ),
        ],
    },
    {
        "key": "four-principles",
        "concludes": 7,
        "person_view": 2,
        "plans": {
            60: (10, 8, 8, 8, 8, 8, 10),
            90: (12, 12, 12, 12, 12, 15, 15),
        },
        "name": _("Four-principles analysis"),
        "description": _(
            "Weigh the case against four principles: autonomy, not harming, "
            "doing good and justice."
        ),
        "steps": [
            (
                _("The case"),
                _("Describe the situation and the decision to be made."),
                TEXT,
                10,
            ),
            (
                _("Autonomy"),
                _(
                    "Start from the person's own view: what do they want, in "
                    "their own words, and whose voice is missing? How is their "
                    "right to decide over their own life respected?"
                ),
                TEXT,
                10,
            ),
            (
                _("Not harming"),
                _("Which harm could each option cause, and to whom?"),
                TEXT,
                10,
            ),
            (
                _("Doing good"),
                _("Which option does the most good for the person?"),
                TEXT,
                10,
            ),
            (
                _("Justice"),
                _("Is the person treated as others in the same situation would be?"),
                TEXT,
                10,
            ),
            (
                _("Weighing"),
                _(
                    "Each participant writes privately which principle weighs "
                    "heaviest here and why; the positions are revealed together."
                ),
                POSITIONS,
                10,
            ),
            (
                _("Decision and actions"),
                _(
                    "What does the group agree, and who does what by when? How "
                    "were the actions discussed with the person, or who will "
                    "discuss them with them, and when?"
                ),
                AGREEMENTS,
                10,
            ),
        ],
    },
]


def plans_for(key: str, steps: int) -> dict[int, tuple[int | None, ...]]:
    """The plans of the built-in method `key`, if its copy still has its steps.

    An organisation may adapt its copy of a method; a plan written for the
    shipped steps fits only while the number of steps is the same.
    """
    for spec in METHODS:
        if spec["key"] == key and len(spec["steps"]) == steps:
            return spec["plans"]
    return {}
