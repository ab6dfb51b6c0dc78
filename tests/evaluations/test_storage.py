"""What PostgreSQL itself keeps of an answer: row headers, pages, the log.

Whoever reads the database (a replica, a backup, the files) sees more than
the columns: each row's transaction id (xmin) and physical position (ctid),
the dead rows a DELETE leaves until vacuum, and the write-ahead log. These
tests read all of that, for answers given through the pages by known people
in a known order, and show that none of it pairs an answer with its author:

- while the evaluation is open, each sealed answer's xmin does pair it with
  its Respondent row, but it holds nothing readable, and all are one size;
- once it has closed, every Answer and Score row carries one and the same
  xmin, written by no request of anyone's, and lies in the shuffled order,
  not the order people answered;
- neither the live nor the dead sealed rows, nor the log written while the
  evaluation was open, contain any answer's text.

A fixed seed makes the shuffle known to the test, so the order is asserted
exactly rather than hoped for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from django.db import connection

from evaluations.models import Answer, Evaluation
from evaluations.sealing import SEALED_SIZE
from reflections.models import Reflection
from tests.factories import make_member, sign_in

from .helpers import answer_url, close, form_data, held_session

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row headers, pages and the write-ahead log are PostgreSQL's",
)

SEED = 20
NAMES = [
    "Mira",
    "Hugo",
    "Saga",
    "Elis",
    "Nora",
    "Axel",
    "Tyra",
    "Loke",
    "Ines",
    "Vide",
    "Juni",
    "Otto",
]


def _rows(table: str, columns: str) -> list[tuple]:
    """Rows with their xmin (as a number) and ctid (as (page, slot)), by ctid."""
    with connection.cursor() as cursor:
        cursor.execute(
            # Named apart: ORDER BY ctid would otherwise sort the text.
            f"SELECT xmin::text::bigint AS x, ctid::text AS position, {columns} "
            f"FROM evaluations_{table} ORDER BY ctid"
        )
        return [
            (xmin, tuple(int(p) for p in ctid.strip("()").split(",")), *rest)
            for xmin, ctid, *rest in cursor.fetchall()
        ]


def _pages(relation: str) -> bytes:
    """Every page of a table and of its TOAST table, live and dead rows alike."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(
            "SELECT %s::regclass::text, reltoastrelid::regclass::text "
            "FROM pg_class WHERE oid = %s::regclass",
            [relation, relation],
        )
        names = [name for name in cursor.fetchone() if name and name != "-"]
        data = b""
        for name in names:
            cursor.execute(
                "SELECT pg_relation_size(%s::regclass) / "
                "current_setting('block_size')::int",
                [name],
            )
            for block in range(cursor.fetchone()[0]):
                cursor.execute("SELECT get_raw_page(%s, 'main', %s)", [name, block])
                data += bytes(cursor.fetchone()[0])
        return data


def _lsn() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        high, low = cursor.fetchone()[0].split("/")
        return (int(high, 16) << 32) | int(low, 16)


def _wal(start: int, end: int) -> bytes:
    """The write-ahead log between two positions, read from its files."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setting::bigint FROM pg_settings WHERE name = %s",
            ["wal_segment_size"],
        )
        segment = cursor.fetchone()[0]
        data, position = b"", start
        while position < end:
            upto = min(end, (position // segment + 1) * segment)
            # One byte in, so that a position on a file boundary names its file.
            after = position + 1
            cursor.execute(
                "SELECT file_name, file_offset FROM pg_walfile_name_offset(%s::pg_lsn)",
                [f"{after >> 32:X}/{after & 0xFFFFFFFF:X}"],
            )
            name, offset = cursor.fetchone()
            cursor.execute(
                "SELECT pg_read_binary_file(%s, %s, %s)",
                [f"pg_wal/{name}", offset - 1, upto - position],
            )
            data += bytes(cursor.fetchone()[0])
            position = upto
        return data


@pytest.fixture
def twelve(org, unit):
    return [
        make_member(
            org, "staff", unit=unit, email=f"{name.lower()}@norrby.example", name=name
        )
        for name in NAMES
    ]


def _comment(index: int) -> str:
    return f"{NAMES[index]} tyckte: samtalet var värt tiden ({index:02d})."


def _who(comment: str) -> int:
    return NAMES.index(comment[:4])


def _given(index: int) -> dict[str, str]:
    # Each person's own pattern of steps, so every answer is told apart.
    return form_data(
        1 + index % 4,
        comment=_comment(index),
        **{"listened-to": 1 + (index // 4) % 4},
    )


@dataclass
class Answered:
    session: Reflection
    start: int
    while_open: int
    plain: list[bytes]


@pytest.fixture
def answered(client, org, unit, facilitator, twelve) -> Answered:
    """Twelve people answer through the page, one after another, in this order."""
    with connection.cursor() as cursor:
        # Fresh files, free of the dead rows earlier tests rolled back: the
        # claim is about where one batch lands, not where free space was.
        cursor.execute(
            "TRUNCATE evaluations_score, evaluations_answer, "
            "evaluations_sealedanswer, evaluations_respondent"
        )
    session = held_session(org, unit, facilitator, twelve)
    start = _lsn()
    for index, person in enumerate(twelve):
        sign_in(client, person)
        response = client.post(answer_url(session), _given(index))
        assert response.status_code == 302
    return Answered(
        session=session,
        start=start,
        while_open=_lsn(),
        plain=[_comment(i).encode() for i in range(12)],
    )


@pytest.mark.django_db(transaction=True)
def test_no_row_header_or_position_pairs_an_answer_with_its_author(answered, twelve):
    respondents = _rows("respondent", "membership_id")
    sealed = _rows("sealedanswer", "octet_length(sealed), sealed")
    # What a reader of the database can see while it is open: who answered,
    # in which order, and a sealed row written with each of them.
    assert [r[2] for r in sorted(respondents)] == [p.pk for p in twelve]
    respondent_xmins = [r[0] for r in respondents]
    assert len(set(respondent_xmins)) == 12
    # Each sealed row was written by the transaction whose savepoint wrote its
    # Respondent row, so their ids alternate: the n-th of each are a pair.
    # (Not always adjacent: the counter is shared with every other database.)
    both = sorted(
        [(s[0], "sealed") for s in sealed] + [(x, "r") for x in respondent_xmins]
    )
    assert [kind for _x, kind in both] == ["sealed", "r"] * 12
    # ... but the sealed rows are all one size and say nothing.
    assert {s[2] for s in sealed} == {SEALED_SIZE}
    for *_header, sealed_bytes in sealed:
        assert not any(p in bytes(sealed_bytes) for p in answered.plain)
    assert not Answer.objects.exists()

    state = close(answered.session, rng=random.Random(SEED))

    assert state == Evaluation.State.RELEASED
    answers = _rows("answer", "id, comment")
    scores = _rows("score", "answer_id")
    # One transaction wrote them all, and no request of anyone's.
    (release_xmin,) = {a[0] for a in answers} | {s[0] for s in scores}
    assert release_xmin not in respondent_xmins
    assert release_xmin > max(respondent_xmins)
    # Laid down in the shuffled order: the given answers sorted by content,
    # then shuffled with the seed, exactly as Evaluation.close does.
    by_content = sorted(range(12), key=_comment)
    random.Random(SEED).shuffle(by_content)
    physical = [_who(a[3]) for a in answers]
    assert physical == by_content
    submitted = list(range(12))
    assert physical not in (submitted, submitted[::-1])
    # Matching the n-th respondent with the n-th answer finds the author no
    # better than chance (one in twelve each, about one in all; none here).
    assert sum(i == who for i, who in enumerate(physical)) <= 1
    # By key (random, unseeded): any order but the one they answered in.
    by_key = [_who(a[3]) for a in sorted(answers, key=lambda a: a[2])]
    assert by_key != submitted
    # The scores follow their answers, nine by nine, in the same order.
    answer_order = [a[2] for a in answers]
    score_order = list(dict.fromkeys(s[2] for s in scores))
    assert score_order == answer_order and len(scores) == 12 * 9
    assert _rows("sealedanswer", "sealed") == []


@pytest.mark.django_db(transaction=True)
def test_no_page_or_log_holds_an_answer_in_the_open(answered):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, current_setting('wal_compression'), "
            "EXISTS (SELECT FROM pg_available_extensions "
            "WHERE name = 'pageinspect') FROM pg_roles WHERE rolname = current_user"
        )
        superuser, compression, inspectable = cursor.fetchone()
    if not (superuser and inspectable and compression == "off"):
        pytest.skip(
            "reading raw pages and log files needs a superuser, pageinspect and "
            "wal_compression off"
        )
    plain = answered.plain
    assert not any(p in _pages("evaluations_sealedanswer") for p in plain)
    assert not any(p in _wal(answered.start, answered.while_open) for p in plain)

    close(answered.session)
    released_at = _lsn()

    # The sealed rows are gone; their dead versions, still on the pages until
    # vacuum, hold only what they held alive.
    assert not any(p in _pages("evaluations_sealedanswer") for p in plain)
    # The same searches find the released answers: they could have failed.
    assert all(p in _pages("evaluations_answer") for p in plain)
    released = _wal(answered.while_open, released_at)
    # Most, not all: a record may straddle a page of the log.
    assert sum(p in released for p in plain) >= 6
