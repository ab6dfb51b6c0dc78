"""Export: a version of the value base as the text of a file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from guidelines.models import Audience, Guideline, LeadIn
from values.models import (
    CoreValue,
    Version,
)

from .document import (
    BLOCK_FIELDS,
    EASY_READ_MARKERS,
    EASY_READ_RE,
    EXAMPLE_MARKERS,
    EXAMPLE_RE,
    FORMAT,
    FORMAT_VERSION,
    HEADER_FIELD_RE,
    ITEM_RE,
    AudienceItem,
    CommitmentItem,
    Document,
    GuidelineItem,
    LegalItem,
    SectionItem,
    ValueItem,
    clean_text,
    is_heading,
)


def document_from_version(version: Version) -> Document:
    """The content of a version as a Document, in a constant number of queries."""
    values = list(version.values.prefetch_related("commitments"))
    guidelines = list(
        version.guidelines.select_related("audience").prefetch_related("related_values")
    )
    lead_ins = {
        lead_in.audience_id: lead_in
        for lead_in in version.lead_ins.select_related("audience")
    }
    audiences: dict[int, Audience] = {}
    items: list[Guideline | LeadIn] = [*guidelines, *lead_ins.values()]
    for item in items:
        audiences.setdefault(item.audience_id, item.audience)
    return Document(
        title=version.title,
        number=version.number,
        adopted_on=version.adopted_on,
        adopted_by=version.adopted_by,
        effective_from=version.effective_from,
        summary=version.change_summary,
        sections=[
            SectionItem(s.key, s.title, s.body, s.position)
            for s in version.sections.all()
        ],
        legal_bases=[
            LegalItem(b.key, b.law, b.reference, b.text, b.position)
            for b in version.legal_bases.all()
        ],
        values=[_value_item(v) for v in values],
        audiences=[
            AudienceItem(a.key, a.name, lead_ins[a.pk].text if a.pk in lead_ins else "")
            for a in sorted(audiences.values(), key=lambda a: (a.position, a.name))
        ],
        guidelines=[_guideline_item(g) for g in guidelines],
    )


def _value_item(value: CoreValue) -> ValueItem:
    return ValueItem(
        value.key,
        value.title,
        value.description,
        value.position,
        [CommitmentItem(c.key, c.text, c.position) for c in value.commitments.all()],
        easy_read=value.easy_read,
    )


def _guideline_item(guideline: Guideline) -> GuidelineItem:
    return GuidelineItem(
        guideline.key,
        guideline.title,
        guideline.audience.key,
        [v.key for v in sorted(guideline.related_values.all(), key=_value_order)],
        guideline.text,
        guideline.example,
        guideline.position,
        public=guideline.public,
    )


def _value_order(value: CoreValue) -> tuple[int, int]:
    return (value.position, value.pk)


def export_version(version: Version) -> str:
    language = version.value_base.organisation.language
    return render(document_from_version(version), language=language)


def render(document: Document, *, language: str = "en") -> str:
    """The file text of a document; the inverse of parse()."""
    out = _header_lines(document)
    for block in (
        *_section_blocks(document.sections),
        *_legal_blocks(document.legal_bases),
        *_value_blocks(document.values, language),
        *_audience_blocks(document.audiences),
        *_guideline_blocks(document.guidelines, language),
    ):
        out.extend(block)
    return "\n".join(out) + "\n"


def _header_lines(document: Document) -> list[str]:
    """The header between its two `---` lines: the version and its adoption."""
    out = ["---", f"format: {FORMAT} {FORMAT_VERSION}", f"title: {document.title}"]
    if document.number is not None:
        out.append(f"version: {document.number}")
    if document.adopted_on is not None:
        out.append(f"adopted-on: {document.adopted_on.isoformat()}")
    if document.adopted_by:
        out.append(f"adopted-by: {_one_line(document.adopted_by)}")
    if document.effective_from is not None:
        out.append(f"effective-from: {document.effective_from.isoformat()}")
    summary = clean_text(document.summary).strip()
    if "\n" in summary:
        out.append("summary:")
        out.extend(f"  {line}" if line else "" for line in summary.split("\n"))
    elif summary:
        out.append(f"summary: {summary}")
    out.append("---")
    return out


def _block(
    kind: str, key: str, heading: str, fields: list[str], text: list[str]
) -> list[str]:
    """One block: a blank line, its `##` heading, its fields, then its text."""
    title = f"## {kind} {key}: {heading}" if key else f"## {kind}: {heading}"
    lines = ["", title.rstrip(), *fields]
    if text:
        lines.append("")
        lines.extend(text)
    return lines


def _section_blocks(sections: list[SectionItem]) -> Iterator[list[str]]:
    numbering = _Numbering()
    for section in sections:
        yield _block(
            "section",
            section.key,
            _one_line(section.title),
            numbering.fields(section.position),
            _text_lines(section.body, BLOCK_FIELDS["section"]),
        )


def _legal_blocks(legal_bases: list[LegalItem]) -> Iterator[list[str]]:
    numbering = _Numbering()
    for basis in legal_bases:
        heading = _one_line(basis.law)
        if basis.reference:
            heading += f" | {_one_line(basis.reference)}"
        yield _block(
            "legal",
            basis.key,
            heading,
            numbering.fields(basis.position),
            _text_lines(basis.text, BLOCK_FIELDS["legal"]),
        )


def _value_blocks(values: list[ValueItem], language: str) -> Iterator[list[str]]:
    """Each value with its description, its easy-read text after a marker in the
    document's language, then its commitments as a list."""
    numbering = _Numbering()
    for value in values:
        text = _text_lines(
            value.description, BLOCK_FIELDS["value"], items=True, easy_marker=True
        )
        easy_read = _text_lines(value.easy_read, (), items=True, easy_marker=True)
        if easy_read:
            if text:
                text.append("")
            text.append(EASY_READ_MARKERS.get(language, EASY_READ_MARKERS["en"]))
            text.extend(easy_read)
        commitment_numbering = _Numbering()
        if value.commitments and text:
            text.append("")
        for commitment in value.commitments:
            text.extend(_item_lines(commitment, commitment_numbering))
        yield _block(
            "value",
            value.key,
            _one_line(value.title),
            numbering.fields(value.position),
            text,
        )


def _audience_blocks(audiences: list[AudienceItem]) -> Iterator[list[str]]:
    for audience in audiences:
        yield _block(
            "audience",
            audience.key,
            _one_line(audience.name),
            [],
            _text_lines(audience.lead_in, BLOCK_FIELDS["audience"]),
        )


def _guideline_blocks(
    guidelines: list[GuidelineItem], language: str
) -> Iterator[list[str]]:
    """Each guideline; its example after a marker in the document's language."""
    numbering = _Numbering()
    for guideline in guidelines:
        fields = [f"audience: {guideline.audience}"]
        if guideline.values:
            fields.append(f"values: {', '.join(guideline.values)}")
        fields.extend(numbering.fields(guideline.position))
        if guideline.public:
            fields.append("public: yes")
        text = _text_lines(
            guideline.text, BLOCK_FIELDS["guideline"], example_marker=True
        )
        example = clean_text(guideline.example)
        if example:
            if text:
                text.append("")
            text.append(EXAMPLE_MARKERS.get(language, EXAMPLE_MARKERS["en"]))
            text.extend(_escape(line) for line in example.split("\n"))
        yield _block(
            "guideline", guideline.key, _one_line(guideline.title), fields, text
        )


class _Numbering:
    """Positions are written only where counting 1, 2, 3... would get them wrong."""

    def __init__(self) -> None:
        self.expected = 1

    def fields(self, position: int) -> list[str]:
        lines = [] if position == self.expected else [f"position: {position}"]
        self.expected = position + 1
        return lines

    def marker(self, position: int) -> str:
        marker = "" if position == self.expected else f" @{position}"
        self.expected = position + 1
        return marker


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _escape(line: str) -> str:
    return "\\" + line if line.startswith("\\") or is_heading(line) else line


def _is_field(line: str, names: Iterable[str]) -> bool:
    match = HEADER_FIELD_RE.match(line)
    return match is not None and match["name"].lower() in names


def _text_lines(
    text: str,
    field_names: tuple[str, ...],
    *,
    items: bool = False,
    example_marker: bool = False,
    easy_marker: bool = False,
) -> list[str]:
    """Lines of a block's text, with a backslash before any the parser would misread."""
    text = clean_text(text)
    if not text:
        return []
    lines = []
    for index, line in enumerate(text.split("\n")):
        if (
            line.startswith("\\")
            or is_heading(line)
            or (index == 0 and _is_field(line, field_names))
            or (items and ITEM_RE.match(line))
            or (example_marker and EXAMPLE_RE.match(line))
            or (easy_marker and EASY_READ_RE.match(line))
        ):
            line = "\\" + line
        lines.append(line)
    return lines


def _item_lines(commitment: CommitmentItem, numbering: _Numbering) -> list[str]:
    first, *rest = clean_text(commitment.text).lstrip().split("\n")
    marker = numbering.marker(commitment.position)
    prefix = f"- [{commitment.key}{marker}] " if commitment.key or marker else "- "
    # Without a bracket, a text starting with "[" would read as one.
    if first.startswith("\\") or (prefix == "- " and first.startswith("[")):
        first = "\\" + first
    return [prefix + first] + [f"  {line}" if line else "" for line in rest]
