"""The text format as real value bases need it (see docs/value-base-format.md)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guidelines.models import Audience, LeadIn
from tests.factories import make_member, sign_in
from values.compare import compare_versions
from values.textformat import export_version, import_draft, parse, render

from .helpers import adopt, make_base

HEAD = "---\nformat: etikrum-value-base 1\ntitle: Vår värdegrund\n---\n"

# The shape of a Swedish municipal value base: values named in the language of
# the text, guidelines as one-sentence list items under a lead-in per audience.
SWEDISH = (
    HEAD
    + """
## section: Vilka är vi till för?

Vi finns till för kommunens invånare.

## value: Självbestämmande och delaktighet

Var och en bestämmer över sitt eget liv.

- Vi lyssnar på hur den enskilde ser på sin situation.
- Vi planerar *tillsammans* med den enskilde.

## value: Makt och ansvar

Vi är medvetna om den makt vi har.

## audience chefer-på-enheten: Chefer på enheten

Du som är chef ska:

## guideline:
audience: chefer-på-enheten
values: makt-och-ansvar

stödja medarbetarna när de möter etiska konflikter.

Exempel:
Ta upp en svår fråga på arbetsplatsträffen.

## guideline:
audience: chefer-på-enheten

ge tid för samtal om riktlinjerna.
"""
)


def test_keys_come_from_titles_in_any_letters():
    document = parse(HEAD + "## value: Ærlighed og ømhed\n## value: Självbestämmande\n")
    assert [v.key for v in document.values] == ["", ""]  # made on import
    document = parse(
        HEAD + "## value Själv-Bestämmande: S\n## audience chefer-på-enheten: Chefer\n"
        "## value v: V\n\n- [Øvrigt] ett åtagande\n"
    )
    assert document.values[0].key == "sjalv-bestammande"
    assert document.audiences[0].key == "chefer-pa-enheten"
    assert document.values[1].commitments[0].key == "ovrigt"


@pytest.mark.parametrize("marker", ["Exempel:", "Eksempel:", "Example:", "EXEMPEL :"])
def test_the_example_marker_in_every_language(marker):
    document = parse(
        HEAD + "## audience a: A\n## guideline g: G\naudience: a\n\n"
        f"Texten.\n\n{marker} Ett exempel.\n"
    )
    guideline = document.guidelines[0]
    assert (guideline.text, guideline.example) == ("Texten.", "Ett exempel.")


@pytest.mark.parametrize(
    ("language", "marker"),
    [("sv", "Exempel:"), ("da", "Eksempel:"), ("en", "Example:")],
)
def test_export_writes_the_marker_of_the_language(language, marker):
    document = parse(
        HEAD + "## audience a: A\n## guideline g: G\naudience: a\n\n"
        "\\Exempel: is text here.\n\nExample:\nThe example.\n"
    )
    text = render(document, language=language)
    assert f"\n{marker}\nThe example.\n" in text
    assert "\n\\Exempel: is text here.\n" in text
    assert parse(text) == document


@pytest.mark.django_db
def test_a_real_shaped_document_imports(org):
    draft = import_draft(value_base=make_base(org), text=SWEDISH, author=None)
    assert [v.key for v in draft.values.all()] == [
        "sjalvbestammande-och-delaktighet",
        "makt-och-ansvar",
    ]
    assert draft.sections.get().key == "vilka-ar-vi-till-for"
    audience = Audience.objects.get(organisation=org)
    assert (audience.key, audience.name) == ("chefer-pa-enheten", "Chefer på enheten")
    assert LeadIn.objects.get(version=draft).text == "Du som är chef ska:"
    first, second = draft.guidelines.all()
    assert first.title == ""
    assert str(first) == "stödja medarbetarna när de möter etiska konflikter."
    assert first.key == "stodja-medarbetarna-nar-de-moter-etiska"
    assert first.example == "Ta upp en svår fråga på arbetsplatsträffen."
    assert [v.key for v in first.related_values.all()] == ["makt-och-ansvar"]
    assert second.key == "ge-tid-for-samtal-om-riktlinjerna"


@pytest.mark.django_db
def test_export_and_import_keep_untitled_guidelines_and_lead_ins(org):
    draft = import_draft(value_base=make_base(org), text=SWEDISH, author=None)
    text = export_version(draft)
    assert "## guideline stodja-medarbetarna-nar-de-moter-etiska:\n" in text
    assert (
        "## audience chefer-pa-enheten: Chefer på enheten\n\nDu som är chef ska:\n"
        in text
    )
    assert "\nExempel:\n" in text  # the organisation speaks Swedish
    assert render(parse(text), language="sv") == text


@pytest.mark.django_db
def test_lead_ins_and_untitled_guidelines_on_the_page(client, org, staff):
    base = make_base(org)
    draft = import_draft(value_base=base, text=SWEDISH, author=None)
    adopt(draft, datetime.date(2024, 1, 1))
    sign_in(client, staff)
    page = client.get(
        reverse(
            "values:version_detail",
            kwargs={"org": org.slug, "base": base.slug, "number": 1},
        )
    )
    assert "Du som är chef ska:" in page.text
    assert "stödja medarbetarna när de möter etiska konflikter." in page.text
    assert "<em>tillsammans</em>" in page.text
    mine = client.get(
        reverse("guidelines:for_me", kwargs={"org": org.slug, "base": base.slug}),
        {"audience": "chefer-pa-enheten"},
    )
    assert "Du som är chef ska:" in mine.text


# A file without keys over an existing version


REVISED = (
    SWEDISH.replace(
        "Vi planerar *tillsammans* med den enskilde.",
        "Vi planerar *tillsammans* med den enskilde och hans eller hennes närstående.",
    )
    .replace(
        "ge tid för samtal om riktlinjerna.",
        "ge tid för samtal om riktlinjerna varje månad.",
    )
    .replace(
        "## value: Makt och ansvar\n\nVi är medvetna om den makt vi har.\n",
        "## value: Makt och ansvar\n\nVi är medvetna om den makt vi har.\n\n"
        "## value: Professionalitet\n\nVi arbetar med kunskap.\n",
    )
)


@pytest.mark.django_db
def test_a_file_without_keys_is_matched_by_title(org):
    base = make_base(org)
    first = import_draft(value_base=base, text=SWEDISH, author=None)
    adopt(first, datetime.date(2024, 1, 1))
    second = import_draft(value_base=base, text=REVISED, author=None)
    comparison = compare_versions(first, second)
    statuses = {
        (entry.kind, entry.key): entry.status
        for _group, entries in comparison.groups()
        for entry in entries
    }
    assert statuses == {
        ("section", "vilka-ar-vi-till-for"): "unchanged",
        ("value", "sjalvbestammande-och-delaktighet"): "changed",
        ("value", "makt-och-ansvar"): "unchanged",
        ("value", "professionalitet"): "added",
        ("leadin", "chefer-pa-enheten"): "unchanged",
        ("guideline", "stodja-medarbetarna-nar-de-moter-etiska"): "unchanged",
        ("guideline", "ge-tid-for-samtal-om-riktlinjerna"): "changed",
    }
    value = comparison.values[0]
    assert [c.status for c in value.children] == ["unchanged", "changed"]
    assert comparison.counts()["removed"] == 0


@pytest.mark.django_db
def test_a_new_item_never_takes_an_old_key(org):
    base = make_base(org)
    first = import_draft(
        value_base=base, text=HEAD + "## value mod: Integritet\n", author=None
    )
    adopt(first, datetime.date(2024, 1, 1))
    # "Mod" would make the key "mod", which the old "Integritet" holds.
    second = import_draft(value_base=base, text=HEAD + "## value: Mod\n", author=None)
    assert second.values.get().key == "mod-2"
    statuses = [e.status for e in compare_versions(first, second).values]
    assert statuses == ["added", "removed"]


@pytest.mark.django_db
def test_editor_adds_an_untitled_guideline(client, org):
    base = make_base(org)
    draft = import_draft(value_base=base, text=SWEDISH, author=None)
    sign_in(client, make_member(org, "editor"))
    audience = Audience.objects.get(organisation=org)
    response = client.post(
        reverse(
            "values:item_add",
            kwargs={
                "org": org.slug,
                "base": base.slug,
                "number": draft.number,
                "kind": "guideline",
            },
        ),
        {
            "audience": audience.pk,
            "title": "",
            "text": "följa upp **varje** avvikelse.",
        },
    )
    assert response.status_code == 302
    guideline = draft.guidelines.get(text__startswith="följa upp")
    assert guideline.key == "folja-upp-varje-avvikelse"
    assert guideline.title == ""
