"""Keep secrets that travel in URLs out of the logs.

The personal calendar feed is /calendar/<token>.ics: the token is the only
credential a calendar program can send, so it has to be in the address, but it
must never be written to a log. The same goes for the signed link of an
invitation, /invitations/<token>/, the one-click answer link /answer/<token>/
in meeting e-mails, and the keys in allauth's links to confirm an address and
to choose a new password. The whole segment after the prefix is hidden,
whatever follows it: an address without its trailing slash (answered with a
redirect), with another suffix or in other letter case (answered with a 404)
carries the token just the same. The code that the identity provider sends
back after a sign-in is hidden from the query string too, and so is the whole
query of a SCIM request, whose filter names a person by their address.

Django's request, security and development-server loggers get a filter on the
logger itself, so every handler sees the redacted record, and the console
handler has it as well for anything else; gunicorn's access log gets a logger
class (see `make serve`).

A background task that fails is logged by the class of its error and where it
was raised, never the error's message (ErrorClassOnlyFilter).
"""

from __future__ import annotations

import datetime
import logging
import re
import traceback

from gunicorn.glogging import Logger

# A token is the rest of its path segment, whatever follows it.
_SEGMENT = r"[^/?#\s\"']+"
# A word that ends a segment, for the pages that share a token's prefix.
_ENDS = r"(?:[/?#\s\"']|$)"

SECRETS_IN_PATHS = [
    re.compile(rf"(/calendar/){_SEGMENT}", re.IGNORECASE),
    re.compile(rf"(/answer/){_SEGMENT}", re.IGNORECASE),
    re.compile(rf"(/invitations/)(?!continue{_ENDS}){_SEGMENT}", re.IGNORECASE),
    re.compile(rf"(/confirm-email/){_SEGMENT}", re.IGNORECASE),
    re.compile(rf"(/password/reset/key/)(?!done{_ENDS}){_SEGMENT}", re.IGNORECASE),
]
# OpenID Connect: /login/callback/?code=...&state=... back from the provider.
_CALLBACK = re.compile(r"/callback/?\?[^#\s\"']*", re.IGNORECASE)
_CALLBACK_SECRETS = re.compile(r"((?:^|[?&])(?:code|state)=)[^&]*", re.IGNORECASE)
# SCIM: a directory looks people up by address, `?filter=userName eq "..."`.
# The query runs to the request line's protocol, or else to the end of the line.
_SCIM_QUERY = re.compile(
    r"(/scim/v2/[^?#\s\"']*\?)(?:[^\n]*?(?=\sHTTP/\d)|[^\n]*)", re.IGNORECASE
)


def redact(text: str) -> str:
    for pattern in SECRETS_IN_PATHS:
        text = pattern.sub("\\1…", text)
    text = _SCIM_QUERY.sub("\\1…", text)
    return _CALLBACK.sub(
        lambda found: _CALLBACK_SECRETS.sub("\\1…", found.group()), text
    )


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {
                key: redact(arg) if isinstance(arg, str) else arg
                for key, arg in record.args.items()
            }
        return True


class ErrorClassOnlyFilter(logging.Filter):
    """A logged error by its class and where it was raised, without its message.

    Django logs every failed background task with its traceback, and the task
    worker tries a task up to TASKS_MAX_ATTEMPTS times. An error's message can
    carry personal data: a mail server's refusal names the addresses it
    refused. The whole error stays on the task's row in the database, for
    `manage.py failed_tasks --errors`.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            kind, _error, trace = record.exc_info
            record.exc_text = (
                "Traceback (most recent call last):\n"
                + "".join(traceback.format_tb(trace))
                + f"{kind.__module__}.{kind.__qualname__} (message left out)"
            )
            record.exc_info = None
        return True


# gunicorn ships no type information, so its Logger is untyped to the checker.
class RedactingGunicornLogger(Logger):  # type: ignore[misc]
    def atoms(
        self,
        resp: object,
        req: object,
        environ: dict[str, object],
        request_time: datetime.timedelta,
    ) -> dict[str, object]:
        atoms: dict[str, object] = super().atoms(resp, req, environ, request_time)
        # Every text, not only the request line, the path and the referer: a
        # log format may name any header or variable.
        for key, value in list(atoms.items()):
            if isinstance(value, str):
                atoms[key] = redact(value)
        query = atoms.get("q")
        if str(atoms.get("U", "")).lower().startswith("/scim/"):
            for key in ("q", "{query_string}e"):
                if atoms.get(key):
                    atoms[key] = "…"
        if (
            _CALLBACK.search(f"{atoms.get('U', '')}?")
            and isinstance(query, str)
            and query
        ):
            atoms["q"] = _CALLBACK_SECRETS.sub("\\1…", query)
        return atoms
