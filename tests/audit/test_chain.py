"""The hash chain: every organisation's rows in one unbroken, verifiable order.

Tampering is done here the way someone with the database's keys would: raw
SQL, with the append-only trigger lifted on PostgreSQL (which only the
tables' owner can do, see test_roles.py).
"""

from __future__ import annotations

import io
import logging
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from audit import chain
from audit.models import Action, AppendOnlyError, AuditCheckpoint, AuditEvent
from audit.tasks import verify_audit_task
from tests.factories import make_member, make_org, sign_in

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


def write(org, n: int, **kwargs) -> list[AuditEvent]:
    return [
        AuditEvent.record(
            action=Action.READ,
            organisation=org,
            object_kind="dilemma",
            object_name=f"Dilemma {i}",
            **kwargs,
        )
        for i in range(n)
    ]


def tamper(sql: str, params=()) -> None:
    """Run `sql` past the append-only trigger, as the tables' owner could."""
    with transaction.atomic(), connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only"
            )
        cursor.execute(sql, params)
        if POSTGRES:
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only"
            )


def verify_audit(*args) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError, match="failed verification"):
        call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_each_organisation_has_its_own_unbroken_chain(org, other_org):
    norrby = write(org, 3)
    soderby = write(other_org, 2)
    platform = write(None, 1)

    assert [row.seq for row in norrby] == [1, 2, 3]
    assert [row.seq for row in soderby] == [1, 2]
    assert [row.seq for row in platform] == [1]
    previous = chain.GENESIS
    for row in AuditEvent.objects.chain(org.pk):
        assert row.hash == chain.digest(previous, row)
        previous = row.hash
    assert norrby[1].hash != soderby[1].hash


def test_a_row_written_through_a_page_is_in_the_chain(client, staff, admin_member):
    sign_in(client, admin_member)
    client.post(
        reverse("organisations:unit_add", kwargs={"org": "norrby"}),
        {"name": "Vuxna", "kind": "unit"},
    )
    client.post(
        reverse("organisations:unit_add", kwargs={"org": "norrby"}),
        {"name": "Äldre", "kind": "unit"},
    )

    rows = AuditEvent.objects.chain(admin_member.organisation_id)
    assert list(rows.values_list("seq", "object_name")) == [
        (1, "Vuxna"),
        (2, "Äldre"),
    ]
    assert "(norrby): 2 entries, intact" in verify_audit()


def test_an_intact_log_verifies_and_leaves_a_checkpoint(org, other_org):
    write(org, 3)
    write(other_org, 2)

    output = verify_audit()

    assert f"{org.name} (norrby): 3 entries, intact" in output
    assert f"{other_org.name} (soderby): 2 entries, intact" in output
    assert sorted(AuditCheckpoint.objects.values_list("organisation_id", "count")) == [
        (org.pk, 3),
        (other_org.pk, 2),
    ]
    head = AuditEvent.objects.chain(org.pk).last().hash
    assert AuditCheckpoint.objects.get(organisation=org).head == head


def test_a_changed_row_is_named(org, other_org):
    rows = write(org, 4)
    write(other_org, 2)

    tamper(
        "UPDATE audit_auditevent SET person = %s WHERE id = %s",
        ["Någon annan", rows[1].pk],
    )

    output = broken()
    assert f"{org.name} (norrby): BROKEN at entry 2:" in output
    assert str(rows[1].uuid) in output
    assert "changed or forged" in output
    # The other organisation's chain is not touched by it.
    assert f"{other_org.name} (soderby): 2 entries, intact" in output
    assert list(AuditCheckpoint.objects.values_list("organisation_id", flat=True)) == [
        other_org.pk
    ]


def test_a_deleted_row_is_named(org):
    rows = write(org, 4)

    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[2].pk])

    output = broken()
    assert "BROKEN at entry 3: entry 3 is missing (deleted)" in output
    assert str(rows[3].uuid) in output


def test_a_forged_row_is_named(org):
    rows = write(org, 2)
    forged = AuditEvent(
        organisation=org,
        person="Anna Admin <admin@norrby.example>",
        object_kind="dilemma",
        action="read",
        seq=3,
        hash="f" * 64,
    )

    tamper(
        "INSERT INTO audit_auditevent (uuid, at, organisation_id, person, role, "
        "unit_name, object_kind, object_name, action, outcome, via, view, detail, "
        "seq, hash) VALUES (%s, %s, %s, %s, '', '', %s, '', %s, 'allowed', 'page', "
        "'', '', %s, %s)",
        [
            forged.uuid.hex,
            connection.ops.adapt_datetimefield_value(rows[1].at),
            org.pk,
            forged.person,
            forged.object_kind,
            forged.action,
            forged.seq,
            forged.hash,
        ],
    )

    output = broken()
    assert "BROKEN at entry 3: its hash does not match" in output
    assert str(forged.uuid) in output


def test_removing_the_last_rows_or_all_is_found_by_the_checkpoint(org, other_org):
    rows = write(org, 5)
    write(other_org, 1)
    verify_audit()

    tamper(
        "DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [rows[3].pk, rows[4].pk]
    )
    output = broken()
    assert (
        "BROKEN at entry 4: the checkpoint of" in output
        and "counted 5 entries and only 3 remain: entries 4 to 5 were removed" in output
    )

    # Emptying the whole table, as TRUNCATE would.
    tamper("DELETE FROM audit_auditevent")
    output = broken()
    assert f"{org.name} (norrby): BROKEN at entry 1:" in output
    assert f"{other_org.name} (soderby): BROKEN at entry 1:" in output


def test_a_consistently_rewritten_chain_is_found_by_heads_kept_elsewhere(org, tmp_path):
    rows = write(org, 3)
    kept = tmp_path / "heads.txt"
    kept.write_text(verify_audit("--heads", "--no-checkpoint"), encoding="utf-8")
    assert f"chain {org.pk} 3 {rows[2].hash}" in kept.read_text()

    # Someone who knows this file rewrites a row and every hash after it.
    tamper(
        "UPDATE audit_auditevent SET person = 'Någon annan' WHERE id = %s",
        [rows[1].pk],
    )
    previous = rows[0].hash
    for row in AuditEvent.objects.chain(org.pk)[1:]:
        fixed = chain.digest(previous, row)
        tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [fixed, row.pk])
        previous = fixed

    # The chain holds together, so the database alone cannot tell ...
    assert "3 entries, intact" in verify_audit("--no-checkpoint")
    # ... but the head kept elsewhere can.
    output = broken("--expect", str(kept))
    assert "BROKEN at entry 3: its hash differs from the one the head in" in output


def test_the_database_refuses_a_fork(org):
    write(org, 2)
    # A second row at place 2, as two writers without the chain's lock could
    # both have made.
    with pytest.raises(IntegrityError):
        tamper(
            "INSERT INTO audit_auditevent (uuid, at, organisation_id, person, role, "
            "unit_name, object_kind, object_name, action, outcome, via, view, "
            "detail, seq, hash) SELECT %s, at, organisation_id, person, role, "
            "unit_name, object_kind, object_name, action, outcome, via, view, "
            "detail, seq, hash FROM audit_auditevent WHERE seq = 2",
            ["0" * 31 + "1"],
        )
    assert AuditEvent.objects.count() == 2


def test_the_daily_task_tells_the_operators_of_a_break(org, settings, caplog):
    settings.ADMINS = ["it-drift@norrby.example"]
    rows = write(org, 2)
    assert verify_audit_task.enqueue().return_value is True
    assert mail.outbox == []

    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    with caplog.at_level(logging.INFO, logger="etikrum.audit"):
        result = verify_audit_task.enqueue()

    assert result.return_value is False
    (message,) = mail.outbox
    assert message.to == ["it-drift@norrby.example"]
    assert "The audit log failed verification" in message.subject
    assert "BROKEN at entry 2" in message.body
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "BROKEN at entry 2" in errors[0].getMessage()


def test_the_daily_task_logs_each_head(org, caplog):
    rows = write(org, 2)
    with caplog.at_level(logging.INFO, logger="etikrum.audit"):
        assert verify_audit_task.enqueue().return_value is True
    assert f"Audit log chain {org.pk} 2 {rows[1].hash}" in caplog.text


def test_checkpoints_are_append_only(org):
    write(org, 1)
    verify_audit()
    checkpoint = AuditCheckpoint.objects.get()
    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()


@pytest.mark.skipif(not POSTGRES, reason="the triggers are PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditcheckpoint SET count = 0", "DELETE FROM audit_auditcheckpoint"],
)
def test_the_database_refuses_to_change_a_checkpoint(org, statement):
    write(org, 1)
    verify_audit()
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditCheckpoint.objects.get().count == 1


@pytest.mark.skipif(
    not POSTGRES,
    reason="SQLite lets one writer in at a time (IMMEDIATE transactions); "
    "PostgreSQL's concurrent writers need the chain's lock",
)
@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_never_fork_the_chain():
    org = make_org("norrby")
    member = make_member(org, "staff")
    start = threading.Barrier(4)
    errors: list[Exception] = []

    def writer() -> None:
        try:
            start.wait()
            for _ in range(15):
                AuditEvent.record(action=Action.READ, membership=member)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(AuditEvent.objects.chain(org.pk).values_list("seq", flat=True))
    assert seqs == list(range(1, 61))
    assert "60 entries, intact" in verify_audit()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own rule")
def test_sqlite_writers_take_the_write_lock_as_they_begin():
    # The chain on SQLite relies on it (audit/chain.py, lock): a transaction
    # that read the last row holds the write lock until it has added the next.
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
