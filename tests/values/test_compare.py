from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guidelines.models import Guideline
from tests.factories import PASSWORD
from values.compare import compare_versions, render_diff, word_diff
from values.models import Commitment, CoreValue

from .helpers import adopt, fill, make_base, make_draft


def test_word_diff_marks_words_and_keeps_punctuation():
    diff = word_diff("Vi lyssnar på brukaren.", "Vi lyssnar noga på brukaren!")
    assert diff == [
        ("equal", "Vi lyssnar "),
        ("insert", "noga "),
        ("equal", "på "),
        ("delete", "brukaren."),
        ("insert", "brukaren!"),
    ]
    assert (
        "".join(t for op, t in diff if op != "delete") == "Vi lyssnar noga på brukaren!"
    )
    assert "".join(t for op, t in diff if op != "insert") == "Vi lyssnar på brukaren."


def test_render_diff_escapes():
    html = render_diff(word_diff("a <b>", "a <script>x</script>"))
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert re.search(r"<ins><span[^>]*>[^<]*</span>&lt;script&gt;x", html)
    assert re.search(r"<del><span[^>]*>[^<]*</span>&lt;b&gt;", html)


@pytest.fixture
def pair(org):
    base = make_base(org)
    old = make_draft(base, 1)
    items = fill(old)
    adopt(old, datetime.date(2024, 1, 1))
    new = old.start_next_draft(author=None)
    return old, new, items


def _entry(entries, key):
    return next(e for e in entries if e.key == key)


@pytest.mark.django_db
def test_detects_each_kind_of_change(pair):
    old, new, _ = pair
    dignity = new.values.get(key="dignity")
    dignity.description = "Alla har samma värde."
    dignity.save()
    Commitment.objects.create(value=dignity, key="new-one", text="Vi hälsar.")
    new.values.get(key="integrity").delete()
    CoreValue.objects.create(version=new, key="trust", title="Tillit")
    guideline = new.guidelines.get()
    guideline.related_values.set([dignity])
    new.sections.get().delete()

    comparison = compare_versions(old, new)

    assert _entry(comparison.values, "dignity").status == "changed"
    assert [c.name for c in _entry(comparison.values, "dignity").changes] == [
        "description"
    ]
    assert _entry(_entry(comparison.values, "dignity").children, "new-one").status == (
        "added"
    )
    assert _entry(comparison.values, "integrity").status == "removed"
    assert _entry(comparison.values, "trust").status == "added"
    assert _entry(comparison.sections, "background").status == "removed"
    assert _entry(comparison.legal_bases, "sol-1-1").status == "unchanged"
    changed_guideline = _entry(comparison.guidelines, "respect-clients")
    assert [c.name for c in changed_guideline.changes] == ["related_values"]
    assert comparison.counts() == {
        "added": 2,
        "removed": 2,
        "changed": 2,
        "unchanged": 1,
    }


@pytest.mark.django_db
def test_queries_do_not_grow(pair, org):
    old, new, items = pair

    def count():
        with CaptureQueriesContext(connection) as queries:
            comparison = compare_versions(old, new)
            for entry in comparison.guidelines:
                for change in entry.changes:
                    str(change.html)
        return len(queries)

    small = count()
    for i in range(10):
        value = CoreValue.objects.create(version=new, title=f"Värde {i}")
        Commitment.objects.create(value=value, text="Åtagande")
        guideline = Guideline.objects.create(
            version=new, audience=items["audience"], title=f"R {i}", text="T"
        )
        guideline.related_values.set([value])
    assert count() == small


@pytest.mark.django_db
def test_compare_page(client, org, staff, pair):
    old, new, _ = pair
    value = new.values.get(key="dignity")
    value.title = "Lika värde för alla"
    value.save()
    adopt(new, datetime.date(2025, 1, 1))
    client.login(email=staff.user.email, password=PASSWORD)
    url = reverse("values:compare", kwargs={"org": org.slug, "base": "vardegrund"})
    response = client.get(url, {"from": 1, "to": 2})
    assert response.status_code == 200
    hidden = r'(?:<span class="visually-hidden">[^<]*</span>)?'
    assert re.search(rf"<del>{hidden}[^<]*Människors", response.text)
    assert re.search(rf"<ins>{hidden}[^<]*Lika", response.text)
    assert response.context["old"] == old
    # Junk in the query string falls back to the latest two versions.
    assert client.get(url, {"from": "x", "to": "99"}).status_code == 200


@pytest.mark.django_db
def test_compare_page_shows_added_and_removed_items_of_every_kind(
    client, org, staff, pair
):
    old, new, items = pair
    dignity = new.values.get(key="dignity")
    Commitment.objects.create(value=dignity, key="greet", text="Vi hälsar alltid.")
    CoreValue.objects.create(version=new, key="trust", title="Tillit")
    new.values.get(key="integrity").delete()
    Guideline.objects.create(
        version=new, audience=items["audience"], key="new-g", title="Ny", text="Ny text"
    )
    new.sections.get().delete()
    adopt(new, datetime.date(2025, 1, 1))
    client.login(email=staff.user.email, password=PASSWORD)
    url = reverse("values:compare", kwargs={"org": org.slug, "base": "vardegrund"})
    response = client.get(url, {"from": 1, "to": 2})
    assert response.status_code == 200
    for text in ["Vi hälsar alltid.", "Ny text", "Vi skyddar det privata."]:
        assert text in response.text
