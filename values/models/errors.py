"""What refuses a change to the value base's history, and what it reports."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .versions import Version


class ImmutableVersionError(Exception):
    """Raised on any attempt to change an adopted or superseded version."""


class AdoptionError(ValueError):
    """An adoption that would make the value base's history untrue."""


class RetroactiveWithoutReasonError(AdoptionError):
    """The version would be in force before it was adopted, and no reason was given."""


class CitedElsewhereError(AdoptionError):
    """Signed-off reflections on or after the effective date cite another version.

    `reflections` lists them, earliest meeting first.
    """

    def __init__(self, reflections: list[CitingReflection]):
        self.reflections = reflections
        super().__init__(
            f"{len(reflections)} signed-off reflections cite another version."
        )


class _CitingGroup(Protocol):
    @property
    def name(self) -> str: ...


class _CitingMeeting(Protocol):
    @property
    def start(self) -> datetime.datetime: ...

    @property
    def group(self) -> _CitingGroup: ...


class CitingReflection(Protocol):
    """A signed-off reflection as this app reads it.

    The reflections app builds above this one, so its model is not imported here.
    """

    @property
    def meeting(self) -> _CitingMeeting: ...

    @property
    def version(self) -> Version | None: ...
