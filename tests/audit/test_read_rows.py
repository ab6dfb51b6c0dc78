"""The row of a reading, written in one statement on PostgreSQL (audit/chain.py).

What an auditor would try: is the row there, for anyone to see, once the page
has been sent; do readers at the same moment leave a chain without gaps or
forks; does a writer that waited for the chain follow the row it waited for;
does the hash the database computes match the one `verify_audit` computes
again, whatever the text.
"""

from __future__ import annotations

import datetime
import io
import threading
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit import chain
from audit.models import Action, AuditEvent, Kind
from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.factories import make_group, make_member, make_org, make_unit, sign_in

POSTGRES = connection.vendor == "postgresql"
ONLY_POSTGRES = pytest.mark.skipif(
    not POSTGRES,
    reason="SQLite lets one writer in at a time (IMMEDIATE transactions) and "
    "appends in a transaction of its own; the one-statement append is PostgreSQL's",
)


def verify_audit() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def assert_gapless_and_intact(organisation_id: int | None) -> list[AuditEvent]:
    rows = list(AuditEvent.objects.chain(organisation_id))
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    previous = chain.GENESIS
    for row in rows:
        assert row.hash == chain.digest(previous, row), row.seq
        previous = row.hash
    return rows


def a_reflection():
    """A reflection in Norrby, and two members of its group who may read it."""
    org = make_org("norrby")
    unit = make_unit(org)
    facilitator = make_member(org, "facilitator", unit=unit, name="Fredrik")
    reader = make_member(org, "staff", unit=unit, name="Maja")
    other = make_member(
        org, "staff", unit=unit, email="kalle@norrby.example", name="Kalle"
    )
    group = make_group(org, unit, facilitators=[facilitator], members=[reader, other])
    dilemma = make_dilemma(group, reader)
    meeting = make_meeting(group, timezone.localdate() - datetime.timedelta(days=1))
    reflection = start_reflection(meeting, dilemma, facilitator)
    url = reverse(
        "reflections:detail",
        kwargs={"org": org.slug, "reflection_uuid": reflection.uuid},
    )
    return org, reflection, url, reader, other


def readings(reflection) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_uuid=reflection.uuid, action=Action.READ, outcome="allowed"
        ).order_by("seq")
    )


def seen_from_another_connection(reflection) -> int:
    """The readings of `reflection` that another database session sees."""
    found: list[int] = []

    def look() -> None:
        try:
            found.append(
                AuditEvent.objects.filter(
                    object_uuid=reflection.uuid, action=Action.READ
                ).count()
            )
        finally:
            connections.close_all()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return found[0]


@pytest.mark.django_db(transaction=True)
def test_the_row_is_committed_when_the_page_has_been_sent():
    org, reflection, url, reader, _other = a_reflection()
    client = Client()
    sign_in(client, reader)

    response = client.get(url)

    assert response.status_code == 200
    # Nothing left open that could still roll the row back.
    assert connection.get_autocommit() and not connection.in_atomic_block
    (row,) = readings(reflection)
    assert row.membership_id == reader.pk
    assert row.object_kind == Kind.REFLECTION
    assert row.view == "reflections:detail"
    if POSTGRES:
        # Committed: another session sees it.
        assert seen_from_another_connection(reflection) == 1
    assert_gapless_and_intact(org.pk)


@ONLY_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_readers_at_the_same_moment_leave_one_gapless_chain():
    org, reflection, url, reader, other = a_reflection()
    before = AuditEvent.objects.chain(org.pk).count()
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    statuses: list[int] = []

    def read(member) -> None:
        try:
            client = Client()
            sign_in(client, member)
            start.wait()
            for _ in range(12):
                statuses.append(client.get(url).status_code)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(m,)) for m in (reader, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [200] * 24
    rows = assert_gapless_and_intact(org.pk)
    # Each reading has its row; besides them only the two sign-ins came.
    found = readings(reflection)
    assert len(found) == 24
    assert sorted(row.membership_id for row in found) == sorted(
        [reader.pk] * 12 + [other.pk] * 12
    )
    assert {row.action for row in rows[before:]} <= {Action.READ, Action.SIGN_IN}
    assert len([row for row in rows[before:] if row.action == Action.READ]) == 24
    assert seen_from_another_connection(reflection) == 24
    assert "intact" in verify_audit()


def _waiting_for_a_chain(timeout: float = 10.0) -> bool:
    """Whether some session waits for an advisory lock (a chain's)."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND NOT granted AND classid = %s",
                [chain.LOCK_SPACE],
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@ONLY_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_waited_for_the_chain_follows_the_row_it_waited_for():
    # The row's statement began before the other writer committed: had it
    # read the chain's last row as the table was when it began (a subquery
    # in the INSERT), it would follow the same row as the other and the
    # database would refuse it as a fork.
    org = make_org("norrby")
    AuditEvent.record(action=Action.READ, organisation=org, object_kind="dilemma")
    holding, release = threading.Event(), threading.Event()
    written: dict[str, AuditEvent] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                written["first"] = AuditEvent.record(
                    action=Action.READ, organisation=org, object_name="Först"
                )
                holding.set()
                assert release.wait(15)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            written["second"] = AuditEvent.record(
                action=Action.READ, organisation=org, object_name="Sedan"
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert holding.wait(15)
    two = threading.Thread(target=second)
    two.start()
    try:
        assert _waiting_for_a_chain(), "the second writer never waited"
        # It waits: nothing of it is written yet.
        assert AuditEvent.objects.chain(org.pk).count() == 1
    finally:
        release.set()
        one.join()
        two.join()

    assert errors == []
    assert written["first"].seq == 2
    assert written["second"].seq == 3
    rows = assert_gapless_and_intact(org.pk)
    assert [row.object_name for row in rows[1:]] == ["Först", "Sedan"]
    assert rows[2].hash == chain.digest(rows[1].hash, rows[2])


# Text the serialisation must escape exactly as json does: quotes, backslashes,
# control characters, placeholders of the database driver, letters outside
# ASCII and characters json could write either way.
AWKWARD = [
    'Säg "nej" \\ eller \\"ja\\"',
    "rad ett\nrad två\r\n\tindrag\b\f",
    "styrtecken \x01 \x1f \x7f slut",
    "procent %s %% %(name)s {0} $1 ?",
    "Ærø, Øresund, Åland; ß, ü; 日本; 🙂 \u2028\u2029 \u00a0 \ufeff",
    "'; DROP TABLE audit_auditevent; --",
    "",
]


@pytest.mark.django_db
def test_the_database_hashes_the_row_as_verification_does():
    org = make_org("norrby")
    unit = make_unit(org, name='Enhet "Ö" \\ 1')
    member = make_member(org, "staff", unit=unit, name='Anna "Ankan" \\ Öst')
    rows = []
    for i, text in enumerate(AWKWARD):
        rows.append(
            AuditEvent.record(
                action=Action.CHANGE,
                organisation=org,
                membership=member if i % 2 else None,
                unit=unit if i % 3 else None,
                object_kind=Kind.DILEMMA,
                object_uuid=uuid.uuid4() if i % 2 else None,
                object_name=text,
                detail=f"{text} → {text[::-1]}",
                view="dilemmas:detail",
            )
        )
    # The platform's chain (no organisation), from its genesis.
    platform = AuditEvent.record(
        action=Action.SIGN_IN_FAILED, person="okänd@example.org", detail=AWKWARD[0]
    )

    stored = assert_gapless_and_intact(org.pk)
    assert [row.hash for row in stored] == [row.hash for row in rows]
    assert [row.object_name for row in stored] == AWKWARD
    (again,) = assert_gapless_and_intact(None)
    assert again.hash == platform.hash == chain.digest(chain.GENESIS, again)
    assert "intact" in verify_audit()


@pytest.mark.django_db
def test_rows_appended_one_by_one_and_in_bulk_share_one_chain():
    org = make_org("norrby")
    member = make_member(org, "staff")
    AuditEvent.record(action=Action.READ, membership=member, object_name="Ett")
    AuditEvent.append_all(
        [
            AuditEvent.prepare(action=Action.INVITE, membership=member, object_name=n)
            for n in ("Två", "Tre")
        ]
    )
    AuditEvent.record(action=Action.READ, membership=member, object_name="Fyra")

    rows = assert_gapless_and_intact(org.pk)
    assert [row.object_name for row in rows] == ["Ett", "Två", "Tre", "Fyra"]
