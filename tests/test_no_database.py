"""The premise of running `no_database` tests once in CI (tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model


def test_a_test_without_the_database_cannot_query_it(request):
    assert request.node.get_closest_marker("no_database") is not None
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        get_user_model().objects.count()


@pytest.mark.django_db
def test_a_test_with_the_database_is_run_on_each(request):
    assert request.node.get_closest_marker("no_database") is None
    assert get_user_model().objects.count() == 0
