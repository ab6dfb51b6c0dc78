"""On PostgreSQL a reading's audit row goes in with one statement.

`audit_chain_head` takes the chain's advisory lock and then reads the chain's
last row (or the genesis when it has none), for the INSERT in audit/chain.py
(`APPEND`) that computes the new row's place and hash from it. It is VOLATILE
so that its reading, after the lock, sees the row a writer it waited for has
just committed. It only reads: the web role's rights on the log (insert and
read) are all it needs.
"""

from __future__ import annotations

from django.db import migrations

PG_FORWARD = r"""
CREATE FUNCTION audit_chain_head(
    space integer, key integer, organisation bigint, genesis varchar
) RETURNS TABLE (seq bigint, hash varchar) AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(space, key);
    IF organisation IS NULL THEN
        RETURN QUERY SELECT e.seq::bigint, e.hash::varchar FROM audit_auditevent e
            WHERE e.organisation_id IS NULL ORDER BY e.seq DESC LIMIT 1;
    ELSE
        RETURN QUERY SELECT e.seq::bigint, e.hash::varchar FROM audit_auditevent e
            WHERE e.organisation_id = organisation ORDER BY e.seq DESC LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        seq := 0;
        hash := genesis;
        RETURN NEXT;
    END IF;
END;
$$ LANGUAGE plpgsql VOLATILE;
"""

PG_BACKWARD = r"""
DROP FUNCTION IF EXISTS audit_chain_head(integer, integer, bigint, varchar);
"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_FORWARD)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_member_import_kind")]

    operations = [migrations.RunPython(forward, backward)]
