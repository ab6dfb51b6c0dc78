"""What a version changed for one member: the values, and their own guidelines.

The comparison is values.compare's, made once per version and filtered for
each member by the audiences they belong to, so a page or a mailing to many
people compares the two versions once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import get_language

from guidelines.models import Guideline, LeadIn
from organisations.models import Membership
from values.compare import Comparison, Entry, compare_versions
from values.models import Version

from .models import Acknowledgement

# How long after its first day the dashboard shows what a version changed,
# when it asks for no confirmation or the member has confirmed.
SHOWN_FOR_DAYS = 30
# A dispatcher that was down catches up on versions this many days old.
ANNOUNCED_FOR_DAYS = 7
# How long a comparison is kept: adopted versions never change, but the
# names of the organisation's audiences, which it shows, may.
KEPT_SECONDS = 3600


def comparison_of(previous: Version, version: Version) -> Comparison:
    """The comparison of two adopted versions, kept for every reader of a language.

    Every member's dashboard shows a part of it for weeks; made afresh it
    costs a dozen queries each time. If the cache is away, it is made again.
    """
    key = f"acknowledgements:comparison:{previous.pk}:{version.pk}:{get_language()}"
    found = cache.get(key)
    if not isinstance(found, Comparison):
        found = compare_versions(previous, version)
        cache.set(key, found, KEPT_SECONDS)
    return found


def previous_of(version: Version) -> Version | None:
    """The adopted version this one follows."""
    if version.number == 1:
        return None
    earlier: Version | None = (
        Version.objects.adopted()
        .filter(value_base_id=version.value_base_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    return earlier


@dataclass
class Changes:
    """What changed from `previous` to `version` for readers of some audiences."""

    version: Version
    previous: Version
    values: list[Entry]
    lead_ins: list[Entry]
    guidelines: list[Entry]
    acknowledged: datetime.datetime | None = None
    # Whether the member may confirm now: asked for, in force, not yet done.
    can_acknowledge: bool = False
    audience_names: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.values) + len(self.lead_ins) + len(self.guidelines)

    def groups(self) -> list[tuple[str, list[Entry]]]:
        return [
            ("values", self.values),
            ("lead_ins", self.lead_ins),
            ("guidelines", self.guidelines),
        ]


def _audience_of(entry: Entry) -> set[int]:
    """The audiences of a guideline's or lead-in's entry, before and after."""
    return {
        item.audience_id
        for item in (entry.old, entry.new)
        if isinstance(item, Guideline | LeadIn)
    }


def for_audiences(comparison: Comparison, audience_ids: Iterable[int]) -> Changes:
    """The changed values, and the changed guidelines of these audiences."""
    mine = set(audience_ids)

    def changed(entries: list[Entry], *, scoped: bool) -> list[Entry]:
        return [
            entry
            for entry in entries
            if entry.status != "unchanged"
            and (not scoped or _audience_of(entry) & mine)
        ]

    return Changes(
        version=comparison.new,
        previous=comparison.old,
        values=changed(comparison.values, scoped=False),
        lead_ins=changed(comparison.lead_ins, scoped=True),
        guidelines=changed(comparison.guidelines, scoped=True),
    )


def for_member(
    membership: Membership, version: Version, today: datetime.date
) -> Changes | None:
    """What `version` changed for this member; None for a first version."""
    previous = previous_of(version)
    if previous is None or version.is_draft:
        return None
    audiences = list(membership.audiences.all())
    changes = for_audiences(comparison_of(previous, version), (a.pk for a in audiences))
    # The reader's own copies, not those kept with the comparison.
    changes.version, changes.previous = version, previous
    changes.audience_names = [audience.name for audience in audiences]
    found = Acknowledgement.objects.filter(
        version=version, membership=membership
    ).first()
    changes.acknowledged = found.acknowledged if found is not None else None
    changes.can_acknowledge = (
        version.asks_acknowledgement and found is None and version.is_in_force_on(today)
    )
    return changes


def shown_on_dashboard(
    membership: Membership, versions: Iterable[Version], today: datetime.date
) -> list[Changes]:
    """The versions in force whose changes the dashboard shows this member.

    A version asking for confirmation is shown until the member confirms;
    otherwise for SHOWN_FOR_DAYS from its first day.
    """
    shown = []
    recent = today - datetime.timedelta(days=SHOWN_FOR_DAYS)
    for version in versions:
        if version.effective_from is None:
            continue
        if version.effective_from < recent and not version.asks_acknowledgement:
            continue
        changes = for_member(membership, version, today)
        if changes is None:
            continue
        if changes.can_acknowledge or version.effective_from >= recent:
            shown.append(changes)
    return shown
