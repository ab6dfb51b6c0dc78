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

from django.db.models import Count, Q
from django.utils import timezone

from dilemmas.models import Dilemma, ValueTension
from guidelines.models import Guideline
from organisations.models import Membership
from reflections.models import Citation, Reflection
from values.models import CoreValue, Version

# Links per line; the rest are counted.
LINKS = 5
# A tension "recurs" when at least this many dilemmas name it.
RECURS = 2


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
    ref: tuple = ()
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


def _add_links(lines: list[Line], found: dict[tuple, list[ReflectionLink]]) -> None:
    """The newest few reflections per line; the others are counted."""
    for line in lines:
        unique = set(found.get(line.ref, []))
        links = sorted(unique, key=lambda link: (link.day, link.group), reverse=True)
        line.links, line.more = links[:LINKS], max(len(links) - LINKS, 0)


def draft_feedback(membership: Membership, draft: Version) -> DraftFeedback:
    organisation = membership.organisation
    tz = ZoneInfo(organisation.time_zone)
    in_force = draft.value_base.in_force_on(timezone.localdate(timezone=tz))
    if in_force is None:
        return DraftFeedback(in_force=None)
    since = datetime.datetime.combine(in_force.effective_from, datetime.time.min, tz)
    signed = Reflection.objects.filter(
        organisation=organisation,
        version=in_force,
        status=Reflection.Status.SIGNED_OFF,
    )
    times = defaultdict(int)
    for value_id, guideline_id, n in (
        Citation.objects.filter(reflection__in=signed)
        .values("value_id", "guideline_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("value_id", "guideline_id", "n")
    ):
        times[("value", value_id) if value_id else ("guideline", guideline_id)] += n

    draft_keys = {
        ("value", key) for key in draft.values.values_list("key", flat=True)
    } | {("guideline", key) for key in draft.guidelines.values_list("key", flat=True)}
    lines: dict[tuple[str, int], Line] = {}
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
    new = [
        Line(title=title, count=0, kind="value")
        for key, title in draft.values.values_list("key", "title")
        if ("value", key) not in in_force_keys
    ] + [
        Line(title=title, count=0, kind="guideline")
        for key, title in draft.guidelines.values_list("key", "title")
        if ("guideline", key) not in in_force_keys
    ]

    readable = list(
        Reflection.objects.for_member(membership)
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
    cited_in: dict[tuple, list[ReflectionLink]] = defaultdict(list)
    for reflection_id, value_id, guideline_id in Citation.objects.filter(
        reflection_id__in=link_of
    ).values_list("reflection_id", "value_id", "guideline_id"):
        key = ("value", value_id) if value_id else ("guideline", guideline_id)
        cited_in[key].append(link_of[reflection_id])

    cited = sorted(
        (line for line in lines.values() if line.count),
        key=lambda line: (-line.count, line.title),
    )
    _add_links(cited, cited_in)

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
    by_dilemma = defaultdict(list)
    for pk, _uuid, dilemma_id, _start, _group in readable:
        by_dilemma[dilemma_id].append(link_of[pk])
    tension_links: dict[tuple, list[ReflectionLink]] = defaultdict(list)
    for dilemma_id, tension_id in Dilemma.tensions.through.objects.filter(
        dilemma_id__in=by_dilemma, dilemma__created__gte=since
    ).values_list("dilemma_id", "valuetension_id"):
        tension_links[("tension", tension_id)].extend(by_dilemma[dilemma_id])
    _add_links(tensions, tension_links)

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
        tensions=tensions,
    )
