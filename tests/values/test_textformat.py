from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from guidelines.models import Audience, Guideline
from tests.factories import PASSWORD, make_audience, make_member
from values.models import Commitment, CoreValue, LegalBasis, Section, Version
from values.textformat import (
    MAX_BYTES,
    AudienceItem,
    CommitmentItem,
    Document,
    FormatError,
    GuidelineItem,
    LegalItem,
    SectionItem,
    ValueItem,
    export_version,
    import_draft,
    parse,
    parse_bytes,
    render,
)

from .helpers import adopt, fill, make_base, make_draft

HEAD = "---\nformat: etikrum-value-base 1\ntitle: x\n---\n"


def snapshot(version: Version) -> dict:
    """Every field of every item, in order; the version's own row is left out."""
    return {
        "title": version.title,
        "summary": version.change_summary,
        "sections": [
            (s.key, s.position, s.title, s.body) for s in version.sections.all()
        ],
        "legal": [
            (b.key, b.position, b.law, b.reference, b.text)
            for b in version.legal_bases.all()
        ],
        "values": [
            (
                v.key,
                v.position,
                v.title,
                v.description,
                v.easy_read,
                [(c.key, c.position, c.text) for c in v.commitments.all()],
            )
            for v in version.values.all()
        ],
        "guidelines": [
            (
                g.key,
                g.position,
                g.audience.key,
                g.audience.name,
                g.title,
                g.text,
                g.example,
                g.public,
                sorted(v.key for v in g.related_values.all()),
            )
            for g in version.guidelines.all()
        ],
    }


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Version,
            Section,
            LegalBasis,
            CoreValue,
            Commitment,
            Guideline,
            Audience,
        )
    )


@pytest.fixture
def rich_version(org):
    """fill() plus the texts most likely to trip a plain-text format."""
    base = make_base(org)
    version = make_draft(
        base, 1, change_summary="Första versionen.\n\n  Indragen rad: æøå."
    )
    items = fill(version)
    Section.objects.create(
        version=version,
        key="tricky",
        title="Svåra rader: # - och --- | *stjärna*",
        body="## Inte en rubrik\n- inte ett åtagande\n\\snedstreck\n\n"
        "Example: inte ett exempel\naudience: ingen\n---\n"
        "Æbler, øl og å.\n  indraget\n\n\n# en rubrik i texten",
        position=7,
    )
    Section.objects.create(
        version=version,
        key="position-first-line",
        title="Fält som text",
        body="position: 3 är bara text",
        position=8,
    )
    value = CoreValue.objects.create(
        version=version,
        key="care",
        title="Omsorg – *omtanke* & <ansvar>",
        description="Första stycket.\n\n- ett streck i beskrivningen\n-\n"
        "Lättläst: inte den lättlästa texten",
        easy_read="Vi bryr oss om dig.\n\n- inte ett åtagande\nLättläst: text\n"
        "## inte en rubrik",
        position=5,
    )
    items["dignity"].easy_read = "Alla människor är lika mycket värda."
    items["dignity"].save()
    Commitment.objects.create(
        value=value, key="two-lines", text="Rad ett\n\nrad tre\n  indragen", position=1
    )
    Commitment.objects.create(
        value=value, key="bracket", text="[inte en nyckel] \\ och ## inte", position=4
    )
    Commitment.objects.create(value=value, key="plain", text="Enkel.", position=5)
    leaders = make_audience(org, "leaders", name="Chefer og ledere", position=2)
    guideline = Guideline.objects.create(
        version=version,
        key="care-guide",
        audience=leaders,
        title="Omsorg i vardagen: kl. 8–17",
        text="Stycke ett.\n\nExample:\nfortfarande text\nvalues: inte fält",
        example="Ett exempel\n\nmed två stycken.\n## och en rad som ser ut som rubrik",
        position=2,
        public=True,
    )
    guideline.related_values.set([value, items["dignity"]])
    Guideline.objects.create(
        version=version,
        key="no-values",
        audience=items["audience"],
        title="Utan värden",
        text="audience: detta är text",
        position=3,
    )
    adopt(version, datetime.date(2024, 1, 1))
    return version


# Export and import


@pytest.mark.django_db
def test_export_then_import_reproduces_the_content(rich_version):
    text = export_version(rich_version)
    assert text.startswith("---\nformat: etikrum-value-base 1\n")
    assert "adopted-by: Socialnämnden\neffective-from: 2024-01-01\n" in text
    draft = import_draft(value_base=rich_version.value_base, text=text, author=None)
    assert (draft.number, draft.status) == (2, Version.Status.DRAFT)
    assert draft.adopted_on is None
    assert snapshot(draft) == snapshot(rich_version)
    # The easy-read texts and the public mark are part of what is kept.
    assert draft.values.get(key="dignity").easy_read == (
        "Alla människor är lika mycket värda."
    )
    assert list(draft.guidelines.filter(public=True).values_list("key", flat=True)) == [
        "care-guide"
    ]
    assert "\nLättläst:\nAlla människor är lika mycket värda.\n" in text
    assert "\nvalues: dignity, care\nposition: 2\npublic: yes\n" in text
    # And the draft exports to the same text, but for its own header.
    assert export_version(draft).split("\n---\n", 1)[1] == text.split("\n---\n", 1)[1]


@pytest.mark.django_db
def test_import_into_another_organisation_creates_its_audiences(
    rich_version, other_org
):
    make_audience(other_org, "clients", name="Borgere")
    base = make_base(other_org)
    draft = import_draft(
        value_base=base, text=export_version(rich_version), author=None
    )
    assert draft.number == 1
    clients = Audience.objects.get(organisation=other_org, key="clients")
    assert clients.name == "Borgere"  # Existing audiences keep their names.
    leaders = Audience.objects.get(organisation=other_org, key="leaders")
    assert leaders.name == "Chefer og ledere"
    assert {g.audience for g in draft.guidelines.all()} == {clients, leaders}
    assert draft.guidelines.get(key="care-guide").related_values.get(key="care")


@pytest.mark.django_db
def test_import_without_keys_numbers_items_and_makes_keys(org):
    base = make_base(org)
    member = make_member(org, "editor")
    text = HEAD + (
        "## audience leaders: Chefer\n\n"
        "## section: Bakgrund\n\nText.\n\n"
        "## value open: Öppenhet\n\nVi är öppna.\n\n"
        "- Vi svarar.\n- Vi förklarar\n  varför.\n\n"
        "## value: Mod\n\n"
        "## guideline: Tid\naudience: leaders\nvalues: open\n\nChefer ger tid.\n"
        "Example: Ett möte i veckan.\n"
    )
    draft = import_draft(value_base=base, text=text, author=member.user)
    assert draft.author == member.user
    assert Audience.objects.get(organisation=org, key="leaders").name == "Chefer"
    section = draft.sections.get()
    assert section.key == "bakgrund"
    assert section.position == 1
    open_, courage = draft.values.all()
    assert (open_.position, courage.position) == (1, 2)
    assert courage.key == "mod"
    assert [(c.position, c.text) for c in open_.commitments.all()] == [
        (1, "Vi svarar."),
        (2, "Vi förklarar\nvarför."),
    ]
    guideline = draft.guidelines.get()
    assert guideline.example == "Ett möte i veckan."
    assert [v.key for v in guideline.related_values.all()] == ["open"]


# Errors


def errors_of(text: str, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(FormatError) as caught:
        parse(text, **kwargs)
    return caught.value.errors


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("title: x\n", 1, "must start with a header"),
        ("\n---\nformat: etikrum-value-base 1\ntitle: x\n", 2, "not closed"),
        ("---\ntitle: x\n---\n", 1, "format: etikrum-value-base 1"),
        ("---\nformat: other 2\ntitle: x\n---\n", 2, "Unknown format"),
        ("---\nformat: etikrum-value-base 1\n---\n", 1, "title"),
        ("---\nformat: etikrum-value-base 1\ntitle:  \n---\n", 3, "title"),
        (HEAD.replace("---\n", "---\ncolour: red\n", 1), 2, "Unknown header field"),
        (HEAD.replace("title: x", "title: x\neffective-from: 1/2/24"), 4, "date"),
        (HEAD.replace("title: x", "title: x\nadopted-on: 2024-02-30"), 4, "date"),
        (HEAD.replace("title: x", "title: x\nversion: two"), 4, "whole number"),
        (HEAD.replace("title: x", "title: x\n  more"), 4, "summary"),
        (HEAD + "loose text\n", 5, "outside"),
        (HEAD + "## poem p: P\n", 5, "Unknown kind"),
        (HEAD + "## value Dignity\n", 5, "## kind key: title"),
        (HEAD + "## section s:\n\nText\n", 5, "heading"),
        (HEAD + "## section s: S\n", 5, "needs text"),
        (HEAD + "## legal l:  | 1 §\n\nText\n", 5, "law"),
        (HEAD + "## value v:\n", 5, "title"),
        (HEAD + "## audience: Chefer\n", 5, "needs a key"),
        (HEAD + "## audience a:\n", 5, "name"),
        (HEAD + "## guideline g:\naudience: a\n## audience a: A\n", 5, "its text"),
        (HEAD + "## value a: A\n\n## value a: B\n", 7, "line 5"),
        (HEAD + "## value v: V\n\n- [k] one\n- [k] two\n", 8, "line 7"),
        (HEAD + "## value v: V\n\n- [k] one\n-\n", 8, "needs text"),
        (HEAD + "## guideline g: G\n\nText\n", 5, "audience"),
        (
            HEAD + "## audience a: A\n## guideline g: G\naudience: a\n"
            "values: ghost\n\nText\n",
            8,
            "ghost",
        ),
        (
            HEAD + "## value v: V\n## audience a: A\n## guideline g: G\n"
            "audience: a\nvalues: v, v\n\nText\n",
            9,
            "twice",
        ),
        (HEAD + "## section s: S\nposition: first\n\nT\n", 6, "whole number"),
        (
            HEAD + "## audience a: A\n## guideline g: G\naudience: a\n"
            "public: maybe\n\nText\n",
            8,
            "yes or no",
        ),
        (HEAD + "## value v: V\n\n- [k] one\n\nnot indented\n", 9, "indent"),
        (HEAD + "## value ☃: V\n", 5, "cannot be used as a key"),
        (HEAD + "## value v: V\n\n- [§§] one\n", 7, "cannot be used as a key"),
        (HEAD + "## value " + "k" * 81 + ": V\n", 5, "too long"),
        (HEAD + "## section s: " + "S" * 201 + "\n\nT\n", 5, "too long"),
        (HEAD + "## section s: S\n\nNUL\x00\n", 7, "NUL"),
    ],
)
def test_errors_name_their_line(text, line, fragment):
    errors = errors_of(text)
    assert any(number == line and fragment in message for number, message in errors), (
        errors
    )


def test_all_errors_are_reported_at_once():
    text = HEAD + (
        "## section a:\n\nText\n\n## poem b: B\n\nverse\n\n"
        "## guideline g: G\nvalues: none\n\nText\n"
        "## value v: V\n\n## value v: W\n"
    )
    assert [line for line, _message in errors_of(text)] == [5, 9, 13, 14, 19]


def test_messages_are_translated(settings, tmp_path):
    from django.utils import translation

    from tests.translations import write_catalogue

    write_catalogue(
        tmp_path, "sv", {"A section needs text under its heading.": "Text saknas."}
    )
    settings.LOCALE_PATHS = [tmp_path]
    translation.trans_real._translations = {}
    try:
        with translation.override("sv"):
            assert errors_of(HEAD + "## section s: S\n") == [(5, "Text saknas.")]
    finally:
        translation.trans_real._translations = {}


@pytest.mark.django_db
def test_audiences_are_checked_against_the_organisation(org):
    make_audience(org, "clients")
    text = HEAD + (
        "## guideline a: A\naudience: clients\n\nText\n\n"
        "## guideline b: B\naudience: nobody\n\nText\n"
    )
    assert parse(text).guidelines[0].audience == "clients"  # No organisation given.
    errors = errors_of(text, organisation=org)
    assert [(line, "nobody" in message) for line, message in errors] == [(11, True)]


def test_bytes_must_be_utf8_and_small():
    with pytest.raises(FormatError) as caught:
        parse_bytes(HEAD.encode() + b"## section s: S\n\nBl\xe5b\xe6r\n")
    assert caught.value.errors[0][0] == 7
    assert "UTF-8" in caught.value.errors[0][1]
    with pytest.raises(FormatError) as caught:
        parse_bytes(HEAD.encode() + b"x" * MAX_BYTES)
    assert caught.value.errors[0][0] == 0
    assert "too large" in caught.value.errors[0][1]
    # A byte-order mark, as some editors write it, is no error.
    assert parse_bytes("\ufeff".encode() + HEAD.encode()).title == "x"


@pytest.mark.django_db
def test_nothing_is_saved_on_error(org, rich_version):
    base = make_base(org, slug="ny")
    before = counts()
    # Valid up to the audience, which exists neither in the file nor in the org.
    text = HEAD + (
        "## section s: S\n\nText\n\n## value v: V\n\n- [c] C\n\n"
        "## audience new: Ny publik\n\n"
        "## guideline g: G\naudience: unknown\n\nText\n"
    )
    with pytest.raises(FormatError) as caught:
        import_draft(value_base=base, text=text, author=None)
    assert [line for line, _message in caught.value.errors] == [16]
    assert counts() == before


@pytest.mark.django_db
def test_import_refused_while_a_draft_exists(rich_version):
    text = export_version(rich_version)
    import_draft(value_base=rich_version.value_base, text=text, author=None)
    before = counts()
    with pytest.raises(FormatError) as caught:
        import_draft(value_base=rich_version.value_base, text=text, author=None)
    [(line, message)] = caught.value.errors
    assert line == 0
    assert "already has a draft" in message
    assert counts() == before


# The command


@pytest.mark.django_db
def test_command_imports_and_adopts(org, rich_version, tmp_path, capsys):
    org.language = "en"
    org.save(update_fields=["language"])
    path = tmp_path / "vardegrund.md"
    text = export_version(rich_version).replace(
        "effective-from: 2024-01-01", "effective-from: 2025-01-01"
    )
    path.write_text(text, encoding="utf-8")
    call_command(
        "import_value_base", str(path), org=org.slug, base="vardegrund", adopt=True
    )
    assert "version 2 of vardegrund (adopted)" in capsys.readouterr().out
    new = rich_version.value_base.versions.get(number=2)
    assert new.status == Version.Status.ADOPTED
    assert (new.adopted_on, new.adopted_by, new.effective_from) == (
        datetime.date(2023, 12, 22),
        "Socialnämnden",
        datetime.date(2025, 1, 1),
    )
    assert snapshot(new) == snapshot(rich_version)
    rich_version.refresh_from_db()
    assert rich_version.status == Version.Status.SUPERSEDED
    assert rich_version.effective_until == datetime.date(2025, 1, 1)


@pytest.mark.django_db
def test_command_creates_the_value_base(org, tmp_path):
    path = tmp_path / "ny.md"
    path.write_text(HEAD + "## section s: S\n\nText.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--name"):
        call_command("import_value_base", str(path), org=org.slug, base="ny")
    call_command(
        "import_value_base", str(path), org=org.slug, base="ny", name="Ny grund"
    )
    version = Version.objects.get(value_base__slug="ny")
    assert (version.value_base.name, version.status) == ("Ny grund", "draft")


@pytest.mark.django_db
def test_command_adopts_only_with_the_adoption_record(org, rich_version, tmp_path):
    org.language = "en"
    org.save(update_fields=["language"])
    path = tmp_path / "utkast.md"
    path.write_text(HEAD + "## section s: S\n\nText.\n", encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=r"utkast.md:1: .*adopted-on"):
        call_command(
            "import_value_base", str(path), org=org.slug, base="vardegrund", adopt=True
        )
    # Not after the version in force: refused, and the draft is not kept either.
    path.write_text(export_version(rich_version), encoding="utf-8")
    with pytest.raises(CommandError, match=r"utkast.md:7: effective-from must be"):
        call_command(
            "import_value_base", str(path), org=org.slug, base="vardegrund", adopt=True
        )
    assert counts() == before


@pytest.mark.django_db
def test_command_reports_file_and_line(org, tmp_path):
    path = tmp_path / "broken.md"
    path.write_text(
        "---\nformat: etikrum-value-base 1\n---\n\n## poem p: P\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_value_base", str(path), org=org.slug, base="ny", name="Ny")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{path}:1: ")
    assert lines[1].startswith(f"{path}:5: ")
    assert not Version.objects.exists()
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(CommandError, match=r"broken.md:1: .*UTF-8"):
        call_command("import_value_base", str(path), org=org.slug, base="ny", name="Ny")


# The upload page (the lead's view, through this module)


@pytest.mark.django_db
class TestUpload:
    def url(self, org, base):
        return reverse("values:import", kwargs={"org": org.slug, "base": base.slug})

    def test_upload_creates_draft(self, client, org, rich_version):
        editor = make_member(org, "editor")
        client.login(email=editor.user.email, password=PASSWORD)
        upload = SimpleUploadedFile(
            "v.md", export_version(rich_version).encode(), "text/markdown"
        )
        response = client.post(self.url(org, rich_version.value_base), {"file": upload})
        assert response.status_code == 302
        draft = rich_version.value_base.versions.get(status="draft")
        assert snapshot(draft) == snapshot(rich_version)

    def test_errors_shown_with_lines(self, client, org, rich_version):
        editor = make_member(org, "editor")
        client.login(email=editor.user.email, password=PASSWORD)
        upload = SimpleUploadedFile("v.md", "\xff\xfe broken".encode("latin-1"))
        response = client.post(self.url(org, rich_version.value_base), {"file": upload})
        assert response.status_code == 200
        assert "UTF-8" in response.text
        upload = SimpleUploadedFile("v.md", b"---\nformat: x\ntitle: y\n---\n")
        response = client.post(self.url(org, rich_version.value_base), {"file": upload})
        assert response.context["errors"][0][0] == 2
        assert not rich_version.value_base.versions.filter(status="draft").exists()


# Any document survives export and parsing. No database: parse() without an
# organisation only reads text.

KEY = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
TRICKY_LINES = st.sampled_from(
    [
        "## rubrik",
        "##",
        "- streck",
        "-",
        "\\",
        "\\## redan",
        "[k] hakparentes",
        "Example: exempel",
        "Exempel: exempel",
        "eksempel:",
        "audience: a",
        "values: v",
        "position: 2",
        "public: yes",
        "Lättläst: lätt",
        "Easy read:",
        "letlæst: let",
        "---",
        "  indragen",
        "",
        "æøå ÅÄÖ | * _ < > &",
    ]
)
LINE = st.one_of(
    TRICKY_LINES,
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
        max_size=30,
    ),
)
TEXT = st.lists(LINE, max_size=5).map("\n".join)
TITLE = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S"]),
    min_size=1,
    max_size=30,
).filter(lambda t: "|" not in t)
POSITION = st.integers(min_value=0, max_value=9)


@st.composite
def documents(draw) -> Document:
    def text(min_size: int = 0) -> str:
        return draw(TEXT.filter(lambda t: len(t.strip()) >= min_size))

    value_keys = draw(st.lists(KEY, max_size=3, unique=True))
    return Document(
        title=draw(TITLE),
        number=draw(st.none() | st.integers(min_value=1, max_value=99)),
        adopted_by=draw(st.sampled_from(["", "Socialnämnden"])),
        summary=text(),
        sections=[
            SectionItem(key, draw(TITLE), text(1), draw(POSITION))
            for key in draw(st.lists(KEY, max_size=2, unique=True))
        ],
        legal_bases=[
            LegalItem(
                key,
                draw(TITLE),
                draw(st.sampled_from(["", "1 kap. 1 §"])),
                text(1),
                draw(POSITION),
            )
            for key in draw(st.lists(KEY, max_size=2, unique=True))
        ],
        values=[
            ValueItem(
                key,
                draw(TITLE),
                text(),
                draw(POSITION),
                [
                    CommitmentItem(ckey, text(1), draw(POSITION))
                    for ckey in draw(
                        st.lists(KEY | st.just(""), max_size=3, unique=True)
                    )
                ],
                easy_read=text(),
            )
            for key in value_keys
        ],
        audiences=[AudienceItem("a", "A", text())],
        guidelines=[
            GuidelineItem(
                key,
                title,
                "a",
                draw(st.lists(st.sampled_from(value_keys), unique=True))
                if value_keys
                else [],
                # Without a title, a guideline needs its text.
                text(0 if title else 1),
                text(),
                draw(POSITION),
                public=draw(st.booleans()),
            )
            for key in draw(st.lists(KEY, max_size=2, unique=True))
            for title in [draw(TITLE | st.just(""))]
        ],
    )


@settings(max_examples=50, deadline=None)
@given(documents())
def test_render_parse_render_is_stable(document):
    text = render(document)
    parsed = parse(text)
    assert render(parsed) == text
    assert parse(render(parsed)) == parsed


@pytest.mark.django_db
def test_the_documented_example_imports(org):
    from pathlib import Path

    from django.conf import settings as django_settings

    docs = Path(django_settings.BASE_DIR) / "docs" / "value-base-format.md"
    example = docs.read_text(encoding="utf-8").split("```markdown\n")[1]
    example = example.split("\n```")[0]
    draft = import_draft(value_base=make_base(org), text=example, author=None)
    assert draft.change_summary == (
        "Barnets perspektiv lyfts fram.\n\nNy riktlinje om digitala kontakter."
    )
    value = draft.values.get(key="equal-worth")
    assert value.easy_read == "Du är lika mycket värd som alla andra."
    assert value.description == "Varje människa har samma värde, oavsett vem hon är."
    assert [g.key for g in draft.guidelines.filter(public=True)] == ["meeting-clients"]
    assert [c.text for c in value.commitments.all()] == [
        "Vi bemöter alla med respekt.",
        "Vi förklarar våra beslut\nså att de går att förstå.\n\n"
        "Vi tar oss tid när det behövs.",
        "Vi ber om ursäkt när vi gjort fel.",
    ]
    assert [(g.audience.key, g.position) for g in draft.guidelines.all()] == [
        ("clients", 1),
        ("clients", 2),
        ("managers", 3),
    ]
    meeting, untitled, _time = draft.guidelines.all()
    assert meeting.example.startswith("En förälder ringer upprörd")
    assert untitled.title == ""
    assert untitled.key == "visa-respekt-for-de-val-brukaren"
    assert draft.lead_ins.get().text == (
        "Som medarbetare ska du i mötet med brukare och närstående:"
    )
    assert draft.legal_bases.get().reference == "1 kap. 1 §"
