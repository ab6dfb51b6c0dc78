"""What the dashboard shows of a new version: my changes, and for managers the count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from organisations.models import Capability, Membership
from values.models import Version

from . import summary
from .changes import Changes, previous_of, shown_on_dashboard


@dataclass(frozen=True)
class Following:
    """How many of the people a manager follows have confirmed a version."""

    version: Version
    members: int
    confirmed: int


@dataclass(frozen=True)
class Panel:
    changes: list[Changes] = field(default_factory=list)
    following: list[Following] = field(default_factory=list)


def panel(
    membership: Membership, in_force: list[Version], today: datetime.date
) -> Panel:
    following = []
    if membership.can(Capability.MANAGE):
        for version in in_force:
            if not version.asks_acknowledgement or previous_of(version) is None:
                continue
            done = set(summary.confirmed_ids(version))
            people = list(summary.followed(membership).values_list("pk", flat=True))
            following.append(
                Following(version, len(people), sum(pk in done for pk in people))
            )
    return Panel(shown_on_dashboard(membership, in_force, today), following)
