"""The first visit: what a person in each role does first, on their dashboard
until they put it away."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Role

from .models import Dismissal

# Per role: what to do first, and the page (URL name) where it is done.
FIRST_STEPS: dict[str, list[tuple[Promise, str]]] = {
    Role.STAFF: [
        (
            _("Read the value base in force and the guidelines for your role."),
            "values:index",
        ),
        (
            _("See your reflection groups and when they meet next."),
            "meetings:group_list",
        ),
        (
            _(
                "Met a situation where you were unsure what was right? Raise it "
                "as a dilemma for your group."
            ),
            "dilemmas:create",
        ),
    ],
    Role.FACILITATOR: [
        (
            _("Read the short guide to the method your group will use."),
            "guidance:index",
        ),
        (
            _("Look at your groups and schedule or open their next meeting."),
            "meetings:group_list",
        ),
        (
            _("Put a dilemma on a meeting's agenda to prepare a session."),
            "dilemmas:list",
        ),
    ],
    Role.MANAGER: [
        (
            _("See which groups meet, and when, across your units."),
            "meetings:overview",
        ),
        (
            _("Follow participation, open actions and evaluations in Insights."),
            "insights:overview",
        ),
        (
            _("Read the value base your units work by."),
            "values:index",
        ),
    ],
    Role.EDITOR: [
        (
            _("Open the value base: the version in force, its history and drafts."),
            "values:index",
        ),
        (
            _(
                "Read the glossary, so that the value base uses the words the "
                "groups use in their sessions."
            ),
            "guidance:glossary",
        ),
    ],
    Role.ADMIN: [
        (
            _("Set up the units of your organisation."),
            "organisations:unit_list",
        ),
        (
            _("Invite members and give each one a role."),
            "organisations:member_list",
        ),
        (
            _("Check the settings: language, time zone and how long cases are kept."),
            "organisations:settings",
        ),
    ],
}


@dataclass(frozen=True)
class FirstVisit:
    steps: list[tuple[str, str]]
    dismiss_url: str


def first_visit(membership: Membership) -> FirstVisit | None:
    """The member's first-visit panel, or None once they have put it away."""
    if Dismissal.objects.filter(membership=membership).exists():
        return None
    org = membership.organisation.slug
    return FirstVisit(
        steps=[
            (str(text), reverse(name, kwargs={"org": org}))
            for text, name in FIRST_STEPS[membership.role]
        ],
        dismiss_url=reverse("guidance:dismiss", kwargs={"org": org}),
    )
