"""The two database roles, tried for real on PostgreSQL.

Each test makes an owner and an application role with names of its own
(roles belong to the whole cluster, which parallel test runs share), hands
the test database to them with `create_database_roles --execute`, and drops
them again afterwards. Then: as the application, every way around the audit
log's append-only rule is refused while the application itself works; as the
owner, a row forged, deleted or the table truncated is named by verify_audit.
"""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from audit.checks import database_role_warnings
from audit.models import AuditEvent
from organisations.models import Unit
from tests.factories import make_member, make_org, make_unit, sign_in

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def roles():
    suffix = uuid.uuid4().hex[:10]
    owner, app = f"etikrum_owner_{suffix}", f"etikrum_app_{suffix}"
    call_command(
        "create_database_roles",
        owner=owner,
        app=app,
        execute=True,
        stdout=io.StringIO(),
    )
    yield owner, app
    with connection.cursor() as cursor:
        for role in (owner, app):
            cursor.execute(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


def connect_as(role: str):
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=role,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )


class django_connects_as:
    """The application itself, for a while, connected as `role`."""

    def __init__(self, role: str):
        self.role = role

    def __enter__(self):
        self.user = connection.settings_dict["USER"]
        connection.close()
        connection.settings_dict["USER"] = self.role

    def __exit__(self, *exc):
        connection.close()
        connection.settings_dict["USER"] = self.user


@pytest.fixture
def log():
    org = make_org("norrby")
    staff = make_member(org, "staff", unit=make_unit(org), name="Sara Staff")
    rows = [
        AuditEvent.record(action="read", membership=staff, object_kind="dilemma")
        for _ in range(4)
    ]
    return org, rows


REFUSED_TO_THE_APPLICATION = [
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_append_only ON audit_auditevent",
    "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS "
    "$$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    # The function every append asks for the chain's last row (a replaced one
    # could hand a row a predecessor of its choice).
    "CREATE OR REPLACE FUNCTION audit_chain_head(space integer, key integer, "
    "organisation bigint, genesis varchar) RETURNS TABLE (seq bigint, hash varchar) "
    "AS $$ BEGIN RETURN; END; $$ LANGUAGE plpgsql",
    "DROP FUNCTION audit_chain_head(integer, integer, bigint, varchar)",
    "TRUNCATE audit_auditevent",
    "UPDATE audit_auditevent SET person = 'Någon annan'",
    "DELETE FROM audit_auditevent",
    "ALTER TABLE audit_auditevent OWNER TO CURRENT_USER",
    "DROP TABLE audit_auditevent",
    "TRUNCATE audit_auditcheckpoint",
    "UPDATE audit_auditcheckpoint SET count = 0",
    "DELETE FROM audit_auditcheckpoint",
    "ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER audit_checkpoint_append_only",
]


def test_the_application_role_cannot_get_around_the_audit_log(roles, log):
    import psycopg

    _owner, app = roles
    _org, rows = log
    with connect_as(app) as conn:
        for statement in REFUSED_TO_THE_APPLICATION:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (4,)
    assert list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True)) == [
        row.hash for row in rows
    ]
    assert "4 entries, intact" in verify_audit()


def test_the_application_works_as_the_application_role(client, roles, log):
    _owner, app = roles
    org, _rows = log
    admin = make_member(org, "admin", name="Anna Admin")

    with django_connects_as(app):
        sign_in(client, admin)
        response = client.post(
            reverse("organisations:unit_add", kwargs={"org": "norrby"}),
            {"name": "Vuxna", "kind": "unit"},
        )
        assert response.status_code == 302
        assert Unit.objects.filter(name="Vuxna").exists()
        row = AuditEvent.objects.get(action="create")
        assert (row.seq, row.object_name) == (5, "Vuxna")
        # The daily check runs as the application too, and leaves a checkpoint.
        assert "5 entries, intact" in verify_audit()
        assert database_role_warnings() == []


def test_the_start_up_check_warns_of_the_owner_and_a_superuser(roles, log):
    owner, _app = roles

    with django_connects_as(owner):
        (warning,) = database_role_warnings()
    assert warning.id == "audit.W001"
    assert f"is the owner ({owner}) of audit_auditevent" in warning.msg
    # The test runner's own role is a superuser.
    (warning,) = database_role_warnings()
    assert "a superuser" in warning.msg


def test_a_grant_too_many_is_warned_of_and_taken_back_by_migrate(roles, log):
    owner, app = roles
    with connect_as(owner) as conn:
        conn.execute(f'GRANT UPDATE, TRUNCATE ON audit_auditevent TO "{app}"')

    with django_connects_as(app):
        (warning,) = database_role_warnings()
    assert warning.id == "audit.W002"
    assert "may UPDATE, TRUNCATE audit_auditevent" in warning.msg

    with django_connects_as(owner):
        call_command("migrate", verbosity=0)
    with django_connects_as(app):
        assert database_role_warnings() == []


def verify_audit() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def broken() -> str:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_as_the_owner_a_forged_row_is_found(roles, log):
    owner, _app = roles
    _org, rows = log
    with connect_as(owner) as conn, conn.transaction():
        conn.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        conn.execute(
            "UPDATE audit_auditevent SET action = 'print' WHERE id = %s", [rows[1].pk]
        )
        conn.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")

    output = broken()
    assert "(norrby): BROKEN at entry 2: its hash does not match" in output
    assert str(rows[1].uuid) in output


def test_as_the_owner_a_deleted_row_is_found(roles, log):
    owner, _app = roles
    _org, rows = log
    with connect_as(owner) as conn, conn.transaction():
        conn.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        conn.execute("DELETE FROM audit_auditevent WHERE id = %s", [rows[2].pk])
        conn.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")

    output = broken()
    assert "(norrby): BROKEN at entry 3: entry 3 is missing (deleted)" in output


def test_as_the_owner_a_truncated_log_is_found(roles, log):
    owner, _app = roles
    verify_audit()  # yesterday's check, which left a checkpoint
    with connect_as(owner) as conn:
        conn.execute("TRUNCATE audit_auditevent")

    output = broken()
    assert (
        "(norrby): BROKEN at entry 1: the checkpoint of" in output
        and "counted 4 entries and only 0 remain: entries 1 to 4 were removed" in output
    )
