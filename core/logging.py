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
back after a sign-in is hidden from the query string too.

Django's request, security and development-server loggers get a filter on the
logger itself, so every handler sees the redacted record, and the console
handler has it as well for anything else; gunicorn's access log gets a logger
class (see `make serve`).
"""

from __future__ import annotations

import logging
import re

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


def redact(text: str) -> str:
    for pattern in SECRETS_IN_PATHS:
        text = pattern.sub("\\1…", text)
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


class RedactingGunicornLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Every text, not only the request line, the path and the referer: a
        # log format may name any header or variable.
        for key, value in list(atoms.items()):
            if isinstance(value, str):
                atoms[key] = redact(value)
        if _CALLBACK.search(f"{atoms.get('U', '')}?") and atoms.get("q"):
            atoms["q"] = _CALLBACK_SECRETS.sub("\\1…", atoms["q"])
        return atoms
