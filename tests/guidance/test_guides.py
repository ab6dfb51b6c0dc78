"""A guide to every built-in method, reachable from the method and the session."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from guidance.guides import BY_KEY, guide_for
from reflections import builtin
from tests.factories import make_member, make_org, sign_in

pytestmark = pytest.mark.django_db


def guide_url(org, key: str) -> str:
    return reverse("guidance:method_guide", kwargs={"org": org.slug, "key": key})


def test_every_builtin_method_has_a_guide_step_by_step():
    assert {spec["key"] for spec in builtin.METHODS} == set(BY_KEY)
    for spec in builtin.METHODS:
        guide = BY_KEY[spec["key"]]
        assert len(guide.steps) == len(spec["steps"]), spec["key"]
        assert guide.pitfalls
        # Found by name too: a session keeps the method's name, not its key.
        for language in ("sv", "da", "en"):
            with translation.override(language):
                assert guide_for(name=str(spec["name"])) is guide


@pytest.mark.parametrize("language", ["sv", "da", "en"])
@pytest.mark.parametrize("key", [spec["key"] for spec in builtin.METHODS])
def test_the_guide_page_in_each_language(client, language, key):
    org = make_org(f"guide-{language}", language=language)
    sign_in(client, make_member(org, "facilitator"))

    response = client.get(guide_url(org, key))

    assert response.status_code == 200
    content = response.content.decode()
    guide = BY_KEY[key]
    with translation.override(language):
        assert f"<h1>{guide.name}</h1>" in content
        for heading in (
            "What the method is for",
            "How long it takes",
            "How to run each step",
            "Pitfalls",
        ):
            assert f">{translation.gettext(heading)}</h2>" in content
        for _title, how in guide.steps:
            assert str(how).replace('"', "&quot;") in content
        if language != "en":
            with translation.override("en"):
                english = str(guide.purpose)
            assert str(guide.purpose) != english
            assert str(guide.purpose) in content


def test_an_unknown_method_has_no_guide(client, org, staff):
    sign_in(client, staff)
    assert client.get(guide_url(org, "no-such-method")).status_code == 404


def test_anonymous_and_other_organisations(client, org, outsider):
    response = client.get(guide_url(org, "dilemma-method"))
    assert response.status_code == 302
    sign_in(client, outsider)
    assert client.get(guide_url(org, "dilemma-method")).status_code == 404


def test_the_sessions_first_step_links_the_guide(client, org, facilitator, reflection):
    sign_in(client, facilitator)
    kwargs = {"org": org.slug, "reflection_uuid": reflection.uuid}

    first = client.get(reverse("reflections:step", kwargs={**kwargs, "position": 1}))
    second = client.get(reverse("reflections:step", kwargs={**kwargs, "position": 2}))

    url = guide_url(org, "dilemma-method")
    assert f'href="{url}"' in first.content.decode()
    assert "En guide för samtalsledare" in first.content.decode()
    assert f'href="{url}"' not in second.content.decode()


def test_an_adapted_copy_has_no_guide_of_its_own(client, org, facilitator):
    from reflections.models import Method

    original = Method.objects.seeded_for(org).get(key="five-step-model")
    copy = original.copy(name="Vår egen modell")
    sign_in(client, facilitator)

    response = client.get(
        reverse(
            "reflections:method_detail",
            kwargs={"org": org.slug, "method_uuid": copy.uuid},
        )
    )

    assert response.status_code == 200
    assert "/help/guides/" not in response.content.decode()
    assert guide_for() is None
    assert guide_for(name="Vår egen modell") is None
