from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidelines.models import Audience, Guideline
from tests.factories import PASSWORD, make_member
from values.models import Commitment, CoreValue, Section, Version
from values.textformat import FormatError, export_version, import_draft, parse

from .helpers import adopt, fill, make_base, make_draft


def snapshot(version: Version) -> dict:
    """Every field of every item, in order (positions are renumbered on import)."""
    return {
        "sections": [(s.key, s.title, s.body) for s in version.sections.all()],
        "legal": [
            (b.key, b.law, b.reference, b.text) for b in version.legal_bases.all()
        ],
        "values": [
            (
                v.key,
                v.title,
                v.description,
                [(c.key, c.text) for c in v.commitments.all()],
            )
            for v in version.values.all()
        ],
        "guidelines": [
            (
                g.key,
                g.audience.key,
                g.title,
                g.text,
                g.example,
                sorted(v.key for v in g.related_values.all()),
            )
            for g in version.guidelines.all()
        ],
    }


@pytest.fixture
def rich_version(org):
    base = make_base(org)
    version = make_draft(base, 1, change_summary="Första versionen.\nTvå rader.")
    items = fill(version)
    Section.objects.create(
        version=version,
        key="tricky",
        title="Svåra rader: # - och ---",
        body="## Inte en rubrik\n- inte ett åtagande\n\\snedstreck\n\n"
        "Example: inte ett exempel\naudience: ingen\n---\nÆbler, øl og å.",
        position=2,
    )
    value = CoreValue.objects.create(
        version=version,
        key="care",
        title="Omsorg – *omtanke*",
        description="Första stycket.\n\n- ett streck i beskrivningen",
        position=3,
    )
    Commitment.objects.create(
        value=value, key="two-lines", text="Rad ett\n\nrad tre", position=1
    )
    Commitment.objects.create(value=value, key="plain", text="Enkel.", position=2)
    guideline = Guideline.objects.create(
        version=version,
        key="care-guide",
        audience=items["audience"],
        title="Omsorg i vardagen",
        text="Stycke ett.\n\nExample:\nfortfarande text",
        example="Ett exempel\nmed två rader.",
        position=2,
    )
    guideline.related_values.set([value, items["dignity"]])
    adopt(version, datetime.date(2024, 1, 1))
    return version


@pytest.mark.django_db
def test_export_then_import_reproduces_the_content(rich_version):
    text = export_version(rich_version)
    assert text.startswith("---\nformat: etikrum-value-base 1\n")
    draft = import_draft(value_base=rich_version.value_base, text=text, author=None)
    assert draft.number == 2
    assert draft.is_draft
    assert snapshot(draft) == snapshot(rich_version)
    assert draft.change_summary == rich_version.change_summary
    # And the draft exports to the same text, but for its own header.
    assert export_version(draft).split("---", 2)[2] == text.split("---", 2)[2]


@pytest.mark.django_db
def test_import_creates_missing_audiences(org):
    base = make_base(org)
    text = (
        "---\nformat: etikrum-value-base 1\ntitle: Ny\n---\n\n"
        "## audience leaders: Chefer\n\n## value open: Öppenhet\n\n"
        "## guideline g1: Tid\naudience: leaders\nvalues: open\n\nChefer ger tid.\n"
    )
    draft = import_draft(value_base=base, text=text, author=None)
    audience = Audience.objects.get(organisation=org, key="leaders")
    assert audience.name == "Chefer"
    guideline = draft.guidelines.get()
    assert guideline.audience == audience
    assert [v.key for v in guideline.related_values.all()] == ["open"]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("title: x\n", 1, "must start with a header"),
        ("---\nformat: etikrum-value-base 1\ntitle: x\n", 4, "not closed"),
        ("---\nformat: other\ntitle: x\n---\n", 2, "format: etikrum"),
        ("---\nformat: etikrum-value-base 1\n---\n", 2, "needs a title"),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\ncolour: red\n---\n",
            4,
            "Unknown",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\neffective-from: 1/2/24\n---\n",
            2,
            "date",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\nloose text\n",
            5,
            "outside",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\n## poem p: P\n",
            5,
            "Unknown kind",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\n## section s:\nText\n",
            5,
            "title",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\n## section s: S\n",
            5,
            "needs text",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\n"
            "## value a: A\n\n## value a: B\n",
            7,
            "already used",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\n"
            "## guideline g: G\n\nText\n",
            5,
            "audience",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\n"
            "## guideline g: G\naudience: a\nvalues: ghost\n\nText\n",
            5,
            "ghost",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\n"
            "## value v: V\n\n- [k] one\nnot indented\n",
            8,
            "indent",
        ),
        (
            "---\nformat: etikrum-value-base 1\ntitle: x\n---\n## value Bad_Key: V\n",
            5,
            "key",
        ),
    ],
)
def test_errors_name_their_line(text, line, fragment):
    with pytest.raises(FormatError) as caught:
        parse(text)
    assert any(
        number == line and fragment in message
        for number, message in caught.value.errors
    ), caught.value.errors


def test_all_errors_are_reported_at_once():
    text = (
        "---\nformat: etikrum-value-base 1\ntitle: x\n---\n"
        "## section a:\n\n## poem b: B\n\n## guideline g: G\n\nText\n"
    )
    with pytest.raises(FormatError) as caught:
        parse(text)
    assert [line for line, _ in caught.value.errors] == [5, 5, 7, 9]


@pytest.mark.django_db
def test_nothing_is_saved_on_error(org):
    base = make_base(org)
    text = (
        "---\nformat: etikrum-value-base 1\ntitle: x\n---\n"
        "## value v: V\n\n## guideline g: G\naudience: unknown\n\nText\n"
    )
    with pytest.raises(FormatError) as caught:
        import_draft(value_base=base, text=text, author=None)
    assert caught.value.errors[0][0] == 7
    assert not Version.objects.exists()
    assert not CoreValue.objects.exists()


@pytest.mark.django_db
def test_second_draft_refused(rich_version):
    text = export_version(rich_version)
    import_draft(value_base=rich_version.value_base, text=text, author=None)
    with pytest.raises(FormatError, match="already has a draft"):
        import_draft(value_base=rich_version.value_base, text=text, author=None)
    assert rich_version.value_base.versions.count() == 2


@pytest.mark.django_db
def test_command_imports_and_adopts(org, rich_version, tmp_path):
    path = tmp_path / "vardegrund.md"
    text = export_version(rich_version).replace("2024-01-01", "2025-01-01")
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_value_base",
        str(path),
        org=org.slug,
        base="vardegrund",
        adopt=True,
        stdout=out,
    )
    assert "version 2 (adopted)" in out.getvalue()
    new = rich_version.value_base.versions.get(number=2)
    assert new.effective_from == datetime.date(2025, 1, 1)
    rich_version.refresh_from_db()
    assert rich_version.status == Version.Status.SUPERSEDED


@pytest.mark.django_db
def test_command_reports_file_and_line(org, tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\nformat: etikrum-value-base 1\n---\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.md:2: .*title"):
        call_command("import_value_base", str(path), org=org.slug, base="ny", name="Ny")
    assert not Version.objects.exists()


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
        assert rich_version.value_base.versions.filter(status="draft").count() == 1

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

    def test_staff_forbidden(self, client, org, staff, rich_version):
        client.login(email=staff.user.email, password=PASSWORD)
        response = client.get(self.url(org, rich_version.value_base))
        assert response.status_code == 403


# Texts an editor could type: any printable text, several lines, trimmed as forms do.
texts = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["L", "N", "P", "S", "Zs"],
            exclude_characters="\r",
        ),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)
paragraphs = st.lists(texts, min_size=1, max_size=4).map("\n".join)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=texts.filter(lambda t: "|" not in t), body=paragraphs, example=paragraphs)
def test_export_parse_export_is_stable(org, title, body, example):
    base = make_base(org, slug="prop")
    try:
        version = make_draft(base, 1)
        section = Section.objects.create(version=version, title=title, body=body)
        audience = Audience.objects.get_or_create(
            organisation=org, key="a", defaults={"name": "A"}
        )[0]
        Guideline.objects.create(
            version=version, audience=audience, title=title, text=body, example=example
        )
        text = export_version(version)
        document = parse(text)
        parsed = document.of_kind("section")[0]
        assert (parsed.key, parsed.title, parsed.body) == (
            section.key,
            title,
            body,
        )
        guideline = document.of_kind("guideline")[0]
        assert (guideline.body, guideline.example) == (body, example)
    finally:
        Guideline.objects.filter(version__value_base=base).delete()
        Section.objects.filter(version__value_base=base).delete()
        Version.objects.filter(value_base=base).delete()
        base.delete()
