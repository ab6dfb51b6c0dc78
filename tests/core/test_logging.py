from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from core.logging import RedactingGunicornLogger, RedactSecretsFilter, redact

TOKEN = "q3J9zWm1f0xT-secret_token"


def test_redact_hides_the_calendar_token():
    assert redact(f"GET /calendar/{TOKEN}.ics HTTP/1.1") == (
        "GET /calendar/….ics HTTP/1.1"
    )
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
