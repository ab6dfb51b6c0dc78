"""Benchmark: a member import of 3,000 rows, from the file to the confirmation.

Builds an organisation of 40 units and 300 members, writes the file an HR
system would (Windows-1252, semicolons, Swedish headers, a few rows in
error) and prints the median time of reading the file, of planning it
against the organisation, of the preview page through HTTP (upload and
preview, then the preview again), and of one confirmation (which writes the
invitations, the changes and their audit rows, and queues the mails for the
task worker). The preview must come within a few seconds; the figure is
marked "ok" under PREVIEW_TARGET_SECONDS. Runs against a throw-away SQLite
database by default, or the database in DATABASE_URL (give it an empty
database of its own).

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

from accounts.models import User  # noqa: E402
from guidelines.models import Audience  # noqa: E402
from organisations.memberimport import plan, read_members  # noqa: E402
from organisations.models import MemberImport, Membership, Organisation, Unit  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ROWS = int(os.environ.get("BENCH_ROWS", "3000"))
MEMBERS = 300
PREVIEW_TARGET_SECONDS = 3.0


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
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
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

    confirm = reverse(
        "organisations:member_import_confirm",
        kwargs={"org": org.slug, "import_uuid": MemberImport.objects.first().uuid},
    )
    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
    response = client.post(confirm, {"skip_errors": "on"})
    if os.environ.get("BENCH_PROFILE"):
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    assert response.status_code == 302, response.status_code
    print(f"  confirm (once)         {time.perf_counter() - start:7.3f} s")


if __name__ == "__main__":
    main()
