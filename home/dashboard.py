"""The organisation's dashboard: a few rows from every app, and the next steps.

It gathers from meetings, reflections, dilemmas and the value base, so it lives
above them all (docs/architecture.md). Its address keeps the name
organisations:dashboard (home/urls.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from acknowledgements.dashboard import panel
from dilemmas.models import Dilemma
from evaluations.waiting import waiting_for
from guidance.welcome import first_visit
from lib.pagination import first_rows
from meetings.models import Meeting, Response, member_count
from organisations.access import OrgRequest, member_required
from organisations.models import (
    Capability,
    Invitation,
    Membership,
    ReflectionGroup,
    Role,
)
from reflections.models import Action, Reflection
from reflections.panels import running_sessions
from values.models import ValueBase, Version

DASHBOARD_ROWS = 5
MOST_STEPS = 3

Step = tuple[str, str]


@dataclass(frozen=True)
class Context:
    """What the steps are chosen from, read once for the whole page."""

    membership: Membership
    meetings: list[Meeting]
    bases: list[ValueBase]
    in_force: dict[int, Version]

    @property
    def org(self) -> str:
        return self.membership.organisation.slug


@require_GET
@member_required()
def dashboard(request: OrgRequest) -> HttpResponse:
    membership = request.membership
    # A few rows of each, with a link to the whole list where there is one:
    # the page costs the same for a member of two groups as for an
    # administrator of two hundred.
    groups = first_rows(
        ReflectionGroup.objects.for_member(membership)
        .select_related("unit")
        .annotate(member_count=member_count())
        .order_by("name", "pk"),
        DASHBOARD_ROWS,
    )
    meetings = list(
        Meeting.objects.for_invitee(membership)
        .upcoming()
        .select_related("group")
        .order_by("start", "pk")[:DASHBOARD_ROWS]
    )
    actions = first_rows(
        Action.objects.for_member(membership)
        .open()
        .filter(owner=membership)
        .select_related("reflection")
        .order_by(F("due").asc(nulls_last=True), "created", "pk"),
        DASHBOARD_ROWS,
    )
    today = timezone.localdate()
    bases = list(ValueBase.objects.for_member(membership))
    in_force = {
        version.value_base_id: version
        for version in Version.objects.in_force_on(today)
        .filter(value_base__in=bases)
        .select_related("value_base")
    }
    value_bases = [
        (base, in_force.get(base.pk), base.coming_on(today)) for base in bases
    ]
    context = Context(membership, meetings, bases, in_force)
    # What a version in force changed for this member, and who has confirmed.
    acknowledgements = panel(membership, list(in_force.values()), today)
    return render(
        request,
        "organisations/dashboard.html",
        {
            "next_steps": next_steps(context),
            "groups": groups,
            "audiences": membership.audiences.all(),
            "meetings": meetings,
            "actions": actions,
            "value_bases": value_bases,
            "acknowledgements": acknowledgements,
            # Until answered or closed: the sessions waiting for this person's answer.
            "evaluations": first_rows(waiting_for(membership), DASHBOARD_ROWS),
            "today": today,
            "first_visit": first_visit(membership),
            "running": running_sessions(membership),
        },
    )


def next_steps(context: Context) -> list[Step]:
    """What this person would most usefully do next, for their role: at most 3.

    Each role's suggestions come in the order of ROLE_STEPS, most urgent first;
    a person with nothing pressing is invited to raise a dilemma.
    """
    steps: list[Step] = []
    for applies, suggest in ROLE_STEPS:
        if applies(context.membership):
            steps.extend(suggest(context))
    return (steps or _everyday_steps(context))[:MOST_STEPS]


def _day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _answer_steps(context: Context) -> list[Step]:
    """The first upcoming meeting the person has not answered."""
    answered = set(
        Response.objects.filter(
            membership=context.membership, meeting__in=context.meetings
        ).values_list("meeting_id", flat=True)
    )
    meeting = next((m for m in context.meetings if m.pk not in answered), None)
    if meeting is None:
        return []
    return [
        (
            _("Say whether you are coming to %(meeting)s on %(day)s.")
            % {"meeting": meeting.title, "day": _day(meeting.start)},
            reverse(
                "meetings:meeting_detail",
                kwargs={"org": context.org, "meeting_uuid": meeting.uuid},
            ),
        )
    ]


def _facilitator_steps(context: Context) -> list[Step]:
    """A held reflection to sign off, and raised dilemmas waiting for an agenda."""
    membership = context.membership
    steps: list[Step] = []
    to_sign = (
        Reflection.objects.for_member(membership)
        .filter(
            status=Reflection.Status.OPEN,
            erased__isnull=True,
            meeting__end__lt=timezone.now(),
            dilemma__group__facilitators=membership,
        )
        .select_related("meeting")
        .order_by("meeting__start")
        .first()
    )
    if to_sign is not None:
        steps.append(
            (
                _("Conclude and sign off the reflection from %(day)s.")
                % {"day": _day(to_sign.meeting.start)},
                reverse(
                    "reflections:sign_off",
                    kwargs={"org": context.org, "reflection_uuid": to_sign.uuid},
                ),
            )
        )
    waiting = (
        Dilemma.objects.for_member(membership)
        .filter(status=Dilemma.Status.RAISED, group__facilitators=membership)
        .count()
    )
    if waiting:
        steps.append(
            (
                ngettext(
                    "%(count)d raised dilemma waits for a meeting's agenda.",
                    "%(count)d raised dilemmas wait for a meeting's agenda.",
                    waiting,
                )
                % {"count": waiting},
                reverse("dilemmas:list", kwargs={"org": context.org}),
            )
        )
    return steps


def _head_of_unit_steps(context: Context) -> list[Step]:
    """Overdue actions in the units the manager heads."""
    membership = context.membership
    overdue = (
        Action.objects.for_member(membership)
        .overdue()
        .in_units(membership.headed_unit_ids())
        .count()
    )
    if not overdue:
        return []
    return [
        (
            ngettext(
                "%(count)d action in your units is overdue.",
                "%(count)d actions in your units are overdue.",
                overdue,
            )
            % {"count": overdue},
            reverse("reflections:action_list", kwargs={"org": context.org}),
        )
    ]


def _planning_steps(context: Context) -> list[Step]:
    """A group the person schedules for (facilitated, or of their units) with
    no meeting ahead."""
    membership = context.membership
    planned = Meeting.objects.filter(group=OuterRef("pk"), start__gte=timezone.now())
    facilitated = ReflectionGroup.facilitators.through.objects.filter(
        membership_id=membership.pk
    ).values("reflectiongroup_id")
    idle = (
        ReflectionGroup.objects.for_member(membership)
        .filter(Q(unit__in=membership.managed_unit_ids()) | Q(pk__in=facilitated))
        .filter(~Exists(planned))
        .order_by("name")
        .first()
    )
    if idle is None:
        return []
    return [
        (
            _("%(group)s has no meeting planned: schedule one.") % {"group": idle.name},
            reverse(
                "meetings:meeting_schedule",
                kwargs={"org": context.org, "group_uuid": idle.uuid},
            ),
        )
    ]


def _value_base_steps(context: Context) -> list[Step]:
    """A draft to continue, or a value base to bring in when none is in force."""
    draft = (
        Version.objects.filter(
            value_base__in=context.bases, status=Version.Status.DRAFT
        )
        .select_related("value_base")
        .first()
    )
    if draft is not None:
        return [
            (
                _("Continue the draft of version %(number)s of %(base)s.")
                % {"number": draft.number, "base": draft.value_base.name},
                reverse(
                    "values:draft_edit",
                    kwargs={
                        "org": context.org,
                        "base": draft.value_base.slug,
                        "number": draft.number,
                    },
                ),
            )
        ]
    if not context.in_force:
        return [
            (
                _("Bring in your value base: write it or import it from Word."),
                reverse("values:index", kwargs={"org": context.org}),
            )
        ]
    return []


def _administrator_steps(context: Context) -> list[Step]:
    """Expired invitations to send again, and units to add in a new organisation."""
    membership = context.membership
    steps: list[Step] = []
    expired = (
        Invitation.objects.for_organisation(membership.organisation)
        .open()
        .filter(expires__lte=timezone.now())
        .count()
    )
    if expired:
        steps.append(
            (
                ngettext(
                    "%(count)d invitation has expired: send it again.",
                    "%(count)d invitations have expired: send them again.",
                    expired,
                )
                % {"count": expired},
                reverse("organisations:member_list", kwargs={"org": context.org}),
            )
        )
    # An administrator manages every unit: none means none exist yet.
    if not membership.managed_unit_ids():
        steps.append(
            (
                _("Add the units of your organisation."),
                reverse("organisations:unit_add", kwargs={"org": context.org}),
            )
        )
    return steps


def _everyday_steps(context: Context) -> list[Step]:
    """For a person with nothing pressing: raise a dilemma, read the guidelines."""
    steps: list[Step] = [
        (
            _("Raise a dilemma from your work for your group to reflect on."),
            reverse("dilemmas:create", kwargs={"org": context.org}),
        )
    ]
    if context.bases and context.in_force:
        steps.append(
            (
                _("Read the guidelines written for you."),
                reverse(
                    "guidelines:for_me",
                    kwargs={"org": context.org, "base": context.bases[0].slug},
                ),
            )
        )
    return steps


def _everyone(membership: Membership) -> bool:
    return True


# Who gets which suggestions, most urgent first.
ROLE_STEPS: list[
    tuple[Callable[[Membership], bool], Callable[[Context], list[Step]]]
] = [
    (_everyone, _answer_steps),
    (lambda m: m.can(Capability.FACILITATE), _facilitator_steps),
    (lambda m: m.role == Role.MANAGER, _head_of_unit_steps),
    (lambda m: m.can(Capability.FACILITATE), _planning_steps),
    (lambda m: m.can(Capability.EDIT_VALUES), _value_base_steps),
    (lambda m: m.can(Capability.ADMINISTER), _administrator_steps),
]
