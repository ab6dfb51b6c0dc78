from __future__ import annotations

import datetime
import http.client
import logging
import secrets
import threading
import time
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from core.logging import RedactingGunicornLogger, RedactSecretsFilter, redact

TOKEN = "q3J9zWm1f0xT-secret_token"


def test_redact_hides_the_calendar_token():
    assert redact(f"GET /calendar/{TOKEN}.ics HTTP/1.1") == ("GET /calendar/… HTTP/1.1")
    assert redact("GET /o/norrby/meetings/calendar/ HTTP/1.1") == (
        "GET /o/norrby/meetings/calendar/ HTTP/1.1"
    )


def test_filter_redacts_message_and_arguments():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Not Found", f"/calendar/{TOKEN}.ics"),
        None,
    )
    assert RedactSecretsFilter().filter(record)
    assert TOKEN not in record.getMessage()


@pytest.mark.django_db
def test_not_found_feed_is_logged_without_its_token(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/calendar/{TOKEN}.ics")
    assert response.status_code == 404
    handler = logging.getLogger("django.request").handlers[0]
    lines = [handler.format(r) for r in caplog.records if handler.filter(r)]
    assert lines
    assert all(TOKEN not in line for line in lines)


def test_gunicorn_access_log_redacts():
    logger = RedactingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/calendar/{TOKEN}.ics",
        "PATH_INFO": f"/calendar/{TOKEN}.ics",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
    }
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10)
    atoms = logger.atoms(
        resp, SimpleNamespace(headers=[]), environ, datetime.timedelta()
    )
    assert TOKEN not in atoms["r"]
    assert TOKEN not in atoms["U"]


# Every address that carries a token, as people and programs mistype it: the
# whole token is kept out of every log line, whatever the answer's status.


# Where a token goes astray, and what the server answers.
CASES = {
    # No trailing slash: CommonMiddleware answers with a redirect.
    "answer without slash": ("/answer/{answer}", 301),
    "invitation without slash": ("/invitations/{invitation}", 301),
    # A token that does not work (any more).
    "answer": ("/answer/{answer}/", 404),
    "invitation": ("/invitations/{invitation}/", 404),
    # A calendar program that changed the suffix, or dropped it.
    "feed .ICS": ("/calendar/{feed}.ICS", 404),
    "feed without suffix": ("/calendar/{feed}", 404),
    "feed": ("/calendar/{feed}.ics", 404),
    "password key": ("/accounts/password/reset/key/{key}/", 200),
}
NOT_FOUND = [case for case, (_path, status) in CASES.items() if status == 404]


def token_path(case: str) -> tuple[str, str, int]:
    """(path, token, status), with a token made the way the product makes it."""
    from uuid import UUID

    from meetings.links import answer_token
    from meetings.models import Meeting
    from organisations.models import Invitation, Membership

    tokens = {
        "answer": answer_token(Meeting(uuid=UUID(int=1)), Membership(uuid=UUID(int=2))),
        "invitation": Invitation(uuid=UUID(int=3)).token(),
        # As CalendarFeed.issue makes them.
        "feed": secrets.token_urlsafe(32),
        "key": "Mk-" + secrets.token_hex(16),
    }
    template, status = CASES[case]
    (name,) = [name for name in tokens if "{" + name + "}" in template]
    return template.format(**tokens), tokens[name], status


@pytest.fixture
def log_lines():
    """Every record of the loggers that write paths, as their handlers see it."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep()
    names = ["django.server", "django.request", "django.security.csrf"]
    for name in names:
        logging.getLogger(name).addHandler(keep)
    yield records
    for name in names:
        logging.getLogger(name).removeHandler(keep)


@pytest.fixture
def dev_server(transactional_db):
    """The development server's own request handler, which writes django.server."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    connections.close_all()


def fetch(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize("case", CASES)
def test_the_development_server_logs_no_token(dev_server, log_lines, case):
    path, token, status = token_path(case)
    assert fetch(dev_server, path) == status
    # The server writes its line after the response has gone out.
    for _ in range(100):
        if any(r.name == "django.server" for r in log_lines):
            break
        time.sleep(0.02)

    console = logging.getLogger("django.server").handlers[0]
    written = [r.getMessage() for r in log_lines] + [
        console.format(r) for r in log_lines
    ]
    assert any(r.name == "django.server" for r in log_lines)
    assert any(f" {status} " in line for line in written)
    if status == 404:
        assert any(r.name == "django.request" for r in log_lines)
    assert all(token not in line for line in written), written
    prefix = path[: path.index(token)]
    assert any(f"{prefix}…" in line for line in written)


@pytest.mark.django_db
@pytest.mark.parametrize("case", NOT_FOUND)
def test_not_found_warnings_carry_no_token(client, log_lines, case):
    path, token, status = token_path(case)
    assert client.get(path).status_code == status

    messages = [r.getMessage() for r in log_lines if r.name == "django.request"]
    assert messages
    assert all(token not in message for message in messages)


@pytest.mark.django_db
def test_a_refused_form_on_a_token_address_logs_no_token(log_lines):
    from django.test import Client

    path, token, _status = token_path("invitation")
    response = Client(enforce_csrf_checks=True).post(path, {"name": "Mette"})

    assert response.status_code == 403
    messages = [r.getMessage() for r in log_lines]
    assert any("CSRF" in message for message in messages)
    assert all(token not in message for message in messages)


@pytest.mark.parametrize("case", CASES)
def test_gunicorn_access_log_has_no_token(case):
    path, token, status = token_path(case)
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = RedactingGunicornLogger(config)
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger.access_log.addHandler(Keep())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "REMOTE_ADDR": "127.0.0.1",
    }
    headers = [("REFERER", f"https://etikrum.example{path}")]
    resp = SimpleNamespace(status=f"{status} X", headers=[], sent=0, status_code=status)
    logger.access(resp, SimpleNamespace(headers=headers), environ, datetime.timedelta())

    assert len(lines) == 1
    assert token not in lines[0]
    assert f'"GET {path[: path.index(token)]}…' in lines[0]


def test_the_identity_providers_code_is_kept_out_of_the_logs():
    line = redact(
        "GET /accounts/oidc/municipality/login/callback/"
        "?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj HTTP/1.1"
    )
    assert "SplxlOBeZQQYbYS6WxSbIA" not in line
    assert "af0ifjsldkj" not in line
    assert "/login/callback/?code=…&state=…" in line


def test_pages_that_share_a_prefix_with_a_token_keep_their_address():
    for path in [
        "/invitations/continue/",
        "/o/norrby/meetings/calendar/",
        "/accounts/password/reset/key/done/",
        "/o/norrby/meetings/8c1e0c7e-0000-4000-8000-000000000000/answer/",
    ]:
        assert redact(f"GET {path} HTTP/1.1") == f"GET {path} HTTP/1.1"


def test_a_scim_lookup_by_address_is_kept_out_of_the_logs():
    # A directory asks whether a person exists by their address.
    line = (
        "GET /scim/v2/Users?filter=userName%20eq%20%22anna%40norrby.example%22 HTTP/1.1"
    )
    assert "anna" not in redact(line)
    assert redact(line).startswith("GET /scim/v2/Users?…")
    assert "anna" not in redact(
        '/scim/v2/Users?filter=userName eq "anna@norrby.example"'
    )
    logger = RedactingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/scim/v2/Users?filter=userName%20eq%20%22anna%40norrby.example%22",
        "PATH_INFO": "/scim/v2/Users",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "filter=userName%20eq%20%22anna%40norrby.example%22",
    }
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10)
    atoms = logger.atoms(
        resp, SimpleNamespace(headers=[]), environ, datetime.timedelta()
    )
    assert not [key for key, value in atoms.items() if "anna" in str(value)]
