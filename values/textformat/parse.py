"""Parsing: the text of a file into a Document, with every error and its line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from guidelines.models import Audience
from organisations.models import Organisation
from values.models import (
    key_from,
)

from .document import (
    BLOCK_FIELDS,
    EASY_READ_RE,
    EXAMPLE_RE,
    HEADER_FIELD_RE,
    HEADING_RE,
    ITEM_RE,
    KINDS,
    MAX_AUDIENCE_KEY,
    MAX_BYTES,
    MAX_KEY,
    MAX_REFERENCE,
    MAX_TITLE,
    PUBLIC_VALUES,
    AudienceItem,
    CommitmentItem,
    Document,
    FormatError,
    GuidelineItem,
    Keyed,
    LegalItem,
    Placed,
    SectionItem,
    ValueItem,
    clean_text,
    is_heading,
    value_references,
)
from .header import HeaderReader, too_long


def decode(data: bytes) -> str:
    """The text of an uploaded file, or a FormatError saying what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise FormatError([(0, _too_large())])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(
            [(line, _("This line is not UTF-8 text. Save the file as UTF-8."))]
        ) from None


def _too_large() -> str:
    return _("The file is too large (at most %(size)s MB).") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def parse_bytes(data: bytes, *, organisation: Organisation | None = None) -> Document:
    return parse(decode(data), organisation=organisation)


def parse(text: str, *, organisation: Organisation | None = None) -> Document:
    """Read a file; with an organisation, also check audiences against its own."""
    if len(text) > MAX_BYTES:
        raise FormatError([(0, _too_large())])
    parser = _Parser(text)
    document = parser.parse()
    if organisation is not None:
        parser.errors.extend(_audience_errors(document, organisation))
    if parser.errors:
        raise FormatError(parser.errors)
    return document


def validate(document: Document, *, organisation: Organisation) -> None:
    """Raise FormatError if guidelines name audiences the organisation lacks."""
    errors = _audience_errors(document, organisation)
    if errors:
        raise FormatError(errors)


def _audience_errors(
    document: Document, organisation: Organisation
) -> list[tuple[int, str]]:
    defined = {a.key for a in document.audiences}
    wanted = {g.audience for g in document.guidelines if g.audience} - defined
    if not wanted:
        return []
    existing = set(
        Audience.objects.filter(organisation=organisation, key__in=wanted).values_list(
            "key", flat=True
        )
    )
    return [
        (
            g.audience_line,
            _(
                "The audience “%(key)s” is neither defined in this file "
                "(## audience %(key)s: name) nor in the organisation."
            )
            % {"key": g.audience},
        )
        for g in document.guidelines
        if g.audience in wanted - existing
    ]


class _Parser:
    def __init__(self, text: str):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if self.lines and self.lines[0].startswith("\ufeff"):
            self.lines[0] = self.lines[0][1:]
        self.errors: list[tuple[int, str]] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    def parse(self) -> Document:
        for number, line in enumerate(self.lines, start=1):
            if "\x00" in line:
                # PostgreSQL refuses NUL in text; say so here rather than fail later.
                self.error(number, _("This line contains a NUL character."))
        document, start = HeaderReader(self.lines, self.error).read()
        self.parse_blocks(document, start)
        self.check_references(document)
        return document

    # The blocks

    def parse_blocks(self, document: Document, start: int) -> None:
        block: tuple[int, re.Match[str]] | None = None
        body: list[tuple[int, str]] = []
        # Text before the first heading is reported once; text under a rejected
        # heading is not reported again.
        outside_reported = False
        rejected = False
        for index in range(start, len(self.lines)):
            number, line = index + 1, self.lines[index]
            if not is_heading(line.rstrip() or line):
                if block is not None:
                    body.append((number, line))
                elif line.strip() and not rejected and not outside_reported:
                    outside_reported = True
                    self.error(
                        number,
                        _(
                            "Text outside a block. Start a block with a heading "
                            "such as “## section background: Background”."
                        ),
                    )
                continue
            if block is not None:
                self.read_block(document, *block, body)
            block, body, rejected = None, [], True
            match = HEADING_RE.match(line.rstrip())
            if match is None:
                self.error(
                    number,
                    _(
                        "A block heading reads “## kind key: title”, "
                        "e.g. “## value dignity: Human dignity”."
                    ),
                )
            elif match["kind"].lower() not in KINDS:
                self.error(
                    number,
                    _("Unknown kind of block “%(kind)s”. Known kinds: %(known)s.")
                    % {"kind": match["kind"], "known": ", ".join(KINDS)},
                )
            else:
                block, rejected = (number, match), False
        if block is not None:
            self.read_block(document, *block, body)

    def read_block(
        self,
        document: Document,
        number: int,
        match: re.Match[str],
        body: list[tuple[int, str]],
    ) -> None:
        kind = match["kind"].lower()
        heading = (match["rest"] or "").strip()
        limit = MAX_AUDIENCE_KEY if kind == "audience" else MAX_KEY
        key = self.read_key(number, match["key"] or "", limit)
        fields, text = self.split_fields(kind, body)
        position = self.position(kind, fields)
        if kind == "section":
            self.require(number, heading, _("A section needs a heading."))
            section_text = _unescape(text)
            if not section_text:
                self.error(number, _("A section needs text under its heading."))
            document.sections.append(
                SectionItem(key, heading, section_text, position, number)
            )
        elif kind == "legal":
            law, _bar, reference = heading.partition("|")
            law, reference = law.strip(), reference.strip()
            self.require(number, law, _("A legal basis needs the name of the law."))
            if len(reference) > MAX_REFERENCE:
                self.error(number, too_long(MAX_REFERENCE))
            provision = _unescape(text)
            if not provision:
                self.error(number, _("A legal basis needs text under its heading."))
            document.legal_bases.append(
                LegalItem(key, law, reference, provision, position, number)
            )
        elif kind == "value":
            self.read_value(document, number, key, heading, text, position)
        elif kind == "audience":
            if not key:
                self.error(
                    number,
                    _(
                        "An audience needs a key, which guidelines use to refer "
                        "to it: “## audience clients: Staff meeting clients”."
                    ),
                )
            self.require(number, heading, _("An audience needs a name."))
            document.audiences.append(
                AudienceItem(key, heading, _unescape(text), number)
            )
        else:
            self.read_guideline(document, number, key, heading, fields, text, position)

    def read_value(
        self,
        document: Document,
        number: int,
        key: str,
        heading: str,
        text: list[tuple[int, str]],
        position: int,
    ) -> None:
        """A value: its description, its easy-read text, then its commitments."""
        description, commitments = self.split_items(text)
        description, easy_read = _split_at(description, EASY_READ_RE)
        self.require(number, heading, _("A value needs a title."))
        document.values.append(
            ValueItem(
                key,
                heading,
                _unescape(description),
                position,
                commitments,
                number,
                easy_read=_unescape(easy_read or []),
            )
        )

    def read_key(self, number: int, given: str, limit: int) -> str:
        """The key as stored: "Chefer-på-enheten" is kept as "chefer-pa-enheten"."""
        if not given:
            return ""
        key = key_from(given)
        if not key:
            self.error(
                number,
                _("“%(key)s” cannot be used as a key: it needs letters or digits.")
                % {"key": given},
            )
        elif len(key) > limit:
            self.error(
                number,
                _("The key “%(key)s” is too long: at most %(limit)s characters.")
                % {"key": given, "limit": limit},
            )
        return key

    def require(self, number: int, heading: str, message: str) -> None:
        if not heading:
            self.error(number, message)
        elif len(heading) > MAX_TITLE:
            self.error(number, too_long(MAX_TITLE))

    def split_fields(
        self, kind: str, body: list[tuple[int, str]]
    ) -> tuple[dict[str, tuple[int, str]], list[tuple[int, str]]]:
        """Field lines right under a heading, then the block's text."""
        fields: dict[str, tuple[int, str]] = {}
        names = BLOCK_FIELDS[kind]
        index = 0
        while index < len(body):
            number, line = body[index]
            match = HEADER_FIELD_RE.match(line)
            if not line.strip():
                index += 1
                continue
            if match is None or match["name"].lower() not in names:
                break
            name = match["name"].lower()
            if name in fields:
                self.error(number, _("“%(name)s” is given twice.") % {"name": name})
            fields[name] = (number, match["value"].strip())
            index += 1
        return fields, body[index:]

    def position(self, kind: str, fields: dict[str, tuple[int, str]]) -> int:
        if "position" not in fields:
            return -1  # Numbered once the block's siblings are known.
        number, value = fields["position"]
        if not (value.isascii() and value.isdigit()):
            self.error(number, _("The position must be a whole number."))
            return -1
        return int(value)

    def split_items(
        self, text: list[tuple[int, str]]
    ) -> tuple[list[tuple[int, str]], list[CommitmentItem]]:
        """A value's description, then its commitments as a list."""
        description: list[tuple[int, str]] = []
        commitments: list[CommitmentItem] = []
        current: list[str] | None = None
        blank_since_item = False
        for number, line in text:
            match = ITEM_RE.match(line)
            if match is not None:
                key = self.read_key(number, match["key"] or "", MAX_KEY)
                first = (match["text"] or "").strip()
                if first.startswith("\\"):
                    first = first[1:]
                position = int(match["position"]) if match["position"] else -1
                current = [first]
                commitments.append(CommitmentItem(key, "", position, number))
                blank_since_item = False
            elif current is None:
                description.append((number, line))
            elif not line.strip():
                current.append("")
                blank_since_item = True
            elif line.startswith((" ", "\t")) or not blank_since_item:
                current.append(line[2:] if line.startswith("  ") else line.strip())
            else:
                self.error(
                    number,
                    _(
                        "Text after the commitments: indent it by two spaces to "
                        "continue the commitment above, or move it above the list."
                    ),
                )
            if current is not None:
                commitments[-1].text = clean_text("\n".join(current))
        for commitment in commitments:
            if not commitment.text:
                self.error(commitment.line, _("A commitment needs text."))
        _number(commitments)
        return description, commitments

    def read_guideline(
        self,
        document: Document,
        number: int,
        key: str,
        heading: str,
        fields: dict[str, tuple[int, str]],
        text: list[tuple[int, str]],
        position: int,
    ) -> None:
        # The title is optional: a guideline without one is shown by its first words.
        if len(heading) > MAX_TITLE:
            self.error(number, too_long(MAX_TITLE))
        audience_line, audience = fields.get("audience", (number, ""))
        if not audience:
            self.error(
                audience_line,
                _(
                    "A guideline needs an audience: add a line "
                    "“audience: key” under its heading."
                ),
            )
        audience = key_from(audience) or audience
        values_line, values = fields.get("values", (number, ""))
        keys = [
            key_from(v.strip()) or v.strip() for v in values.split(",") if v.strip()
        ]
        main, example = _split_at(text, EXAMPLE_RE)
        if not heading and not _unescape(main):
            self.error(
                number,
                _("A guideline without a title needs its text under the heading."),
            )
        document.guidelines.append(
            GuidelineItem(
                key,
                heading,
                audience,
                keys,
                _unescape(main),
                _unescape(example or []),
                position,
                number,
                audience_line,
                values_line,
                public=self.public(fields),
            )
        )

    def public(self, fields: dict[str, tuple[int, str]]) -> bool:
        """Whether a guideline is marked for the public page ("public: yes")."""
        if "public" not in fields:
            return False
        number, value = fields["public"]
        if value.lower() not in PUBLIC_VALUES:
            self.error(number, _("“public” is either yes or no."))
            return False
        return PUBLIC_VALUES[value.lower()]

    # Checks across blocks

    def check_references(self, document: Document) -> None:
        for items, name in (
            (document.sections, _("section")),
            (document.legal_bases, _("legal basis")),
            (document.values, _("value")),
            (document.audiences, _("audience")),
            (document.guidelines, _("guideline")),
        ):
            self.check_unique(items, name)
        # Audiences have no position of their own.
        _number(document.sections)
        _number(document.legal_bases)
        _number(document.values)
        _number(document.guidelines)
        for value in document.values:
            self.check_unique(value.commitments, _("commitment"))
        value_keys = set(value_references(document))
        for guideline in document.guidelines:
            seen: set[str] = set()
            for key in guideline.values:
                if key not in value_keys:
                    self.error(
                        guideline.values_line,
                        _("No value in this file has the key “%(key)s”.")
                        % {"key": key},
                    )
                elif key in seen:
                    self.error(
                        guideline.values_line,
                        _("The value “%(key)s” is listed twice.") % {"key": key},
                    )
                seen.add(key)

    def check_unique(self, items: Sequence[Keyed], name: str) -> None:
        first: dict[str, int] = {}
        for item in items:
            if not item.key:
                continue
            if item.key in first:
                self.error(
                    item.line,
                    _("The key “%(key)s” is used by another %(kind)s on line %(line)s.")
                    % {"key": item.key, "kind": name, "line": first[item.key]},
                )
            else:
                first[item.key] = item.line


def _number(items: Sequence[Placed]) -> None:
    """Give items without an explicit position the one after their predecessor's."""
    expected = 1
    for item in items:
        if item.position < 0:
            item.position = expected
        expected = item.position + 1


def _split_at(
    text: list[tuple[int, str]], marker: re.Pattern[str]
) -> tuple[list[tuple[int, str]], list[tuple[int, str]] | None]:
    """The lines before the first marker line, and those after it (None without
    one); text on the marker's own line is the first line after it."""
    for index, (number, line) in enumerate(text):
        match = marker.match(line)
        if match is not None:
            first = [(number, match["text"])] if match["text"] else []
            return text[:index], first + text[index + 1 :]
    return text, None


def _unescape(lines: list[tuple[int, str]]) -> str:
    return clean_text(
        "\n".join(line[1:] if line.startswith("\\") else line for _n, line in lines)
    )
