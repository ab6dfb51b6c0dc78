"""Checking the audit log's chains: `manage.py verify_audit` and the daily task.

Each chain is read in order and every row's hash computed again from its
fields and the hash before it (audit/chain.py). The first row that does not
follow is named: a row changed or forged after it was written, or a place in
the chain with no row (deleted). Then the chain is held against its anchors,
the heads seen before: the checkpoints earlier verifications wrote in the
database, and any heads kept elsewhere (`--expect`). A chain shorter than an
anchor lost its last rows (or all of them: a truncated table); a chain whose
row at an anchor's place has another hash was rewritten since.

What this cannot see: rows removed from the end of a chain after its last
anchor, and a chain rewritten together with every anchor in the database by
someone who may rewrite both tables. Heads kept outside the database (the
log line of every verification, `--heads`) are what catch the latter.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Collection, Sequence

from django.core.mail import mail_admins
from django.db import transaction

from . import chain
from .models import AuditCheckpoint, AuditEvent

logger = logging.getLogger("etikrum.audit")


@dataclasses.dataclass(frozen=True)
class Anchor:
    """A head seen before: the chain had `count` rows, the last with `head`."""

    organisation_id: int | None
    count: int
    head: str
    source: str


@dataclasses.dataclass
class Break:
    """Where a chain first stops holding, and why."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.reason}"


@dataclasses.dataclass
class ChainReport:
    organisation_id: int | None
    name: str
    count: int = 0
    head: str = chain.GENESIS
    broken: Break | None = None

    @property
    def key(self) -> str:
        return "platform" if self.organisation_id is None else str(self.organisation_id)

    def __str__(self) -> str:
        if self.broken is not None:
            return f"{self.name}: BROKEN at {self.broken}"
        return f"{self.name}: {self.count} entries, intact, head {self.head}"

    def head_line(self) -> str:
        """One line that `--expect` reads back: chain, length and last hash."""
        return f"chain {self.key} {self.count} {self.head}"


def _described(row: AuditEvent) -> str:
    # The identifier and time only: names and actions stay in the database.
    at = row.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"id {row.uuid}, written {at}"


def verify_chain(
    organisation_id: int | None, anchors: list[Anchor], name: str
) -> ChainReport:
    report = ChainReport(organisation_id, name)
    wanted = {anchor.count for anchor in anchors}
    seen: dict[int, str] = {}
    previous = chain.GENESIS
    expected = 1
    rows = AuditEvent.objects.chain(organisation_id).iterator(chunk_size=5000)
    for row in rows:
        if row.seq != expected:
            gone = (
                f"entry {expected} is missing"
                if row.seq == expected + 1
                else f"entries {expected} to {row.seq - 1} are missing"
            )
            report.broken = Break(
                expected,
                f"{gone} (deleted); the next entry is {row.seq} ({_described(row)})",
            )
            break
        if chain.digest(previous, row) != row.hash:
            report.broken = Break(
                row.seq,
                f"its hash does not match its contents and the entry before it "
                f"({_described(row)}): it, or the entry before it, was changed or "
                f"forged after it was written",
            )
            break
        if row.seq in wanted:
            seen[row.seq] = row.hash
        previous = row.hash
        expected += 1
    report.count, report.head = expected - 1, previous
    for anchor in sorted(anchors, key=lambda a: a.count):
        if report.broken is not None and report.broken.seq <= anchor.count:
            break
        if anchor.count > report.count:
            report.broken = Break(
                report.count + 1,
                f"{anchor.source} counted {anchor.count} entries and only "
                f"{report.count} remain: entries {report.count + 1} to "
                f"{anchor.count} were removed",
            )
        elif anchor.count and seen.get(anchor.count) != anchor.head:
            report.broken = Break(
                anchor.count,
                f"its hash differs from the one {anchor.source} recorded: the "
                f"chain up to it was rewritten",
            )
    return report


def _names() -> dict[int, str]:
    from organisations.models import Organisation

    return {
        pk: f"{name} ({slug})"
        for pk, name, slug in Organisation.objects.values_list("pk", "name", "slug")
    }


def chains() -> list[int | None]:
    """Every chain with rows or with a checkpoint: an emptied one is still checked."""
    found = set(AuditEvent.objects.values_list("organisation_id", flat=True).distinct())
    found |= set(
        AuditCheckpoint.objects.values_list("organisation_id", flat=True).distinct()
    )
    return sorted(found, key=lambda pk: (pk is not None, pk or 0))


def verify(
    *,
    organisation_ids: Collection[int | None] | None = None,
    extra_anchors: Sequence[Anchor] = (),
    write_checkpoints: bool = True,
) -> list[ChainReport]:
    names = _names()
    anchors: dict[int | None, list[Anchor]] = {}
    for checkpoint in AuditCheckpoint.objects.order_by("at", "pk"):
        at = checkpoint.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        anchors.setdefault(checkpoint.organisation_id, []).append(
            Anchor(
                checkpoint.organisation_id,
                checkpoint.count,
                checkpoint.head,
                f"the checkpoint of {at}",
            )
        )
    for anchor in extra_anchors:
        anchors.setdefault(anchor.organisation_id, []).append(anchor)
    wanted = organisation_ids if organisation_ids is not None else chains()
    wanted = sorted(
        set(wanted) | {a.organisation_id for a in extra_anchors},
        key=lambda pk: (pk is not None, pk or 0),
    )
    reports = []
    for organisation_id in wanted:
        name = (
            "the platform (no organisation)"
            if organisation_id is None
            else names.get(organisation_id, f"organisation {organisation_id} (gone)")
        )
        reports.append(
            verify_chain(organisation_id, anchors.get(organisation_id, []), name)
        )
    if write_checkpoints:
        with transaction.atomic():
            for report in reports:
                if report.broken is None and report.count:
                    AuditCheckpoint.objects.create(
                        organisation_id=report.organisation_id,
                        count=report.count,
                        head=report.head,
                    )
    return reports


def read_heads(lines: list[str], source: str) -> list[Anchor]:
    """Anchors from the `--heads` lines kept somewhere else; other lines are skipped."""
    anchors = []
    for number, line in enumerate(lines, start=1):
        parts = line.split()
        if len(parts) != 4 or parts[0] != "chain":
            continue
        _word, key, count, head = parts
        anchors.append(
            Anchor(
                None if key == "platform" else int(key),
                int(count),
                head,
                f"the head in {source}, line {number},",
            )
        )
    return anchors


def verify_and_alert() -> bool:
    """The daily check: heads to the log, and the operators told of any break."""
    reports = verify()
    for report in reports:
        # The log line is a copy of the head outside the database.
        logger.info("Audit log %s", report.head_line())
    broken = [report for report in reports if report.broken is not None]
    if not broken:
        return True
    text = "\n".join(str(report) for report in broken)
    logger.error("The audit log failed verification:\n%s", text)
    try:
        mail_admins(
            "The audit log failed verification",
            "manage.py verify_audit found these chains broken:\n\n"
            f'{text}\n\nSee docs/deployment.md, "The audit log\'s chain", for '
            "what it means and what to do.",
        )
    except Exception:
        # The error line above is the alert that always reaches the logs.
        logger.exception("The operators could not be e-mailed about it.")
    return False
