"""The e-mails about a version: what changed for the reader, and a reminder.

Plain text: words added are marked {+like this+} and words removed [-like
this-], the way a word diff reads without colours; the page behind the link
shows the same changes formatted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lib.markdown import to_plain
from organisations.models import Membership
from values.compare import Entry
from values.models import Version

from .changes import Changes


@dataclass
class PlainEntry:
    status: str
    title: str
    lines: list[str] = field(default_factory=list)
    children: list[PlainEntry] = field(default_factory=list)


MARKS = {"insert": ("{+", "+}"), "delete": ("[-", "-]")}


def marked(diff: list[tuple[str, str]]) -> str:
    """A word diff as one line of text, the changed words between marks."""
    parts = []
    for op, text in diff:
        words = text.strip()
        if op not in MARKS or not words:
            parts.append(text)
            continue
        start, end = MARKS[op]
        before = text[: len(text) - len(text.lstrip())]
        after = text[len(text.rstrip()) :]
        parts.append(f"{before}{start}{words}{end}{after}")
    return " ".join("".join(parts).split())


def plain(entry: Entry) -> PlainEntry:
    title = "" if entry.kind == "commitment" else str(entry.item)
    result = PlainEntry(entry.status, title)
    if entry.status == "changed":
        result.lines = [
            marked(change.diff)
            if entry.kind == "commitment"
            else f"{change.label}: {marked(change.diff)}"
            for change in entry.changes
        ]
    elif entry.status in {"added", "removed"} and entry.text:
        result.lines = [" ".join(to_plain(entry.text).split())]
    result.children = [
        plain(child) for child in entry.children if child.status != "unchanged"
    ]
    return result


def link(name: str, version: Version) -> str:
    return settings.SITE_URL + reverse(
        name,
        kwargs={
            "org": version.value_base.organisation.slug,
            "base": version.value_base.slug,
            "number": version.number,
        },
    )


def language(membership: Membership) -> str:
    return membership.user.language or membership.organisation.language


def send(recipient: Membership, template: str, context: dict[str, Any]) -> None:
    """Render and send one e-mail in the recipient's language and the org's time."""
    organisation = recipient.organisation
    with (
        translation.override(language(recipient)),
        timezone.override(organisation.time_zone),
    ):
        context = {**context, "recipient": recipient, "organisation": organisation}
        subject = render_to_string(
            f"acknowledgements/email/{template}_subject.txt", context
        )
        body = render_to_string(f"acknowledgements/email/{template}_body.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=[recipient.user.email])
    message.extra_headers["Content-Language"] = language(recipient)
    message.send()


def announcement_context(changes: Changes) -> dict[str, Any]:
    version = changes.version
    return {
        "version": version,
        "value_base": version.value_base,
        "previous": changes.previous,
        "groups": [
            (name, [plain(entry) for entry in entries])
            for name, entries in changes.groups()
            if entries
        ],
        "url": link("acknowledgements:changes", version),
    }
