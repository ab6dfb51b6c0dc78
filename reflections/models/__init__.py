"""Reflection methods as data, sessions run with them, outcomes and follow-up.

A Reflection is one dilemma discussed in one meeting with one method. It keeps
the method as it was used (the steps are copied into it) and is pinned to the
value-base version in force on the meeting date. Once signed off it is fixed,
like an adopted value-base version: model saves and deletes, QuerySet updates,
deletes and bulk inserts, the admin, the views and (on PostgreSQL) database
triggers all refuse (see migration 0002). Later notes are appended as
Amendments; the one change allowed afterwards is marking an action done.

The models live in modules by topic (methods, sessions, steps, parts,
citations, actions, and running for opening and signing off); every name is
re-exported here, so `reflections.models` is the one place to import from.
"""

from __future__ import annotations

from .actions import (
    FOLLOW_UP_FIELDS,
    Action,
    ActionQuerySet,
    Amendment,
    AmendmentQuerySet,
)
from .base import (
    LockedReflectionError,
    PartQuerySet,
    ReflectionPart,
    StepKind,
    StepPart,
    StepPartQuerySet,
)
from .citations import Citation
from .easyread import CONTACT_LIMIT, TEXT_LIMIT, EasyRead, prose
from .methods import Method, MethodQuerySet, MethodStep
from .parts import Option, Perspective, Position
from .running import open_reflection, pause, resume, sign_off
from .sessions import AgendaItem, Reflection, ReflectionQuerySet, version_in_force
from .steps import ReflectionStep

__all__ = [
    "CONTACT_LIMIT",
    "TEXT_LIMIT",
    "EasyRead",
    "FOLLOW_UP_FIELDS",
    "Action",
    "ActionQuerySet",
    "AgendaItem",
    "Amendment",
    "AmendmentQuerySet",
    "Citation",
    "LockedReflectionError",
    "Method",
    "MethodQuerySet",
    "MethodStep",
    "Option",
    "PartQuerySet",
    "Perspective",
    "Position",
    "Reflection",
    "ReflectionPart",
    "ReflectionQuerySet",
    "ReflectionStep",
    "StepKind",
    "StepPart",
    "StepPartQuerySet",
    "open_reflection",
    "pause",
    "prose",
    "resume",
    "sign_off",
    "version_in_force",
]
