"""Answers sealed while their evaluation is open.

An answer is written in the same transaction as the row that says its author
has answered, so the database itself pairs the two: by transaction id, by
physical position, in the write-ahead log and in every backup. What is written
there must therefore say nothing to someone who reads the database. It is
encrypted (AES-256-GCM) with a key derived from a setting, never from anything
in the database, and padded to one length, so that neither its content nor its
size can be matched with the answers released when the evaluation closes.

The evaluation's id is bound into each seal as associated data: a sealed
answer moved to another evaluation's rows does not open.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# The longest comment an answer may have, in characters (the form's limit too).
COMMENT_MAX = 2000

# Every sealed answer holds this many bytes of plaintext, whatever its comment.
# JSON writes a character as at most six bytes (a control character as
# \u001f), so the longest comment and nine scores fit with room to spare.
PADDED_SIZE = 16 * 1024
LENGTH_PREFIX = 4
VERSION = b"\x01"
NONCE_SIZE = 12
TAG_SIZE = 16
SEALED_SIZE = len(VERSION) + NONCE_SIZE + PADDED_SIZE + TAG_SIZE


class SealError(Exception):
    """A sealed answer that no configured key opens."""


@dataclass(frozen=True)
class Opened:
    scores: dict[str, int]
    comment: str

    def canonical(self) -> tuple[str, list[tuple[str, int]]]:
        """An order for a batch that owes nothing to how the rows were read."""
        return (self.comment, sorted(self.scores.items()))


@functools.cache
def _derive(secret: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"etikrum evaluations",
        info=b"sealed answers v1",
    ).derive(secret.encode())


def _secrets() -> list[str]:
    primary = settings.EVALUATION_KEY or settings.SECRET_KEY
    return [primary, *settings.EVALUATION_KEY_FALLBACKS]


def _associated(evaluation_id: int) -> bytes:
    return f"etikrum evaluation {evaluation_id}".encode()


def seal(evaluation_id: int, *, scores: dict[str, int], comment: str) -> bytes:
    if len(comment) > COMMENT_MAX:
        raise ValueError("The comment is longer than an answer may be.")
    payload = json.dumps(
        {"scores": scores, "comment": comment}, ensure_ascii=False, sort_keys=True
    ).encode("utf-8", "surrogatepass")
    if len(payload) > PADDED_SIZE - LENGTH_PREFIX:
        raise ValueError("The answer does not fit the sealed size.")
    padded = (
        len(payload).to_bytes(LENGTH_PREFIX, "big")
        + payload
        + bytes(PADDED_SIZE - LENGTH_PREFIX - len(payload))
    )
    nonce = os.urandom(NONCE_SIZE)
    key = _derive(_secrets()[0])
    return (
        VERSION + nonce + AESGCM(key).encrypt(nonce, padded, _associated(evaluation_id))
    )


def open_sealed(evaluation_id: int, sealed: bytes | memoryview[int]) -> Opened:
    sealed = bytes(sealed)  # PostgreSQL hands a binary field over as a memoryview.
    if len(sealed) != SEALED_SIZE or sealed[:1] != VERSION:
        raise SealError("Not a sealed answer of this kind.")
    nonce = sealed[1 : 1 + NONCE_SIZE]
    body = sealed[1 + NONCE_SIZE :]
    for secret in _secrets():
        try:
            padded = AESGCM(_derive(secret)).decrypt(
                nonce, body, _associated(evaluation_id)
            )
        except InvalidTag:
            continue
        length = int.from_bytes(padded[:LENGTH_PREFIX], "big")
        data = json.loads(
            padded[LENGTH_PREFIX : LENGTH_PREFIX + length].decode(
                "utf-8", "surrogatepass"
            )
        )
        return Opened(
            scores={key: int(value) for key, value in data["scores"].items()},
            comment=data["comment"],
        )
    raise SealError(
        "No key opens this sealed answer: it was sealed with an EVALUATION_KEY "
        "(or SECRET_KEY) that is neither the current one nor in "
        "EVALUATION_KEY_FALLBACKS."
    )
