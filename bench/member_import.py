"""Benchmark: a member import of 3,000 rows, from the file to the confirmation.

Builds an organisation of 40 units and 300 members, writes the file an HR
system would (Windows-1252, semicolons, Swedish headers, a few rows in
error) and prints the median time of reading the file, of planning it
against the organisation, of the preview page through HTTP (upload and
preview, then the preview again), and of one confirmation in its parts: the
request (which checks the import, marks it confirmed and queues its task),
the task as the worker runs it (which writes the invitations, the changes
and their audit rows, and queues the mails) and, with BENCH_MAILS=1, the
mails the worker then sends in batches (they take longer than the rest).
The preview must come within a few seconds and the confirming request
within two; the figures are marked "ok" under PREVIEW_TARGET_SECONDS and
CONFIRM_TARGET_SECONDS. Runs against a throw-away SQLite database by
default, or the database in DATABASE_URL (give it an empty database of its
own).

    make bench-micro
    BENCH_ROUNDS=5 BENCH_ROWS=10000 .venv/bin/python bench/member_import.py
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from accounts.models import User  # noqa: E402
from core.worker import RetryingWorker  # noqa: E402
from guidelines.models import Audience  # noqa: E402
from organisations.memberimport import plan, read_members  # noqa: E402
from organisations.models import (  # noqa: E402
    ImportState,
    Invitation,
    MemberImport,
    Membership,
    Organisation,
    Unit,
)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ROWS = int(os.environ.get("BENCH_ROWS", "3000"))
MEMBERS = 300
PREVIEW_TARGET_SECONDS = 3.0
CONFIRM_TARGET_SECONDS = 2.0


def build(slug: str) -> tuple[Organisation, Membership]:
    org = Organisation.objects.create(
        slug=slug, name=f"Bench {slug}", require_mfa=False
    )
    root = Unit.objects.create(
        organisation=org, name="Förvaltningen", kind="administration"
    )
    for i in range(40):
        Unit.objects.create(
            organisation=org, parent=root, name=f"Enhet {i}", code=f"K{i:03}"
        )
    Audience.objects.create(organisation=org, key="clients", name="Medarbetare")
    Audience.objects.create(organisation=org, key="managers", name="Chefer")
    admin_user = User.objects.create_user(f"admin@{slug}.example", "bench-pw")
    admin = Membership.objects.create(user=admin_user, organisation=org, role="admin")
    units = list(Unit.objects.for_organisation(org).exclude(parent=None))
    for i in range(MEMBERS):
        user = User.objects.create_user(f"anstalld{i}@{slug}.example", "bench-pw")
        Membership.objects.create(user=user, organisation=org, unit=units[i % 40])
    return org, admin


def the_file(slug: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Anställningsnr",
            "Förnamn",
            "Efternamn",
            "E-post",
            "Enhet",
            "Kostnadsställe",
            "Roll",
            "Målgrupper",
        ]
    )
    for i in range(ROWS):
        if i < MEMBERS:
            email = f"anstalld{i}@{slug}.example"
        elif i % 500 == 7:
            email = "inte en adress"
        else:
            email = f"person{i}@{slug}.example"
        unit, code = (f"Enhet {i % 40}", "") if i % 2 else ("", f"K{(i + 1) % 40:03}")
        role = ["Medarbetare", "Samtalsledare", "", "Chef"][i % 4]
        audiences = "Chefer; Medarbetare" if i % 10 == 0 else ""
        writer.writerow(
            [1000 + i, "Åsa", f"Öberg {i}", email, unit, code, role, audiences]
        )
    return out.getvalue().encode("cp1252")


def median_of(work: Callable[[], object]) -> float:
    timings = []
    for _round in range(ROUNDS):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    # The mails are counted, not printed or sent.
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    }
    # The confirmation queues its work, as in production, for the worker below.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The people are made, not signed in: their passwords need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    translation.activate("sv")
    org, admin = build("bench")
    data = the_file("bench")
    rows = read_members(data).rows
    print(
        f"Member import of {ROWS:,} rows ({len(data) // 1024} KB), median of {ROUNDS}"
    )
    reading = median_of(lambda: read_members(data))
    planning = median_of(lambda: plan(org, rows, importer=admin))
    print(f"  read the file          {reading:7.3f} s")
    print(f"  plan against the org   {planning:7.3f} s")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin.user)
    url = reverse("organisations:member_import", kwargs={"org": org.slug})

    def upload_and_preview() -> None:
        response = client.post(
            url, {"file": SimpleUploadedFile("hr.csv", data)}, follow=True
        )
        assert response.status_code == 200, response.status_code
        assert b"import-rows" in response.content

    first = median_of(upload_and_preview)
    preview_url = reverse(
        "organisations:member_import_preview",
        kwargs={"org": org.slug, "import_uuid": MemberImport.objects.first().uuid},
    )
    again = median_of(lambda: client.get(preview_url))
    flag = (
        "ok" if first < PREVIEW_TARGET_SECONDS else f"over {PREVIEW_TARGET_SECONDS} s"
    )
    print(f"  upload and preview     {first:7.3f} s  {flag}")
    print(f"  the preview again      {again:7.3f} s")

    member_import = MemberImport.objects.first()
    assert member_import is not None
    confirm = reverse(
        "organisations:member_import_confirm",
        kwargs={"org": org.slug, "import_uuid": member_import.uuid},
    )
    start = time.perf_counter()
    response = client.post(confirm, {"skip_errors": "on"})
    request = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    member_import.refresh_from_db()
    assert member_import.state == ImportState.CONFIRMED, member_import.state
    flag = (
        "ok" if request < CONFIRM_TARGET_SECONDS else f"over {CONFIRM_TARGET_SECONDS} s"
    )
    print(f"  confirm: the request   {request:7.3f} s  {flag}")

    start = time.perf_counter()
    profile = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    work_off_the_queue(max_tasks=1)
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    applying = time.perf_counter() - start
    member_import.refresh_from_db()
    assert member_import.state == ImportState.DONE, member_import.state
    invited = Invitation.objects.for_organisation(org).count()
    print(f"  confirm: the task      {applying:7.3f} s  ({invited:,} invited)")

    batches = DBTaskResult.objects.filter(
        task_path="organisations.tasks.send_invitation_batch"
    ).count()
    if not os.environ.get("BENCH_MAILS"):
        print(f"  the mails              {batches} tasks queued, not run")
        return
    start = time.perf_counter()
    work_off_the_queue()
    print(f"  the mails ({batches} tasks)  {time.perf_counter() - start:7.3f} s")


def work_off_the_queue(max_tasks: int | None = None) -> None:
    """A worker runs the tasks that are due (at most `max_tasks`), then stops."""
    RetryingWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="bench",
        excluded_queue_names=[],
        heartbeat=False,
    ).run()


if __name__ == "__main__":
    main()
