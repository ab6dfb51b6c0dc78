"""E-mail addresses, also those written around spam filters."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .kinds import EMAIL
from .shared import SPACE

_EMAIL = re.compile(
    r"""
    (?<![\w.+-])
    [\w+-](?:[\w.+-]*[\w+-])?
    @
    [^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.[^\W\d_]{2,}
    (?![\w-])
    """,
    re.VERBOSE,
)

# E-mail written around spam filters: anna(at)norrby.se, anna [at] norrby
# [dot] se, anna @ norrby.se, anna.berg at norrby dot se.
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT = rf"{SPACE}*+(?:@|{_OPEN}{SPACE}*+(?i:at){SPACE}*+{_CLOSE}){SPACE}*+"
_DOT_WORDS = "(?i:dot|punkt|punktum|prik|prick)"
_DOT_WORD = (
    rf"{SPACE}*+{_OPEN}{SPACE}*+{_DOT_WORDS}{SPACE}*+{_CLOSE}{SPACE}*+"
    rf"|{SPACE}++(?i:dot){SPACE}++"
)
_LABEL = r"[^\W_][\w-]*+"
_EMAIL_SPELLED = re.compile(
    rf"""
    (?<![\w.+-])
    (?P<local>[\w+-]++(?:\.[\w+-]++)*+)
    (?:{_AT}|(?P<bare_at>{SPACE}++(?i:at){SPACE}++))
    {_LABEL}(?:(?:\.|{_DOT_WORD}){_LABEL})*(?:\.|{_DOT_WORD})(?P<tld>[^\W\d_]{{2,}})
    (?![\w-])
    """,
    re.VERBOSE,
)
_DOT_WORD_ALONE = re.compile(_DOT_WORD)


# Written around spam filters, an address is told from a sentence by its
# ending: "at ringe dot ikke" is Danish, not an address.
_TOP_LEVEL_DOMAINS = {
    *("se", "dk", "nu", "no", "fi", "is", "fo", "gl", "ax", "eu", "de", "uk"),
    *("nl", "com", "net", "org", "info", "biz", "io", "me", "app", "online"),
}


def _is_spelled_email(match: re.Match[str]) -> bool:
    """An address written around spam filters, told from everyday words.

    It ends in a known top-level domain. Danish "at" is an everyday word
    ("husk at borger.dk ..."): with a bare " at " the address must also spell
    its dots, or have a dot, digit or underscore in its name.
    """
    if match["tld"].casefold() not in _TOP_LEVEL_DOMAINS:
        return False
    if not match["bare_at"]:
        return True
    domain = match.string[match.end("bare_at") : match.end()]
    return bool(_DOT_WORD_ALONE.search(domain)) or any(
        ch in "._" or ch.isdigit() for ch in match["local"]
    )


def find(text: str) -> Iterator[tuple[str, int, int]]:
    """(EMAIL, start, end) of each e-mail address, also one written around spam
    filters."""
    for m in _EMAIL.finditer(text):
        yield EMAIL, m.start(), m.end()
    for m in _EMAIL_SPELLED.finditer(text):
        if _is_spelled_email(m):
            yield EMAIL, m.start(), m.end()
