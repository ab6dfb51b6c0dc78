"""The glossary: the words of ethics reflection and of each built-in method.

English source strings with Swedish and Danish in the catalogues, like the
built-in methods themselves. Each term also carries the forms of the word that
a step's title may use (translated too), so that a step page can link the words
it uses to their entries whatever language its method was seeded in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Term:
    slug: str
    name: Promise
    definition: Promise
    # Comma-separated forms of the word as a title may use them.
    forms: Promise
    # Words every method uses, or the words of the methods' own steps.
    core: bool = False


TERMS: list[Term] = [
    Term(
        "value",
        _("value"),
        _(
            "Something we hold important and want to protect in our work, such as "
            "dignity, safety or a person's say over their own life. A value gives "
            "a reason to act; on its own it does not say what to do."
        ),
        pgettext_lazy("forms of a glossary word", "value, values"),
        core=True,
    ),
    Term(
        "norm",
        _("norm"),
        _(
            'A rule for action that follows from a value: "we should ..." or '
            '"we must not ...". A norm says what a value asks of us in this '
            "situation."
        ),
        pgettext_lazy("forms of a glossary word", "norm, norms"),
        core=True,
    ),
    Term(
        "value-conflict",
        _("value conflict"),
        _(
            "Two or more values that cannot all be honoured at once: protecting "
            "one means giving up some of another. Value conflicts are what makes "
            "a case hard, not a lack of goodwill."
        ),
        pgettext_lazy(
            "forms of a glossary word",
            "value conflict, value conflicts, values in tension",
        ),
        core=True,
    ),
    Term(
        "trade-off",
        _("trade-off"),
        _(
            "What we give up when we choose: the harm or loss an option brings, "
            "accepted for the sake of what it protects. Naming the trade-off "
            "openly is the first step to keeping the harm small."
        ),
        pgettext_lazy("forms of a glossary word", "trade-off, trade-offs"),
        core=True,
    ),
    Term(
        "dilemma",
        _("dilemma"),
        _(
            "A situation in which every option costs something morally "
            "important, so that we must choose what to give up. More facts do not "
            "make a dilemma go away; a clear question helps the group face it."
        ),
        pgettext_lazy("forms of a glossary word", "dilemma, dilemmas"),
        core=True,
    ),
    Term(
        "perspective",
        _("perspective"),
        _(
            "How the situation looks from where one party stands: the person the "
            "case is about, their relatives, staff, the organisation. Each party "
            "has its own values at stake."
        ),
        pgettext_lazy(
            "forms of a glossary word", "perspective, perspectives, party, parties"
        ),
        core=True,
    ),
    Term(
        "case",
        _("case"),
        _(
            "The concrete situation the group reflects on, told without anything "
            "that could identify the people in it, from the view of the one who "
            "met it."
        ),
        pgettext_lazy("forms of a glossary word", "case, the case"),
    ),
    Term(
        "facts",
        _("facts"),
        _(
            "What we know about the situation, kept apart from what we assume and "
            "from how we judge it. Open questions are written down, not guessed."
        ),
        pgettext_lazy("forms of a glossary word", "facts, fact"),
    ),
    Term(
        "clarifying-questions",
        _("clarifying questions"),
        _(
            "Questions about facts that help everyone understand the case, asked "
            "before anyone gives advice or a view. A question that hides advice "
            "waits for later."
        ),
        pgettext_lazy(
            "forms of a glossary word", "clarifying questions, clarifying question"
        ),
    ),
    Term(
        "ethical-problem",
        _("ethical problem"),
        _(
            "The core of a case in one sentence: which values or duties pull in "
            "different directions, and for whom."
        ),
        pgettext_lazy(
            "forms of a glossary word", "ethical problem, the ethical problem"
        ),
    ),
    Term(
        "alternative",
        _("alternative"),
        _(
            "A course of action beyond the first two that come to mind. Looking "
            "for alternatives widens the choice before it is made; doing nothing "
            "is an alternative too."
        ),
        pgettext_lazy(
            "forms of a glossary word",
            "alternative, alternatives, course of action, courses of action",
        ),
    ),
    Term(
        "position",
        _("individual position"),
        _(
            "What one participant would choose, on which value and with which "
            "harm accepted. Everyone writes theirs privately first; then all are "
            "revealed together, so that nobody simply follows the others."
        ),
        pgettext_lazy(
            "forms of a glossary word",
            "position, positions, weighing, individual weighing",
        ),
    ),
    Term(
        "dialogue",
        _("dialogue"),
        _(
            "A conversation that tries to understand the others' reasons rather "
            "than to win. Differences are explored, not voted on."
        ),
        pgettext_lazy("forms of a glossary word", "dialogue"),
    ),
    Term(
        "conclusion",
        _("conclusion"),
        _(
            "What the group arrives at, the advice it gives or the decision it "
            "takes, and where it still disagrees and why. Honest disagreement is "
            "a result too."
        ),
        pgettext_lazy("forms of a glossary word", "conclusion, advice, decision"),
    ),
    Term(
        "action",
        _("agreed action"),
        _(
            "Who does what by when, so that the conclusion is put into practice. "
            "Each action has one owner and is followed up at a later meeting."
        ),
        pgettext_lazy("forms of a glossary word", "action, actions, agreed actions"),
    ),
    Term(
        "closing-round",
        _("closing round"),
        _(
            "The last round of a session: the group looks back on how it talked "
            "together and what it learned. It is not the anonymous evaluation, "
            "which each participant answers alone afterwards."
        ),
        pgettext_lazy(
            "forms of a glossary word", "closing round, evaluation, looking back"
        ),
    ),
    Term(
        "autonomy",
        _("autonomy"),
        _(
            "A person's right to decide over their own life as far as they are "
            "able, and to get the support they need to decide."
        ),
        pgettext_lazy("forms of a glossary word", "autonomy, self-determination"),
    ),
    Term(
        "not-harming",
        _("not harming"),
        _(
            "The duty not to cause harm, or where some harm cannot be avoided, "
            "to keep it as small as possible."
        ),
        pgettext_lazy("forms of a glossary word", "not harming, non-maleficence"),
    ),
    Term(
        "doing-good",
        _("doing good"),
        _(
            "The duty to act for the person's good and well-being, as the person "
            "sees it and not only as staff see it."
        ),
        pgettext_lazy("forms of a glossary word", "doing good, beneficence"),
    ),
    Term(
        "justice",
        _("justice"),
        _(
            "Treating like cases alike and sharing what there is fairly: the "
            "person is treated as others in the same situation would be."
        ),
        pgettext_lazy("forms of a glossary word", "justice, fairness"),
    ),
]

BY_SLUG = {term.slug: term for term in TERMS}


@cache
def _pattern(language: str, slug: str) -> re.Pattern[str]:
    with translation.override(language):
        forms = [f.strip() for f in str(BY_SLUG[slug].forms).split(",")]
    # Longest first, so that "values" is tried before "value".
    alternatives = "|".join(
        re.escape(f) for f in sorted(filter(None, forms), key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def terms_in(text: str) -> list[Term]:
    """The glossary terms a text (a step's title) uses, in glossary order.

    Looked for in the language of the request and, since a method keeps the
    language it was seeded in, in the other two as well.
    """
    languages = dict.fromkeys([translation.get_language() or "en", "sv", "da", "en"])
    return [
        term
        for term in TERMS
        if any(_pattern(language, term.slug).search(text) for language in languages)
    ]
