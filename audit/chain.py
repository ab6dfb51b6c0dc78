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
    before, after = around_seq(row)
    return f"{before}{row.seq}{after}"


def around_seq(row: AuditEvent) -> tuple[str, str]:
    """The serialisation of a row on either side of its place in the chain.

    The place (`seq`) is the one field the row's writer does not know until
    it holds the chain: on PostgreSQL the database fills it in between the two
    halves (`APPEND`). A number is written the same way by json and by the
    database's `bigint::text`.
    """
    rest = json.dumps(
        [
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
    return f"[{json.dumps(FORMAT)},", f",{rest[1:]}"


def digest(previous: str, row: AuditEvent) -> str:
    """The hash of a row that follows the row whose hash is `previous`."""
    return hashlib.sha256(f"{previous}\n{serialise(row)}".encode()).hexdigest()


def lock_key(organisation_id: int | None) -> int:
    """The second key of a chain's advisory lock (the first is LOCK_SPACE)."""
    return (organisation_id or 0) % 2**31


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
            [LOCK_SPACE, lock_key(organisation_id)],
        )


# One row appended to its chain in one statement (PostgreSQL). The function
# audit_chain_head (migration 0007) takes the chain's lock and only then reads
# the chain's last row: being VOLATILE, each of its statements sees what was
# committed before it ran, so a writer that waited for the lock sees the row
# its predecessor added (a plain subquery here would read the table as it was
# when this statement began, before the wait, and fork the chain). The new
# row's place is one after it, and its hash is SHA-256 over the hash before it
# and the row's serialisation with the place filled in, as `digest` computes
# it: `around_seq` gives the two halves, the database only adds the number.
# Without a surrounding transaction the statement is its own, and commits the
# row and releases the lock together; inside one, the lock lasts until it ends.
APPEND = """
INSERT INTO {table} ({columns}, seq, hash)
SELECT {values}, head.seq + 1,
    encode(sha256(convert_to(head.hash || %s || (head.seq + 1)::text || %s, 'UTF8')),
        'hex')
FROM audit_chain_head(%s, %s, %s, %s) AS head
RETURNING id, seq, hash
"""


def append(using: str, row: AuditEvent) -> None:
    """Append `row` to its chain with one statement (PostgreSQL only).

    Sets the row's id, place and hash from what the database wrote.
    """
    connection = connections[using]
    fields = [
        field
        for field in row._meta.concrete_fields
        if not field.primary_key and field.attname not in {"seq", "hash"}
    ]
    quote = connection.ops.quote_name
    # A concrete field always has its column.
    sql = APPEND.format(
        table=quote(row._meta.db_table),
        columns=", ".join(quote(str(field.column)) for field in fields),
        values=", ".join(["%s"] * len(fields)),
    )
    before, after = around_seq(row)
    params = [
        field.get_db_prep_save(getattr(row, field.attname), connection)
        for field in fields
    ]
    params += [
        f"\n{before}",
        after,
        LOCK_SPACE,
        lock_key(row.organisation_id),
        row.organisation_id,
        GENESIS,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row.pk, row.seq, row.hash = cursor.fetchone()
