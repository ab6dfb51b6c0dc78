"""The glossary: every term in three languages, and the pages that link to it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from guidance.glossary import TERMS, terms_in
from reflections import builtin
from tests.factories import make_member, make_org, sign_in

CORE = ["value", "norm", "value-conflict", "trade-off", "dilemma", "perspective"]

pytestmark = pytest.mark.django_db


def glossary_url(org) -> str:
    return reverse("guidance:glossary", kwargs={"org": org.slug})


@pytest.mark.parametrize("language", ["sv", "da", "en"])
def test_every_term_is_on_the_page_in_the_organisations_language(client, language):
    org = make_org(f"glossary-{language}", language=language)
    sign_in(client, make_member(org, "staff"))

    response = client.get(glossary_url(org))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}"' in content
    assert content.count("<dt id=") == len(TERMS)
    with translation.override(language):
        for term in TERMS:
            name, definition = str(term.name), str(term.definition)
            assert f'<dt id="{term.slug}">{name[0].upper()}{name[1:]}</dt>' in content
            assert definition.replace('"', "&quot;").replace("'", "&#x27;") in content
            if language != "en":
                # Translated, not the English source left in place.
                with translation.override("en"):
                    assert definition != str(term.definition), term.slug


def test_the_glossary_has_the_words_every_reflection_uses():
    assert [t.slug for t in TERMS if t.core] == CORE


@pytest.mark.parametrize("language", ["sv", "da", "en"])
def test_every_step_of_every_builtin_method_links_a_term(language):
    with translation.override(language):
        for spec in builtin.METHODS:
            for title, _guidance, _kind, _minutes in spec["steps"]:
                assert terms_in(str(title)), (spec["key"], str(title))


def test_words_are_found_whole_not_inside_other_words():
    with translation.override("en"):
        assert [t.slug for t in terms_in("Evaluation")] == ["closing-round"]
        assert "value" not in [t.slug for t in terms_in("Evaluation")]
    with translation.override("sv"):
        assert "value" not in [t.slug for t in terms_in("Utvärdering")]
        assert {"perspective", "value", "norm"} <= {
            t.slug for t in terms_in("Perspektiv, värden och normer")
        }


def test_anonymous_is_sent_to_sign_in(client, org):
    response = client.get(glossary_url(org))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_organisation_gets_404(client, org, outsider):
    sign_in(client, outsider)
    assert client.get(glossary_url(org)).status_code == 404


def test_post_is_not_allowed(client, org, staff):
    sign_in(client, staff)
    assert client.post(glossary_url(org)).status_code == 405


def test_help_index_links_the_glossary_and_every_guide(client, org, staff):
    sign_in(client, staff)
    response = client.get(reverse("guidance:index", kwargs={"org": org.slug}))
    content = response.content.decode()
    assert response.status_code == 200
    assert f'href="{glossary_url(org)}"' in content
    for spec in builtin.METHODS:
        url = reverse(
            "guidance:method_guide", kwargs={"org": org.slug, "key": spec["key"]}
        )
        assert f'href="{url}"' in content


def test_the_step_page_links_the_words_of_its_title(
    client, org, facilitator, reflection
):
    sign_in(client, facilitator)
    url = glossary_url(org)

    step = client.get(
        reverse(
            "reflections:step",
            kwargs={"org": org.slug, "reflection_uuid": reflection.uuid, "position": 4},
        )
    )

    content = step.content.decode()
    assert step.status_code == 200
    # "Perspektiv, värden och normer"
    assert "Ord som förklaras i ordlistan:" in content
    for slug in ("value", "norm", "perspective"):
        assert f'href="{url}#{slug}"' in content
    assert f'href="{url}#trade-off"' not in content


def test_the_method_page_links_its_guide_and_its_words(client, org, facilitator):
    from reflections.models import Method

    method = Method.objects.seeded_for(org).get(key="four-principles")
    sign_in(client, facilitator)

    response = client.get(
        reverse(
            "reflections:method_detail",
            kwargs={"org": org.slug, "method_uuid": method.uuid},
        )
    )

    content = response.content.decode()
    guide = reverse(
        "guidance:method_guide", kwargs={"org": org.slug, "key": "four-principles"}
    )
    assert f'href="{guide}"' in content
    for slug in ("autonomy", "not-harming", "doing-good", "justice", "position"):
        assert f'href="{glossary_url(org)}#{slug}"' in content


def test_the_dilemma_form_explains_dilemma_value_conflict_and_trade_off(
    client, org, staff, group
):
    sign_in(client, staff)
    response = client.get(reverse("dilemmas:create", kwargs={"org": org.slug}))
    content = response.content.decode()
    assert response.status_code == 200
    for slug in ("dilemma", "value-conflict", "trade-off"):
        assert f'href="{glossary_url(org)}#{slug}"' in content
    assert ">värdekonflikt</a>" in content


@pytest.mark.parametrize("role", ["staff", "facilitator", "manager", "editor", "admin"])
def test_every_role_finds_help_in_the_menu(client, org, unit, role):
    sign_in(client, make_member(org, role, unit=unit))
    help_url = reverse("guidance:index", kwargs={"org": org.slug})

    dashboard = client.get(reverse("organisations:dashboard", kwargs={"org": org.slug}))
    page = client.get(help_url)

    assert f'<a href="{help_url}" >Hjälp</a>' in dashboard.content.decode()
    assert page.status_code == 200
    assert f'<a href="{help_url}" aria-current="page">Hjälp</a>' in (
        page.content.decode()
    )
