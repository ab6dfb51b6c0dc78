from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import translation


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The walk's world, built once per module (per xdist worker) and undone after.

    It is made inside a transaction that is rolled back when the module ends;
    each test runs in a savepoint within it (pytest-django's own), so what one
    test's requests write (audit rows, sessions) never reaches the next.
    """
    from .world import build

    with django_db_blocker.unblock():
        atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
        # It stands where a TestCase's class-wide transaction would: the
        # durable blocks inside (closing an evaluation) may nest in it, as in
        # any test.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            with translation.override("en"):
                yield build()
        finally:
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
            atomic.__exit__(None, None, None)
