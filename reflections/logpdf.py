"""The reflection log as a PDF: the same record as the printable page, drawn
on A4 with fpdf2 (pure Python, no system libraries; docs/reflections.md)."""

from __future__ import annotations

import copy
import datetime
import functools
import io
import logging
from pathlib import Path
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fontTools import subset, ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import OutputProducer

from practice.library import CaseText

# DejaVu Sans covers the Nordic letters and the names of people from anywhere;
# the fonts ship with the code, so the server needs no fonts of its own.
FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
MARGIN = 18  # mm
LINE = 5.5  # mm, the height of a line of body text

# fpdf2 embeds only the glyphs used; fontTools tells of each table it trims.
logging.getLogger("fontTools").setLevel(logging.WARNING)

# The tables of DejaVu that fpdf2's subsetting drops from every embedded font
# (fpdf.output, `_add_fonts`): the layout tables, FontForge's time stamp and the
# math table, and `kern`, which fontTools drops where GPOS is present. The
# subsetter reads GDEF, GSUB and GPOS before it drops them; leaving them out of
# the file it cuts down saves about a tenth of each PDF's embedding, and the PDF
# is the same byte for byte (tests/dilemmas/test_log_fonts.py).
UNEMBEDDED_TABLES = ("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "kern")


@functools.cache
def _embeddable_font(filename: str) -> bytes:
    """The font file without the tables the PDF would never carry."""
    font = ttLib.TTFont(str(FONTS / filename), recalcTimestamp=False, lazy=True)
    for tag in UNEMBEDDED_TABLES:
        if tag in font:
            del font[tag]
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


# The characters a log in a Nordic language is almost always written in: Latin
# with its supplements and extensions, the combining accents (text typed on some
# systems arrives decomposed), the spacing accents, general punctuation, the
# currency signs and the letterlike symbols. DejaVu has about 6,000 glyphs; these
# are about a sixth of them.
PREPARED_RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x024F),  # Latin Extended-A and -B
    (0x02B0, 0x02FF),  # Spacing Modifier Letters
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x214F),  # Letterlike Symbols
)

# The tables fpdf2 drops from every font it embeds (fpdf.output, `_add_fonts`);
# the prepared cut leaves them out too.
DROPPED_ON_EMBEDDING = (
    *UNEMBEDDED_TABLES,
    *("hdmx", "meta", "sbix", "CBDT", "CBLC", "EBDT", "EBLC", "EBSC"),
    *("SVG ", "CPAL", "COLR"),
)


@functools.cache
def _prepared_cut(filename: str) -> tuple[bytes, frozenset[str]]:
    """The font cut down once per process to the glyphs of `PREPARED_RANGES`,
    with their names, and those names.

    fpdf2 cuts the font it embeds down to the glyphs a document uses, by their
    names, and fontTools reads the character map, the glyph names and the
    outlines of the whole font to do it. Cutting them from this smaller font
    instead reads a sixth as much and gives the same font: the cut keeps every
    glyph with all the characters that map to it, the glyphs they are built
    from, and every table the embedded font carries.
    """
    font = ttLib.TTFont(
        io.BytesIO(_embeddable_font(filename)), recalcTimestamp=False, lazy=True
    )
    cmap = font.getBestCmap()
    names = {
        cmap[code]
        for first, last in PREPARED_RANGES
        for code in range(first, last + 1)
        if code in cmap
    }
    options = subset.Options(
        notdef_outline=True, recommended_glyphs=True, glyph_names=True
    )
    options.drop_tables += list(DROPPED_ON_EMBEDDING)
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=names)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue(), frozenset(font.getGlyphOrder())


def _font_file(filename: str, glyph_names: set[str] | None = None) -> ttLib.TTFont:
    """The font file fpdf2 cuts down to `glyph_names`: the prepared cut where it
    holds them all, else the whole font, so that no character is ever lost."""
    prepared, names = _prepared_cut(filename)
    if glyph_names is None or not glyph_names <= names:
        data = _embeddable_font(filename)
    else:
        data = prepared
    return ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)


@functools.cache
def _parsed_font(style: str, filename: str) -> TTFFont:
    scratch = FPDF()
    scratch.add_font(FONT, style, str(FONTS / filename))
    font = scratch.fonts[f"{FONT.lower()}{style}"]
    assert isinstance(font, TTFFont)
    return font


class LogOutput(OutputProducer):
    """fpdf2's writer, which first gives each font of the log the smallest file
    that holds every glyph the document used: the footer is drawn by now, so the
    text is complete."""

    def bufferize(self) -> bytearray:
        doc = self.fpdf
        assert isinstance(doc, LogDocument)
        for fontkey, filename in doc.font_files.items():
            font = doc.fonts[fontkey]
            assert isinstance(font, TTFFont)
            font.ttfont = _font_file(filename, set(font.subset.get_all_glyph_names()))
        return super().bufferize()


def day(moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATE_FORMAT")


def clock(moment: datetime.datetime) -> str:
    return formats.time_format(timezone.localtime(moment), "TIME_FORMAT")


class LogDocument(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.font_files: dict[str, str] = {}
        self.add_parsed_font("", "DejaVuSans.ttf")
        self.add_parsed_font("B", "DejaVuSans-Bold.ttf")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=22)

    def add_parsed_font(self, style: str, filename: str) -> None:
        """`add_font`, without reading the font's tables again for every document.

        Reading DejaVu's widths and character map takes longer than drawing a whole
        log, so it is done once per process (`_parsed_font`) and each document gets
        its own copy of what changes while it is drawn: the font file object, which
        fpdf2 cuts down in place to the glyphs used when it writes the PDF, and the
        map of those glyphs. The widths, the character map and the descriptor are
        only read, and are shared. The file that is cut down is the font without
        the tables the PDF never carries (`_embeddable_font`), so fontTools does not
        read them for each document only to drop them; `pdf` swaps in the prepared
        cut (`_prepared_cut`) where it holds every glyph the document used.
        """
        font = copy.copy(_parsed_font(style, filename))
        font.i = len(self.fonts) + 1
        font.ttfont = _font_file(filename)
        self.font_files[font.fontkey] = filename
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        self.fonts[font.fontkey] = font

    def pdf(self) -> bytes:
        """The document as PDF bytes, its fonts cut down from the prepared cut
        where it holds every glyph used (`LogOutput`)."""
        return bytes(self.output(output_producer_class=LogOutput))

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, size=8)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(MARGIN)
        self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="R")

    def heading(self, text: str, size: int = 13) -> None:
        # A heading is never left alone at the foot of a page.
        if self.will_page_break(LINE * 4):
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, body: str, *, muted: bool = False) -> None:
        self.set_font(FONT, size=10)
        if muted:
            self.set_text_color(90)
        for paragraph in body.replace("\r\n", "\n").split("\n\n"):
            self.multi_cell(0, LINE, paragraph.strip(), new_x="LMARGIN", new_y="NEXT")
            self.ln(1)
        self.set_text_color(0)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        width = 45
        for label, value in rows:
            if self.will_page_break(LINE):
                self.add_page()
            top = self.get_y()
            self.set_font(FONT, "B", 10)
            self.multi_cell(width, LINE, label, new_x="RIGHT", new_y="TOP")
            label_bottom = self.get_y() + LINE
            self.set_xy(MARGIN + width, top)
            self.set_font(FONT, size=10)
            self.multi_cell(0, LINE, value or "–", new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), label_bottom) + 0.5)

    def items(self, lines: list[str]) -> None:
        self.set_font(FONT, size=10)
        for line in lines:
            self.set_x(MARGIN + 3)
            self.multi_cell(0, LINE, f"• {line}", new_x="LMARGIN", new_y="NEXT")


def erased_notice(moment: datetime.datetime) -> str:
    return _(
        "The texts were erased on %(date)s under the retention rule. Dates, value "
        "tensions and cited values are kept."
    ) % {"date": day(moment)}


def _head(doc: LogDocument, c: dict[str, Any]) -> None:
    reflection, meeting = c["reflection"], c["reflection"].meeting
    doc.heading(_("Reflection log: %(title)s") % {"title": reflection.case_title}, 16)
    if reflection.erased:
        doc.paragraph(erased_notice(reflection.erased), muted=True)
    version = reflection.version
    if version:
        base = _("%(base)s, version %(number)s (%(title)s)") % {
            "base": version.value_base.name,
            "number": version.number,
            "title": version.title,
        }
        base += ", " + _("in force from %(day)s") % {"day": day(version.effective_from)}
    else:
        base = _("No version was in force on the meeting date.")
    when = (
        f"{day(meeting.start)}, {clock(meeting.start)}–{clock(meeting.end)}, "
        f"{c['time_zone']} · {meeting.title}"
    )
    begun = []
    if reflection.began_in is not None:
        first = reflection.began_in
        begun.append(
            (
                _("Begun at"),
                f"{day(first.start)}, {clock(first.start)}–{clock(first.end)} · "
                f"{first.title} "
                + _("(paused there and continued at the meeting above)"),
            )
        )
    doc.facts(
        [
            (_("Organisation"), c["organisation"].name),
            (_("Unit"), c["unit"].name),
            (_("Group"), c["group"].name),
            (_("Date and time"), when),
            *begun,
            (_("Method"), reflection.method_name),
            (_("Facilitator"), str(c["facilitator"])),
            (_("Value base"), base),
            (_("Status"), reflection.get_status_display()),
        ]
    )


def _presence(doc: LogDocument, c: dict[str, Any]) -> None:
    p = c["presence"]
    doc.heading(_("Who took part"))
    if p.recorded:
        rows = [
            (_("Present"), p.present),
            (_("Sent apologies"), p.apologies),
            (_("Absent without word"), p.absent),
        ]
    else:
        doc.paragraph(
            _(
                "Attendance was not recorded for this meeting. The lists below are "
                "the answers to the invitation, not who came."
            ),
            muted=True,
        )
        rows = [
            (_("Said they would come"), p.present),
            (_("Answered maybe"), p.maybe),
            (_("Sent apologies"), p.apologies),
            (_("Did not answer"), p.absent),
        ]
    doc.facts([(label, ", ".join(names)) for label, names in rows])
    reflection = c["reflection"]
    if reflection.is_practice:
        return
    doc.facts(
        [
            (
                _("The person or their representative"),
                reflection.get_person_present_display()
                if reflection.person_present
                else _("Not recorded"),
            )
        ]
    )


def _case(doc: LogDocument, c: dict[str, Any]) -> None:
    dilemma, author = c["dilemma"], c["author"]
    if dilemma is None:
        _practice_case(doc, c["practice"])
        return
    doc.heading(_("The case"))
    raised = str(author.user) if author else _("Anonymous")
    tensions = "; ".join(t.title for t in dilemma.tensions.all())
    doc.facts(
        [(_("Raised by"), raised)]
        + ([(_("Value tensions"), tensions)] if tensions else [])
    )
    if dilemma.erased:
        doc.paragraph(erased_notice(dilemma.erased), muted=True)
    else:
        doc.paragraph(dilemma.description)
        doc.paragraph(f"{_('The question:')} {dilemma.question}")
        _voices(doc, dilemma)


def _voices(doc: LogDocument, dilemma: Any) -> None:
    """Whose voice is in the case, and whose is missing (dilemmas.models.Voice)."""
    doc.heading(_("Whose voice is in the case"), 11)
    rows = []
    for entry in dilemma.voice_entries:
        if entry.missing:
            continue
        answer = entry.voice.get_asked_display()
        if entry.voice.why_not:
            answer += f": {entry.voice.why_not}"
        if entry.voice.wishes:
            answer += f"\n{entry.voice.wishes}"
        rows.append((str(entry.label), answer))
    if rows:
        doc.facts(rows)
    if missing := dilemma.missing_voices:
        doc.paragraph(
            _("Whose voice is missing? Not recorded yet:")
            + " "
            + "; ".join(str(entry.label) for entry in missing),
            muted=True,
        )


def _practice_case(doc: LogDocument, text: CaseText) -> None:
    doc.heading(_("The practice case"))
    doc.facts(
        [(_("Practice case"), text.title)]
        + (
            [(_("Values in tension"), "; ".join(text.tensions))]
            if text.tensions
            else []
        )
    )
    doc.paragraph(text.situation)
    doc.paragraph(f"{_('The question:')} {text.question}")


def _steps(doc: LogDocument, c: dict[str, Any]) -> None:
    reflection = c["reflection"]
    doc.heading(_("Steps"))
    for s in c["steps"]:
        skipped = f" · {_('skipped')}" if s.skipped else ""
        doc.heading(f"{s.position}. {s.title}{skipped}", 11)
        if s.skipped:
            doc.paragraph(_("The plan left this step out."), muted=True)
        elif s.minutes:
            doc.paragraph(
                ngettext(
                    "Time box: %(minutes)s minute.",
                    "Time box: %(minutes)s minutes.",
                    s.minutes,
                )
                % {"minutes": s.minutes},
                muted=True,
            )
        doc.paragraph(s.notes) if s.notes else doc.paragraph(_("No notes."), muted=True)
        if s.kind == "options":
            doc.items([o.text for o in s.options.all()])
        elif s.kind == "perspectives":
            doc.items(
                [
                    f"{p.party}: {', '.join(v.title for v in p.values.all())}"
                    + (f" · {p.norms}" if p.norms else "")
                    for p in s.perspectives.all()
                ]
            )
        elif s.kind == "positions":
            # Only revealed positions were fetched (log_context); the check
            # stands here too so that the PDF never depends on the query alone.
            if not s.revealed:
                doc.paragraph(_("The positions were not revealed."), muted=True)
                continue
            doc.items(
                [
                    p.body
                    if reflection.anonymous_positions
                    else f"{p.membership.user}: {p.body}"
                    for p in s.positions.all()
                ]
            )


def _action_line(action: Any) -> str:
    parts = [
        action.text or _("Erased under the retention rule"),
        str(action.owner.user),
    ]
    if action.due:
        parts.append(_("due %(due)s") % {"due": day(action.due)})
    if action.follow_up:
        parts.append(
            _("follow-up meeting %(day)s") % {"day": day(action.follow_up.start)}
        )
    if action.done:
        parts.append(_("done") + (f": {action.done_note}" if action.done_note else ""))
    elif action.is_overdue:
        parts.append(_("overdue"))
    return " · ".join(parts)


def _outcome(doc: LogDocument, c: dict[str, Any]) -> None:
    reflection = c["reflection"]
    doc.heading(_("Conclusion"))
    if reflection.erased:
        doc.paragraph(erased_notice(reflection.erased), muted=True)
    elif reflection.conclusion:
        doc.paragraph(reflection.conclusion)
    else:
        doc.paragraph(_("Not concluded yet."), muted=True)
    doc.heading(_("Agreed actions"))
    actions = [_action_line(a) for a in c["actions"]]
    doc.items(actions) if actions else doc.paragraph(_("No actions agreed yet."))
    doc.heading(_("Cited values and guidelines"))
    if reflection.version:
        doc.paragraph(
            _("Cited from %(base)s, version %(number)s.")
            % {
                "base": reflection.version.value_base.name,
                "number": reflection.version.number,
            }
        )
    cited = [
        c.value.title if c.value else f"{c.guideline} ({c.guideline.audience})"
        for c in c["citations"]
    ]
    doc.items(cited) if cited else doc.paragraph(_("Nothing cited."))
    doc.heading(_("Amendments"))
    amendments = list(c["amendments"])
    for a in amendments:
        doc.paragraph(
            f"{a.author.user} · {day(a.created)} {clock(a.created)}", muted=True
        )
        doc.paragraph(a.body)
    if not amendments:
        doc.paragraph(_("No amendments."))


def _sign_off(doc: LogDocument, c: dict[str, Any]) -> None:
    reflection = c["reflection"]
    if doc.will_page_break(LINE * 10):
        doc.add_page()
    doc.heading(_("Sign-off"))
    if not reflection.signed_off:
        doc.paragraph(
            _("Not signed off yet: until it is, this log is a draft of the record.")
        )
        return
    name = str(reflection.signed_off_by.user)
    doc.paragraph(
        _("Signed off by %(name)s on %(day)s at %(time)s.")
        % {
            "name": name,
            "day": day(reflection.signed_off),
            "time": clock(reflection.signed_off),
        }
    )
    doc.ln(4)
    for label, value in (
        (_("Signature"), ""),
        (_("Name"), name),
        (_("Date"), day(reflection.signed_off)),
    ):
        doc.set_font(FONT, "B", 10)
        doc.cell(35, 8, label)
        doc.set_font(FONT, size=10)
        doc.cell(85, 8, value, border="B", new_x="LMARGIN", new_y="NEXT")
        doc.ln(3)


def log_pdf(context: dict[str, Any]) -> bytes:
    """The log of `context` (reflections.views.log.log_context) as PDF bytes."""
    reflection = context["reflection"]
    footer = " · ".join(
        [_("Reflection log"), context["group"].name, day(reflection.meeting.start)]
    )
    doc = LogDocument(footer)
    doc.set_title(_("Reflection log"))
    doc.set_creator("Etikrum")
    doc.set_lang(reflection.organisation.language)
    doc.add_page()
    for part in (_head, _presence, _case, _steps, _outcome, _sign_off):
        part(doc, context)
    return doc.pdf()
