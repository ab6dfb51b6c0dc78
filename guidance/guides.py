"""A short guide to each built-in method, for a facilitator running it the first time.

Keyed by the built-in method's key (reflections.builtin); the guide also knows
the method's name (the same source string), so that a session, which keeps the
name but not the key, finds its guide.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Guide:
    key: str
    name: Promise
    purpose: Promise
    length: Promise
    # Each step: what it is called in the guide, and how to run it.
    steps: list[tuple[Promise, Promise]]
    pitfalls: list[Promise]


GUIDES: list[Guide] = [
    Guide(
        key="dilemma-method",
        name=_("The dilemma method (ten steps)"),
        purpose=_(
            "For a concrete situation in which a colleague did not know what was "
            "right, when the group has time to go deep. The method slows the "
            "group down, so that the choice rests on reasons everyone has heard."
        ),
        length=_(
            "Plan 60 to 95 minutes; the session offers a ready plan for 60 and for "
            "90. With less time, keep the telling of the case short and give the "
            "time you save to the dialogue."
        ),
        steps=[
            (
                _("The case"),
                _(
                    "Ask the one who brings the case to tell it in a few minutes, "
                    "in their own words, and to name the moment it felt wrong. "
                    "The others listen without interrupting."
                ),
            ),
            (
                _("The dilemma"),
                _(
                    "Help the group write the question as: should I do A, and harm "
                    "this, or B, and harm that? If only one option has a cost, it "
                    "is not a dilemma yet; work on the question until both do."
                ),
            ),
            (
                _("Clarifying questions"),
                _(
                    "Let everyone ask about facts. Stop, kindly, questions that are "
                    'advice in disguise ("did you not think of ...?").'
                ),
            ),
            (
                _("Perspectives, values and norms"),
                _(
                    "Fill the table one party at a time, starting with the person "
                    "the case is about. For each, name the values at stake and the "
                    "norm that follows from them."
                ),
            ),
            (
                _("Alternatives"),
                _(
                    "Collect options without judging them. Ask for at least one "
                    "beyond A and B."
                ),
            ),
            (
                _("Individual weighing"),
                _(
                    "Give everyone quiet time to write their own position. Reveal "
                    "the positions when most have written; nobody has to defend "
                    "theirs yet."
                ),
            ),
            (
                _("Dialogue"),
                _(
                    "Start from where the positions differ. Ask what would make "
                    "someone change their mind, and listen for the values behind "
                    "each answer."
                ),
            ),
            (
                _("Conclusion"),
                _(
                    "Write down what the group concludes and where it still "
                    "disagrees. The one who brought the case has the last word on "
                    "what they take with them."
                ),
            ),
            (
                _("Actions"),
                _(
                    "Agree who does what by when, and how the harm of the chosen "
                    "option will be kept small. Every action gets one owner."
                ),
            ),
            (
                _("Closing round"),
                _(
                    "Ask briefly how the conversation went and what the group "
                    "learned about its work. Then point everyone to the anonymous "
                    "evaluation."
                ),
            ),
        ],
        pitfalls=[
            _("Jumping to solutions before the dilemma is clear."),
            _(
                "Letting the one who brought the case defend themselves: the group "
                "reflects with them, it does not judge them."
            ),
            _("Spending the time on facts that do not change the moral question."),
        ],
    ),
    Guide(
        key="five-step-model",
        name=_("Five-step reflection model"),
        purpose=_(
            "A shorter model for a case the group already knows something of, or "
            "for a meeting with little time. It leads from facts to advice in "
            "five steps."
        ),
        length=_(
            "Plan 45 to 60 minutes; the session offers a ready plan for 60, and "
            "one for 90 when the parties need more time."
        ),
        steps=[
            (
                _("Facts"),
                _(
                    "Separate what we know from what we assume. Write open "
                    "questions down rather than guessing."
                ),
            ),
            (
                _("The ethical problem"),
                _(
                    "Name the values or duties that pull in different directions. "
                    "One sentence is enough."
                ),
            ),
            (
                _("The parties"),
                _(
                    "List everyone the decision affects and what matters to each, "
                    "starting with the person the case is about."
                ),
            ),
            (
                _("Courses of action"),
                _(
                    "Collect the possible courses of action, doing nothing "
                    "included, and note what each one costs."
                ),
            ),
            (
                _("Advice"),
                _(
                    "Agree the advice and the actions that follow, each with an "
                    "owner and a date."
                ),
            ),
        ],
        pitfalls=[
            _("Spending most of the time on the facts."),
            _(
                "Forgetting parties who are not in the room, such as relatives or "
                "the person's network."
            ),
        ],
    ),
    Guide(
        key="four-principles",
        name=_("Four-principles analysis"),
        purpose=_(
            "For questions about care or support against a person's wishes, or "
            "about a fair share of limited resources. The four principles give "
            "the group a shared way through the case."
        ),
        length=_(
            "Plan 60 to 75 minutes; the session offers a ready plan for 60, and "
            "one for 90 when the principles pull hard against each other."
        ),
        steps=[
            (
                _("The case"),
                _("Describe the situation and the decision to be made, briefly."),
            ),
            (
                _("Autonomy"),
                _(
                    "Ask what the person wants and how they have been asked. Note "
                    "what would support their own decision."
                ),
            ),
            (
                _("Not harming"),
                _("For each option, name the harm it could cause and to whom."),
            ),
            (
                _("Doing good"),
                _(
                    "Ask which option does the most good as the person sees it, "
                    "not only as staff see it."
                ),
            ),
            (
                _("Justice"),
                _(
                    "Compare with how others in the same situation are treated. "
                    "If this is an exception, can the group defend it?"
                ),
            ),
            (
                _("Weighing"),
                _(
                    "Everyone writes privately which principle weighs heaviest "
                    "here and why; then reveal the positions together."
                ),
            ),
            (
                _("Decision and actions"),
                _("Agree what the group decides and who does what by when."),
            ),
        ],
        pitfalls=[
            _(
                "Adding the principles up like a score: they are weighed against "
                "each other, not counted."
            ),
            _("Letting the principles take the place of the person's own words."),
        ],
    ),
]

BY_KEY = {guide.key: guide for guide in GUIDES}


def guide_for(key: str = "", name: str = "") -> Guide | None:
    """The guide of a built-in method, by its key or by its name in any language."""
    if key in BY_KEY:
        return BY_KEY[key]
    if not name:
        return None
    for guide in GUIDES:
        for language in ("sv", "da", "en"):
            with translation.override(language):
                if str(guide.name) == name:
                    return guide
    return None
