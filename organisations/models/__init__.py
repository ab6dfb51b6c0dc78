"""The models of organisations, one module per part of the work.

- `organisation`: the tenant, and `TenantQuerySet` that every model it owns uses.
- `units`: the organisation's tree of units.
- `memberships`: a person in an organisation, their role and capabilities.
- `groups`: reflection groups, and the groups a member belongs to or sees.
- `invitations`: an address asked to join.
- `imports`: a list of members uploaded, waiting for its confirmation.

Everything the rest of the project imports is named here, so that
`organisations.models` reads as one module.
"""

from __future__ import annotations

from .groups import (
    GroupIds,
    ReflectionGroup,
    ReflectionGroupQuerySet,
    group_ids_of,
    member_group_ids,
)
from .imports import (
    IMPORT_KEPT_HOURS,
    ImportState,
    MemberImport,
    MemberImportQuerySet,
)
from .invitations import INVITATION_DAYS, Invitation, InvitationQuerySet
from .memberships import (
    MFA_ROLES,
    ROLE_CAPABILITIES,
    Capability,
    Membership,
    MembershipQuerySet,
    Role,
)
from .organisation import Organisation, TenantQuerySet, validate_time_zone
from .units import Unit, UnitQuerySet, descendant_ids, tree_choices, unit_tree

__all__ = [
    "IMPORT_KEPT_HOURS",
    "INVITATION_DAYS",
    "MFA_ROLES",
    "ROLE_CAPABILITIES",
    "Capability",
    "Invitation",
    "InvitationQuerySet",
    "ImportState",
    "MemberImport",
    "MemberImportQuerySet",
    "Membership",
    "MembershipQuerySet",
    "Organisation",
    "ReflectionGroup",
    "ReflectionGroupQuerySet",
    "Role",
    "TenantQuerySet",
    "Unit",
    "UnitQuerySet",
    "descendant_ids",
    "group_ids_of",
    "member_group_ids",
    "GroupIds",
    "tree_choices",
    "unit_tree",
    "validate_time_zone",
]
