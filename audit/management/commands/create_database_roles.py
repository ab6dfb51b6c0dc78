from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from audit.roles import statements


class Command(BaseCommand):
    help = (
        "Give the database to two PostgreSQL roles (docs/deployment.md): an owner "
        "that runs the migrations, and the role the web and task processes use, "
        "which may only add to and read the audit log. Prints the SQL; --execute "
        "runs it (as a superuser). Safe to run again after each release."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--owner",
            default="etikrum_owner",
            help="The owning role (made if missing).",
        )
        parser.add_argument(
            "--app",
            default="etikrum_app",
            help="The application's role (made if missing).",
        )
        parser.add_argument(
            "--execute", action="store_true", help="Run the SQL instead of printing it."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(
        self, *args: str, owner: str, app: str, execute: bool, **options: Any
    ) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's; this is not.")
        try:
            sql = statements(connection, owner=owner, app=app)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not execute:
            self.stdout.write("\n".join(sql))
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in sql:
                if not statement.startswith("--"):
                    cursor.execute(statement)
        self.stdout.write(
            f"{owner} owns the database and {app} may use it; the audit log is "
            f"append-only for {app}. Give both a password (ALTER ROLE ... PASSWORD) "
            "or another way to sign in, run migrate as the owner and everything "
            "else as the application."
        )
