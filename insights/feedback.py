"""What the sessions say to the editor of the next value-base version.

Since the version in force took effect: which of its values and guidelines
reflections cited and how often, which were never cited, and which value
tensions came back in more than one dilemma. The counts cover the whole
organisation, since they name no case; the links go only to the reflections
the editor may read themselves (`Reflection.objects.for_member`), and each is
named by its group and date, never by its dilemma.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dilemmas.models import Dilemma, ValueTension
from guidelines.models import Guideline
from organisations.models import Membership, Organisation
from reflections.models import Citation, Reflection
from values.models import CoreValue, Version

# Links per line; the rest are counted.
LINKS = 5
# A tension "recurs" when at least this many dilemmas name it.
RECURS = 2

# What a line is about: ("value", pk), ("guideline", pk) or ("tension", pk).
Ref = tuple[str, int]


@dataclass(frozen=True)
class ReflectionLink:
    uuid: str
    group: str
    day: datetime.date


@dataclass
class Line:
    title: str
    count: int
    # What the line is about, to find its reflections: ("value", pk) and so on.
    ref: Ref | tuple[()] = ()
    kind: str = ""
    audience: str = ""
    in_draft: bool = True
    links: list[ReflectionLink] = field(default_factory=list)
    more: int = 0


@dataclass
class DraftFeedback:
    in_force: Version | None
    reflections: int = 0
    readable: int = 0
    cited: list[Line] = field(default_factory=list)
    never: list[Line] = field(default_factory=list)
    new: list[Line] = field(default_factory=list)
    tensions: list[Line] = field(default_factory=list)


def _add_links(lines: list[Line], found: dict[Ref, list[ReflectionLink]]) -> None:
    """The newest few reflections per line; the others are counted."""
    for line in lines:
        unique = set(found.get(line.ref, [])) if line.ref else set()
        links = sorted(unique, key=lambda link: (link.day, link.group), reverse=True)
        line.links, line.more = links[:LINKS], max(len(links) - LINKS, 0)


def draft_feedback(membership: Membership, draft: Version) -> DraftFeedback:
    organisation = membership.organisation
    tz = ZoneInfo(organisation.time_zone)
    in_force = draft.value_base.in_force_on(timezone.localdate(timezone=tz))
    if in_force is None:
        return DraftFeedback(in_force=None)
    # A version in force has taken effect on a day.
    assert in_force.effective_from is not None
    since = datetime.datetime.combine(in_force.effective_from, datetime.time.min, tz)
    # Sessions on the organisation's own cases; practice sessions are training.
    signed = Reflection.objects.on_dilemmas().filter(
        organisation=organisation,
        version=in_force,
        status=Reflection.Status.SIGNED_OFF,
    )
    lines, in_force_keys = _in_force_lines(in_force, draft, _times_cited(signed))
    new = _new_lines(draft, in_force_keys)
    readable = list(
        Reflection.objects.for_member(membership)
        .on_dilemmas()
        .filter(version=in_force, status=Reflection.Status.SIGNED_OFF)
        .values_list(
            "pk", "uuid", "dilemma_id", "meeting__start", "dilemma__group__name"
        )
    )
    link_of = {
        pk: ReflectionLink(
            uuid=str(uuid), group=group, day=timezone.localtime(start, tz).date()
        )
        for pk, uuid, _dilemma, start, group in readable
    }
    cited = sorted(
        (line for line in lines.values() if line.count),
        key=lambda line: (-line.count, line.title),
    )
    _add_links(cited, _cited_in(link_of))
    by_dilemma: dict[int, list[ReflectionLink]] = defaultdict(list)
    for pk, _uuid, dilemma_id, _start, _group in readable:
        by_dilemma[dilemma_id].append(link_of[pk])
    return DraftFeedback(
        in_force=in_force,
        reflections=signed.count(),
        readable=len(readable),
        cited=cited,
        never=sorted(
            (line for line in lines.values() if not line.count),
            key=lambda line: (line.kind != "value", line.title),
        ),
        new=new,
        tensions=_recurring_tensions(organisation, since, by_dilemma),
    )


def _times_cited(signed: QuerySet[Reflection]) -> dict[Ref, int]:
    """How often the signed-off reflections cited each value and guideline."""
    times: dict[Ref, int] = defaultdict(int)
    for value_id, guideline_id, n in (
        Citation.objects.filter(reflection__in=signed)
        .values("value_id", "guideline_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("value_id", "guideline_id", "n")
    ):
        times[("value", value_id) if value_id else ("guideline", guideline_id)] += n
    return times


def _in_force_lines(
    in_force: Version, draft: Version, times: dict[Ref, int]
) -> tuple[dict[Ref, Line], set[tuple[str, str]]]:
    """A line for each value and guideline in force, and their keys."""
    draft_keys = {
        ("value", key) for key in draft.values.values_list("key", flat=True)
    } | {("guideline", key) for key in draft.guidelines.values_list("key", flat=True)}
    lines: dict[Ref, Line] = {}
    in_force_keys = set()
    for value in CoreValue.objects.filter(version=in_force).only("key", "title"):
        in_force_keys.add(("value", value.key))
        lines[("value", value.pk)] = Line(
            title=value.title,
            count=times[("value", value.pk)],
            ref=("value", value.pk),
            kind="value",
            in_draft=("value", value.key) in draft_keys,
        )
    for guideline in Guideline.objects.filter(version=in_force).select_related(
        "audience"
    ):
        in_force_keys.add(("guideline", guideline.key))
        lines[("guideline", guideline.pk)] = Line(
            title=guideline.title,
            count=times[("guideline", guideline.pk)],
            ref=("guideline", guideline.pk),
            kind="guideline",
            audience=guideline.audience.name,
            in_draft=("guideline", guideline.key) in draft_keys,
        )
    return lines, in_force_keys


def _new_lines(draft: Version, in_force_keys: set[tuple[str, str]]) -> list[Line]:
    """The draft's values and guidelines that the version in force does not have."""
    return [
        Line(title=title, count=0, kind="value")
        for key, title in draft.values.values_list("key", "title")
        if ("value", key) not in in_force_keys
    ] + [
        Line(title=title, count=0, kind="guideline")
        for key, title in draft.guidelines.values_list("key", "title")
        if ("guideline", key) not in in_force_keys
    ]


def _cited_in(link_of: dict[int, ReflectionLink]) -> dict[Ref, list[ReflectionLink]]:
    """The readable reflections that cited each value and guideline."""
    cited_in: dict[Ref, list[ReflectionLink]] = defaultdict(list)
    for reflection_id, value_id, guideline_id in Citation.objects.filter(
        reflection_id__in=link_of
    ).values_list("reflection_id", "value_id", "guideline_id"):
        key = ("value", value_id) if value_id else ("guideline", guideline_id)
        cited_in[key].append(link_of[reflection_id])
    return cited_in


def _recurring_tensions(
    organisation: Organisation,
    since: datetime.datetime,
    by_dilemma: dict[int, list[ReflectionLink]],
) -> list[Line]:
    """Value tensions named by several dilemmas since, with readable reflections."""
    tensions = [
        Line(title=title, count=n, ref=("tension", pk))
        for pk, title, n in ValueTension.objects.for_organisation(organisation)
        .annotate(
            n=Count("dilemmas", filter=Q(dilemmas__created__gte=since), distinct=True)
        )
        .filter(n__gte=RECURS)
        .order_by("-n", "position", "title")
        .values_list("pk", "title", "n")
    ]
    tension_links: dict[Ref, list[ReflectionLink]] = defaultdict(list)
    for dilemma_id, tension_id in Dilemma.tensions.through.objects.filter(
        dilemma_id__in=by_dilemma, dilemma__created__gte=since
    ).values_list("dilemma_id", "valuetension_id"):
        tension_links[("tension", tension_id)].extend(by_dilemma[dilemma_id])
    _add_links(tensions, tension_links)
    return tensions
