"""Keep secrets that travel in URLs out of the logs.

The personal calendar feed is /calendar/<token>.ics: the token is the only
credential a calendar program can send, so it has to be in the address, but it
must never be written to a log. The same goes for the signed link of an
invitation, /invitations/<token>/, and the one-click answer link /answer/<token>/
in meeting e-mails. Django's request and development-server loggers
get a filter; gunicorn's access log gets a logger class (see `make serve`).
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

SECRETS_IN_PATHS = [
    re.compile(r"(/calendar/)[^/?\s\"]+(\.ics)"),
    re.compile(r"(/answer/)[^/?\s\"]+(/)"),
    re.compile(r"(/invitations/)(?!continue/)[^/?\s\"]+(/)"),
]


def redact(text: str) -> str:
    for pattern in SECRETS_IN_PATHS:
        text = pattern.sub(r"\1…\2", text)
    return text


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


class RedactingGunicornLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
