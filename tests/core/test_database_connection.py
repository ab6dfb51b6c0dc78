"""A PostgreSQL connection dropped between two requests costs no request.

Web processes keep their connection for DATABASE_CONN_MAX_AGE seconds. When the
server drops it meanwhile (a restart, a fail-over, an idle timeout), the
health check Django runs before reusing it (CONN_HEALTH_CHECKS) opens a new one.

The requests go through Django's WSGI handler itself: the test client leaves
out the connection housekeeping that runs at the start and end of a request.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import sign_in

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="dropping a server connection is a PostgreSQL matter",
)


def serve(url: str, session_key: str) -> tuple[int, str]:
    request = RequestFactory().get(
        url, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session_key}"
    )
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    body = b"".join(WSGIHandler()(request.environ, start_response))
    return answer["status"], body.decode()


def drop(pid: int) -> None:
    """The server ends the backend, as a restart or an idle timeout would."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


@pytest.fixture
def signed_in(transactional_db, staff):
    client = Client()
    sign_in(client, staff)
    return client.session.session_key


def dashboard(staff) -> str:
    return reverse("organisations:dashboard", kwargs={"org": staff.organisation.slug})


def test_connections_are_kept_and_checked_before_reuse():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_request_after_a_dropped_connection_is_served(signed_in, staff):
    status, body = serve(dashboard(staff), signed_in)
    assert status == 200
    pid = connection.connection.info.backend_pid

    drop(pid)
    status, body = serve(dashboard(staff), signed_in)

    assert status == 200
    assert staff.user.get_short_name() in body
    assert connection.connection.info.backend_pid != pid


def test_without_the_health_check_the_drop_costs_a_request(
    signed_in, staff, monkeypatch
):
    # Why the setting matters, and proof that the test above can fail.
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    connection.close()
    assert serve(dashboard(staff), signed_in)[0] == 200

    drop(connection.connection.info.backend_pid)

    assert serve(dashboard(staff), signed_in)[0] == 500
    assert serve(dashboard(staff), signed_in)[0] == 200
