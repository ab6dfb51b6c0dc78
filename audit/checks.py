"""Warn when the application connects as a role that could rewrite the audit log.

The audit log is append-only for the application's role only if that role
neither owns its tables (an owner may disable their triggers, and truncate)
nor holds UPDATE, DELETE or TRUNCATE on them (docs/deployment.md). Checked by
`manage.py check --deploy` and when a web process starts (config/wsgi.py):
run both with the application's environment, not the owner's that migrates.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.checks import Warning, register
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from .roles import APPEND_ONLY_TABLES

if TYPE_CHECKING:
    from django.apps import AppConfig

logger = logging.getLogger("etikrum.audit")

HINT = (
    "Connect the web and task processes as a role that may only insert into and "
    "read the audit log, and run migrations as the owner: manage.py "
    "create_database_roles (docs/deployment.md)."
)

QUERY = """
SELECT r.rolsuper,
       pg_has_role(current_user, c.relowner, 'MEMBER'),
       c.relowner::regrole::text,
       has_table_privilege(c.oid, 'UPDATE'),
       has_table_privilege(c.oid, 'DELETE'),
       has_table_privilege(c.oid, 'TRUNCATE')
FROM pg_class c, pg_roles r
WHERE c.oid = to_regclass(%s) AND r.rolname = current_user
"""


def database_role_warnings(alias: str = DEFAULT_DB_ALIAS) -> list[Warning]:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return []
    found = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (role,) = cursor.fetchone()
            for table in APPEND_ONLY_TABLES:
                cursor.execute(QUERY, [table])
                row = cursor.fetchone()
                if row is not None:
                    found.append((table, *row))
    except DatabaseError:
        # A database out of reach is another problem, reported where it bites;
        # this check is about the role, and looks again at the next start.
        logger.debug("The database role could not be checked.", exc_info=True)
        return []
    warnings = []
    for table, superuser, acts_as_owner, owner, *rights in found:
        if superuser or acts_as_owner:
            what = "a superuser" if superuser else f"the owner ({owner})"
            warnings.append(
                Warning(
                    f"The database role {role} is {what} of {table}: connected as "
                    "it, the application could disable the audit log's triggers, "
                    "rewrite its rows or truncate it.",
                    hint=HINT,
                    id="audit.W001",
                )
            )
            break
        granted = [
            name
            for name, allowed in zip(
                ("UPDATE", "DELETE", "TRUNCATE"), rights, strict=True
            )
            if allowed
        ]
        if granted:
            warnings.append(
                Warning(
                    f"The database role {role} may {', '.join(granted)} {table}; "
                    "the audit log should only be added to and read.",
                    hint=HINT,
                    id="audit.W002",
                )
            )
    return warnings


@register(deploy=True)
def check_database_role(
    app_configs: Sequence[AppConfig] | None,
    databases: Sequence[str] | None = None,
    **kwargs: object,
) -> list[Warning]:
    return database_role_warnings()


def log_database_role_warnings() -> None:
    """The same check as a web process starts: warnings go to the log.

    The connection it opened is closed again: it belongs to the thread that
    loaded the application, which serves no request.
    """
    try:
        for warning in database_role_warnings():
            logger.warning("%s: %s %s", warning.id, warning.msg, warning.hint)
    finally:
        connections[DEFAULT_DB_ALIAS].close()
