"""Two PostgreSQL roles: one that owns the tables, one that the application uses.

The owner runs the migrations and owns every table, sequence and function,
so only it (and a superuser) can alter a table, disable or drop a trigger, or
truncate. The application role, which the web processes and the task worker
connect as, reads and writes the application's tables but may only insert
into and read the audit log and its checkpoints: the append-only triggers
are out of its reach, and so are UPDATE, DELETE and TRUNCATE on those tables.

`manage.py create_database_roles` prints these statements, or runs them with
--execute; docs/deployment.md says when and as whom.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.db.backends.base.base import BaseDatabaseWrapper

# Tables the application role may only add to and read.
APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditcheckpoint")


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """What the database holds in its public schema, made by the migrations."""

    database: str
    tables: list[str]
    functions: list[str]

    @classmethod
    def read(cls, connection: BaseDatabaseWrapper) -> Catalogue:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            (database,) = cursor.fetchone()
            # Tables, views and sequences of their own; sequences of identity
            # columns follow their table's owner.
            cursor.execute(
                """
                SELECT c.relname FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace
                  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype IN ('a', 'i', 'e')
                  )
                ORDER BY c.relname
                """
            )
            tables = [name for (name,) in cursor.fetchall()]
            # Our trigger functions, not those an extension (btree_gist) brings.
            cursor.execute(
                """
                SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                        AND d.deptype = 'e'
                  )
                ORDER BY 1
                """
            )
            functions = [name for (name,) in cursor.fetchall()]
        return cls(database, tables, functions)


def _role(name: str, quote: Callable[[str], str]) -> str:
    # A DO block creates a role only if it is not there yet: running the
    # command again after each release is harmless.
    literal = name.replace("'", "''")
    return (
        "DO $$ BEGIN\n"
        f"    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{literal}') THEN\n"
        f"        CREATE ROLE {quote(name)} LOGIN;\n"
        "    END IF;\n"
        "END $$;"
    )


def statements(connection: BaseDatabaseWrapper, *, owner: str, app: str) -> list[str]:
    """The SQL that gives the tables to `owner` and `app` what it needs."""
    if owner == app:
        raise ValueError("The owner and the application must be two roles.")
    quote = connection.ops.quote_name
    catalogue = Catalogue.read(connection)
    o, a = quote(owner), quote(app)
    sql = [
        "-- The roles (passwords are set apart: ALTER ROLE ... PASSWORD).",
        _role(owner, quote),
        _role(app, quote),
        f"ALTER ROLE {a} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;",
        # A member of the owner's role could act as the owner.
        f"REVOKE {o} FROM {a};",
        "-- The owner owns the database, its schema and everything in it.",
        f"ALTER DATABASE {quote(catalogue.database)} OWNER TO {o};",
        f"ALTER SCHEMA public OWNER TO {o};",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        f"REVOKE CREATE ON SCHEMA public FROM {a};",
        *(f"ALTER TABLE {quote(t)} OWNER TO {o};" for t in catalogue.tables),
        *(f"ALTER FUNCTION {f} OWNER TO {o};" for f in catalogue.functions),
        "-- The application reads and writes, and may only add to the audit log.",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {quote(catalogue.database)} TO {a};",
        f"GRANT USAGE ON SCHEMA public TO {a};",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {a};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a};",
        *(
            f"REVOKE UPDATE, DELETE ON {quote(t)} FROM {a};"
            for t in APPEND_ONLY_TABLES
            if t in catalogue.tables
        ),
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {a};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a};",
        "-- Tables the owner's migrations make later: the same, and "
        "audit.apps takes UPDATE and DELETE back from the append-only ones.",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {a};",
    ]
    return sql


def tighten_append_only_tables(connection: BaseDatabaseWrapper) -> None:
    """Take UPDATE, DELETE and TRUNCATE on the audit tables from every other role.

    Run after each `migrate` by the tables' owner: default privileges give a
    new table's every right to the application role, and a migration that
    makes an audit table anew must not leave it changeable.
    """
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            cursor.execute(
                """
                SELECT DISTINCT
                    CASE WHEN acl.grantee = 0 THEN 'PUBLIC'
                         ELSE acl.grantee::regrole::text END
                FROM pg_class c, aclexplode(c.relacl) AS acl
                WHERE c.oid = to_regclass(%s)
                  AND acl.grantee <> c.relowner
                  AND acl.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
                  AND pg_has_role(current_user, c.relowner, 'USAGE')
                """,
                [table],
            )
            for (grantee,) in cursor.fetchall():
                cursor.execute(
                    f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(table)} FROM {grantee}"
                )
