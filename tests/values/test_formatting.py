"""Texts keep their formatting (a safe Markdown subset) wherever they are shown."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from lib.markdown import to_html, to_plain
from tests.factories import make_member, sign_in

from .helpers import adopt, fill, make_base, make_draft

FORMATTED = (
    "Vi arbetar *tillsammans* med **brukaren**.\n\n"
    "- först lyssnar vi\n"
    "  - på brukaren\n"
    "  - på närstående\n"
    "- sedan [läser vi mer](https://example.se/etik)"
)


def test_the_subset():
    html = to_html(FORMATTED)
    assert "<em>tillsammans</em>" in html
    assert "<strong>brukaren</strong>" in html
    assert "<li>först lyssnar vi\n<ul>\n<li>på brukaren</li>" in html
    assert '<a href="https://example.se/etik" rel="noopener noreferrer">' in html
    assert "*" not in html


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;"),
        ("[klicka](javascript:alert(1))", "[klicka](javascript:alert(1))"),
        ('<a href="javascript:alert(1)">x</a>', "&lt;a href="),
        ("![bild](https://example.se/b.png)", "!"),
        ("### inte en rubrik", "### inte en rubrik"),
    ],
)
def test_everything_else_stays_text(text, kept):
    html = to_html(text)
    assert kept in html
    assert "<script" not in html
    assert "<img" not in html
    assert "<h3" not in html
    assert '<a href="javascript' not in html


def test_plain_words():
    assert to_plain(FORMATTED) == (
        "Vi arbetar tillsammans med brukaren.\n"
        "först lyssnar vi\npå brukaren\npå närstående\nsedan läser vi mer"
    )


@pytest.fixture
def formatted(org):
    version = make_draft(make_base(org))
    items = fill(version)
    items["section"].body = FORMATTED
    items["section"].save()
    items["commitment"].text = "Vi *lyssnar* innan vi bestämmer."
    items["commitment"].save()
    items["guideline"].text = "Vi möter **alla** med respekt."
    items["guideline"].example = "Ett *exempel*."
    items["guideline"].save()
    items["dignity"].description = "Alla har **samma** värde."
    items["dignity"].save()
    adopt(version, datetime.date(2024, 1, 1))
    return version


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("values:version_detail", {"number": 1}),
        ("values:value_detail", {"number": 1, "key": "dignity"}),
        ("guidelines:detail", {"number": 1, "key": "respect-clients"}),
        ("guidelines:for_me", {}),
    ],
)
def test_pages_render_formatting(client, org, staff, formatted, name, extra):
    sign_in(client, staff)
    response = client.get(
        reverse(name, kwargs={"org": org.slug, "base": "vardegrund", **extra})
    )
    assert response.status_code == 200
    text = response.text
    assert "**" not in text
    if name == "values:version_detail":
        assert "<em>tillsammans</em>" in text
        assert "<li>på brukaren</li>" in text
        assert "<em>lyssnar</em>" in text
    if name in ("values:version_detail", "values:value_detail"):
        assert "<strong>samma</strong>" in text
    if name != "values:value_detail":
        assert "<strong>alla</strong>" in text
        assert "<em>exempel</em>" in text


@pytest.mark.django_db
def test_print_uses_the_same_formatted_page(client, org, staff, formatted):
    sign_in(client, staff)
    response = client.get(
        reverse(
            "values:version_detail",
            kwargs={"org": org.slug, "base": "vardegrund", "number": 1},
        )
    )
    assert 'media="print"' in response.text
    assert "<strong>brukaren</strong>" in response.text


@pytest.mark.django_db
def test_compare_names_a_formatting_change(client, org, formatted):
    draft = formatted.start_next_draft(author=None)
    commitment = draft.values.get(key="dignity").commitments.get()
    commitment.text = "Vi **lyssnar** innan vi bestämmer."
    commitment.save()
    sign_in(client, make_member(org, "editor"))
    response = client.get(
        reverse("values:compare", kwargs={"org": org.slug, "base": "vardegrund"})
    )
    assert response.status_code == 200
    assert "**" not in response.text
    assert "*lyssnar*" not in response.text
    # The whole commitment, not a cut heading, with a note on what changed.
    assert "Vi lyssnar innan vi bestämmer." in response.text
    entry = response.context["comparison"].values[0].children[0]
    assert entry.changes[0].formatting_only


@pytest.mark.django_db
def test_word_export_keeps_the_formatting(client, org, staff, formatted):
    import io

    import docx

    sign_in(client, staff)
    response = client.get(
        reverse(
            "values:export_word",
            kwargs={"org": org.slug, "base": "vardegrund", "number": 1},
        )
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('vardegrund-v1.docx"')
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert not any("*" in text for text in texts)
    runs = {run.text: run for p in paragraphs for run in p.runs}
    assert runs["tillsammans"].italic
    assert runs["brukaren"].bold
    assert runs["lyssnar"].italic  # in the commitment
    styles = {p.text: p.style.name for p in paragraphs}
    assert styles["först lyssnar vi"] == "List Bullet"
    assert styles["på brukaren"] == "List Bullet 2"
    assert styles["Människors lika värde"] == "Heading 2"
    links = [link for p in paragraphs for link in p.hyperlinks]
    assert [(link.text, link.address) for link in links] == [
        ("läser vi mer", "https://example.se/etik")
    ]


@pytest.mark.django_db
def test_word_export_of_a_draft_is_for_editors(client, org, staff):
    version = make_draft(make_base(org))
    fill(version)
    page = reverse(
        "values:export_word",
        kwargs={"org": org.slug, "base": "vardegrund", "number": 1},
    )
    sign_in(client, staff)
    assert client.get(page).status_code == 404
    sign_in(client, make_member(org, "editor"))
    assert client.get(page).status_code == 200
    assert client.post(page).status_code == 405
