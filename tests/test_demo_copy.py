"""The demo's copy (tests/demo.py) puts back exactly what `load_demo` left."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.db import connection

from organisations.models import Membership, Organisation
from tests import demo

pytestmark = pytest.mark.django_db(transaction=True)


def fingerprint() -> dict[str, str]:
    """Every row of every table, as the database gives it back."""
    qn = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(True)):
            cursor.execute(f"SELECT * FROM {qn(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            found[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return found


def test_a_test_that_changes_the_demo_leaves_the_next_one_the_demo(fresh_demo):
    loaded = fingerprint()
    assert Organisation.objects.count() == 3
    first_new = Organisation.objects.create(name="Ny", slug="ny").pk
    Membership.objects.filter(organisation__slug="alvdala").update(is_active=False)
    Organisation.objects.filter(slug="vestby").update(name="Ändrad")

    # What pytest-django does after a test with `transaction=True`.
    call_command("flush", interactive=False, verbosity=0)
    demo.fresh()

    assert fingerprint() == loaded
    # The sequences stand where the demo left them: the next row gets the
    # same id as before.
    assert Organisation.objects.create(name="Ny", slug="ny").pk == first_new
