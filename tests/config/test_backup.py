"""A backup restores into an empty database intact: scripts/backup-check."""

from __future__ import annotations

import datetime
import importlib.machinery
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from audit.models import Action, AuditEvent
from reflections.models import Reflection
from tests.insights.helpers import add_session, make_town
from values.models import CoreValue, ValueBase, Version

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = BASE_DIR / "scripts" / "backup-check"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump and pg_restore back up PostgreSQL; set DATABASE_URL to one",
    ),
    # pg_dump reads the database from outside: the data must be committed.
    pytest.mark.django_db(transaction=True),
]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{host}{port}/{db['NAME']}"


def backup_check():
    loader = importlib.machinery.SourceFileLoader("backup_check", str(SCRIPT))
    module = importlib.util.module_from_spec(
        importlib.util.spec_from_loader("backup_check", loader)
    )
    loader.exec_module(module)
    return module


def rows_reported(output: str, table: str) -> int:
    match = re.search(rf"^\s+{table}\s+(\d+) rows  same$", output, re.MULTILINE)
    assert match, output
    return int(match.group(1))


@pytest.fixture
def town(org):
    town = make_town(org)
    add_session(town, town.children_group, datetime.date(2024, 3, 5))
    add_session(town, town.adults_group, datetime.date(2024, 4, 9))
    for reflection in Reflection.objects.all():
        AuditEvent.objects.create(
            organisation=org,
            person=town.facilitator.user.name,
            object_kind="reflection",
            object_uuid=reflection.uuid,
            action=Action.READ,
            view="reflections:detail",
        )
    return town


def test_a_backup_restores_the_value_base_reflections_and_audit_log(town):
    result = subprocess.run(
        [sys.executable, SCRIPT, database_url()],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    assert "OK: the backup restores to the same database" in output
    assert rows_reported(output, "values_version") == Version.objects.count() == 1
    assert rows_reported(output, "values_corevalue") == CoreValue.objects.count() == 2
    assert rows_reported(output, "reflections_reflection") == 2
    assert rows_reported(output, "audit_auditevent") == AuditEvent.objects.count()
    assert AuditEvent.objects.count() == 2
    assert "the copy's audit log refused an UPDATE and a DELETE" in output
    # The scratch database is gone.
    scratch = re.search(r"restored into (\S+) in", output).group(1)
    assert f"dropped {scratch}" in output
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [scratch])
        assert cursor.fetchone() == (0,)


def test_the_comparison_finds_changed_and_missing_rows(town):
    import psycopg

    check = backup_check()
    url = check.libpq_url(database_url())
    with psycopg.connect(url) as conn:
        before = check.fingerprint(conn)
        conn.rollback()
        ValueBase.objects.update(name="Ändrad värdegrund")
        AuditEvent.objects.create(person="Någon", object_kind="reflection")
        after = check.fingerprint(conn)
        conn.rollback()

    problems = check.differences(before, after)

    assert problems == [
        "table audit_auditevent: 2 rows, 3 in the copy",
        "table values_valuebase: same count, different rows in the copy",
    ]
    assert check.differences(before, before) == []


def test_an_audit_log_without_its_trigger_is_found(town):
    import psycopg

    check = backup_check()
    with psycopg.connect(check.libpq_url(database_url())) as conn:
        assert check.audit_refuses_changes(conn) is None
        conn.execute("DROP TRIGGER audit_append_only ON audit_auditevent")
        assert check.audit_refuses_changes(conn) == "the copy allowed: UPDATE"
        conn.rollback()
    assert AuditEvent.objects.count() == 2
    assert not AuditEvent.objects.filter(person__endswith="!").exists()


def test_tools_of_the_servers_version_are_found():
    check = backup_check()
    bindir, major = check.find_tools(connection.pg_version // 10000)

    assert major == connection.pg_version // 10000
    assert (bindir / "pg_dump").exists()
    assert (bindir / "pg_restore").exists()
    with pytest.raises(check.CheckError, match="no pg_dump and pg_restore of version"):
        check.find_tools(99)


def test_a_sequence_behind_its_column_is_found(town):
    import psycopg

    check = backup_check()
    with psycopg.connect(check.libpq_url(database_url()), autocommit=True) as conn:
        checked, behind = check.sequences_behind(conn)
        assert checked > 10
        assert behind == []
        (largest,) = conn.execute("SELECT max(id) FROM audit_auditevent").fetchone()
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), 1)"
        )
        try:
            _checked, behind = check.sequences_behind(conn)
        finally:
            conn.execute(
                "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), %s)",
                [largest],
            )

    assert behind == [
        f"sequence audit_auditevent_id_seq at 1, below audit_auditevent.id {largest}"
    ]
