"""Compare two versions of a value base, item by item and word by word.

Items are matched on their stable keys, so a value that was renamed is
"changed", not "removed and added".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guidelines.models import Guideline
from lib.markdown import to_plain

from .models import CoreValue, Version, VersionContent

TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pairs with op in "equal", "insert", "delete", word by word."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    result: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            result.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            result.append(("insert", "".join(b[j1:j2])))
    return result


def render_diff(diff: list[tuple[str, str]]) -> SafeString:
    """The diff as escaped HTML with <ins> and <del>.

    Screen readers do not announce <ins> and <del>, so each change also carries
    hidden words that say what happened to the text.
    """
    added = format_html('<span class="visually-hidden">{} </span>', _("added:"))
    removed = format_html('<span class="visually-hidden">{} </span>', _("removed:"))
    end = format_html('<span class="visually-hidden"> {}</span>', _("(end)"))
    parts = []
    for op, text in diff:
        if op == "insert":
            parts.append(format_html("<ins>{}{}{}</ins>", added, text, end))
        elif op == "delete":
            parts.append(format_html("<del>{}{}{}</del>", removed, text, end))
        else:
            parts.append(format_html("{}", text))
    return format_html_join("", "{}", ((part,) for part in parts))


# Fields written in Markdown: their words are compared, and a change of
# emphasis alone is named as such rather than shown as asterisks.
MARKDOWN_FIELDS = {"body", "text", "description", "example"}


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word diff of two Markdown texts, on their words without the markup."""
    return word_diff(to_plain(old), to_plain(new))


@dataclass
class FieldChange:
    name: str
    label: str
    diff: list[tuple[str, str]]
    # The words are the same; emphasis, a list or a link changed.
    formatting_only: bool = False

    @property
    def html(self) -> SafeString:
        return render_diff(self.diff)


@dataclass
class Entry:
    kind: str  # section, legal, value, commitment, guideline
    key: str
    status: str  # added, removed, changed, unchanged
    old: VersionContent | None
    new: VersionContent | None
    changes: list[FieldChange] = field(default_factory=list)
    children: list[Entry] = field(default_factory=list)

    @property
    def item(self) -> VersionContent | None:
        return self.new if self.new is not None else self.old

    @property
    def text(self) -> str:
        """The item's main text, shown whole when it was added or removed."""
        for name in ("body", "text", "description"):
            value = getattr(self.item, name, None)
            if value:
                return str(value)
        return ""


@dataclass
class Comparison:
    old: Version
    new: Version
    sections: list[Entry]
    legal_bases: list[Entry]
    values: list[Entry]
    lead_ins: list[Entry]
    guidelines: list[Entry]

    def groups(self) -> list[tuple[str, list[Entry]]]:
        return [
            ("sections", self.sections),
            ("legal", self.legal_bases),
            ("values", self.values),
            ("lead_ins", self.lead_ins),
            ("guidelines", self.guidelines),
        ]

    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
        for _name, entries in self.groups():
            for entry in entries:
                counts[entry.status] += 1
                for child in entry.children:
                    if child.status != "unchanged":
                        counts[child.status] += 1
        return counts


# The text fields compared for each kind of item, with their labels.
TEXT_FIELDS = {
    "section": [("title", gettext_lazy("Heading")), ("body", gettext_lazy("Text"))],
    "legal": [
        ("law", gettext_lazy("Law")),
        ("reference", gettext_lazy("Reference")),
        ("text", gettext_lazy("Text")),
    ],
    "value": [
        ("title", gettext_lazy("Value")),
        ("description", gettext_lazy("Description")),
    ],
    "commitment": [("text", gettext_lazy("Commitment"))],
    "leadin": [("text", gettext_lazy("Lead-in"))],
    "guideline": [
        ("title", gettext_lazy("Title")),
        ("text", gettext_lazy("Guideline")),
        ("example", gettext_lazy("Example")),
    ],
}


def _extra_changes(
    kind: str, old: VersionContent, new: VersionContent
) -> list[FieldChange]:
    if kind != "guideline":
        return []
    # Items of kind "guideline" are guidelines (see _load).
    assert isinstance(old, Guideline) and isinstance(new, Guideline)
    changes = []
    if old.audience_id != new.audience_id:
        changes.append(
            FieldChange(
                "audience",
                _("Audience"),
                word_diff(old.audience.name, new.audience.name),
            )
        )
    old_values = ", ".join(v.title for v in old.related_values.all())
    new_values = ", ".join(v.title for v in new.related_values.all())
    if {v.key for v in old.related_values.all()} != {
        v.key for v in new.related_values.all()
    }:
        changes.append(
            FieldChange(
                "related_values", _("Values"), word_diff(old_values, new_values)
            )
        )
    return changes


def _field_change(name: str, label: str, old: str, new: str) -> FieldChange:
    if name not in MARKDOWN_FIELDS:
        return FieldChange(name, label, word_diff(old, new))
    diff = text_diff(old, new)
    formatting_only = all(op == "equal" for op, _text in diff)
    return FieldChange(name, label, diff, formatting_only)


def _compare_items(
    kind: str,
    old_items: Sequence[VersionContent],
    new_items: Sequence[VersionContent],
) -> list[Entry]:
    old_by_key = {item.key: item for item in old_items}
    new_keys = {item.key for item in new_items}
    entries: list[Entry] = []
    for item in new_items:
        before = old_by_key.get(item.key)
        if before is None:
            entries.append(Entry(kind, item.key, "added", None, item))
            continue
        changes = [
            _field_change(name, str(label), getattr(before, name), getattr(item, name))
            for name, label in TEXT_FIELDS[kind]
            if getattr(before, name) != getattr(item, name)
        ]
        changes += _extra_changes(kind, before, item)
        children: list[Entry] = []
        if kind == "value":
            # Items of kind "value" are core values (see _load).
            assert isinstance(before, CoreValue) and isinstance(item, CoreValue)
            children = _compare_items(
                "commitment",
                list(before.commitments.all()),
                list(item.commitments.all()),
            )
        changed = changes or any(c.status != "unchanged" for c in children)
        entries.append(
            Entry(
                kind,
                item.key,
                "changed" if changed else "unchanged",
                before,
                item,
                changes,
                children,
            )
        )
    # Removed items are listed where they stood in the old version.
    for item in old_items:
        if item.key not in new_keys:
            entries.append(Entry(kind, item.key, "removed", item, None))
    return entries


def _load(version: Version) -> dict[str, Sequence[VersionContent]]:
    return {
        "section": list(version.sections.all()),
        "legal": list(version.legal_bases.all()),
        "value": list(version.values.prefetch_related("commitments")),
        "leadin": list(version.lead_ins.select_related("audience")),
        "guideline": list(
            version.guidelines.select_related("audience").prefetch_related(
                Prefetch(
                    "related_values", queryset=CoreValue.objects.only("key", "title")
                )
            )
        ),
    }


def compare_versions(old: Version, new: Version) -> Comparison:
    """What changed from `old` to `new`, in a constant number of queries."""
    before, after = _load(old), _load(new)
    return Comparison(
        old=old,
        new=new,
        sections=_compare_items("section", before["section"], after["section"]),
        legal_bases=_compare_items("legal", before["legal"], after["legal"]),
        values=_compare_items("value", before["value"], after["value"]),
        lead_ins=_compare_items("leadin", before["leadin"], after["leadin"]),
        guidelines=_compare_items("guideline", before["guideline"], after["guideline"]),
    )
