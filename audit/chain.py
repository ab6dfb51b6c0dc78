"""The hash chain that makes the audit log tamper-evident.

Every organisation's rows form one chain (rows without an organisation, such
as a failed sign-in with an unknown address, form the platform's chain). Each
row carries its place in the chain (`seq`, from 1 without gaps) and a SHA-256
over a canonical serialisation of its fields and the hash of the row before
it. Changing, forging or deleting a row therefore breaks the chain at that
row, and `manage.py verify_audit` (audit/verify.py) names the first row where
it breaks. Deleting the last rows, or every row, leaves an intact but shorter
chain: checkpoints (audit.models.AuditCheckpoint, and the heads written to
the log) catch that.

No secret goes into the hash: anyone who may rewrite the table and knows this
file can compute a new, consistent chain. The database roles keep the web
and task processes from rewriting anything; copies of the chain heads kept
outside the database catch a rewrite by the database's owner
(docs/deployment.md, "The audit log's chain").
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import TYPE_CHECKING

from django.db import connections

if TYPE_CHECKING:
    # Also given the migrations' historical model, which has the same fields.
    from .models import AuditEvent

# The hash that the first row of every chain follows.
GENESIS = "0" * 64
# Part of every serialisation, so that a later format can never be mistaken
# for this one.
FORMAT = "etikrum-audit-1"
# The first key of PostgreSQL's two-key advisory locks, for audit chains only;
# the second is the organisation's id. Arbitrary, but fixed.
LOCK_SPACE = 0x417564


def instant(value: datetime.datetime) -> str:
    """A moment as the database gives it back: UTC, to the microsecond."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def serialise(row: AuditEvent) -> str:
    """The row's fields in a fixed order, as one line of JSON.

    A list, not an object: its order is part of the format. Identifiers are
    plain numbers and uuids are lower-case strings, as they come back from
    either database.
    """
    return json.dumps(
        [
            FORMAT,
            row.seq,
            row.organisation_id,
            str(row.uuid),
            instant(row.at),
            row.user_id,
            row.membership_id,
            row.person,
            row.role,
            row.unit_id,
            row.unit_name,
            row.object_kind,
            str(row.object_uuid) if row.object_uuid is not None else None,
            row.object_name,
            row.action,
            row.outcome,
            row.via,
            row.view,
            row.detail,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def digest(previous: str, row: AuditEvent) -> str:
    """The hash of a row that follows the row whose hash is `previous`."""
    return hashlib.sha256(f"{previous}\n{serialise(row)}".encode()).hexdigest()


def lock(using: str, organisation_id: int | None) -> None:
    """Hold the chain of one organisation until the transaction ends.

    Two rows written at once for one organisation must not both follow the
    same predecessor. On PostgreSQL a transaction-level advisory lock per
    chain makes the second writer wait until the first has committed (under
    READ COMMITTED its next statement then sees the new last row); other
    organisations' chains are not held up. SQLite needs no lock of ours: with
    `transaction_mode: IMMEDIATE` (config/settings.py) every transaction takes
    the database's write lock when it begins, so reading the last row and
    appending the next one happen with no other writer in between. Either
    way a unique constraint on the place in the chain refuses a fork.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [LOCK_SPACE, (organisation_id or 0) % 2**31],
        )
