"""Under test, a missing variable in one of our templates is an error."""

from __future__ import annotations

import pytest
from django.template import engines
from django.template.loader import get_template

from tests.strict_templates import UndefinedTemplateVariable, UndefinedVariable


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_engine_in_use_carries_the_marker():
    assert isinstance(engines["django"].engine.string_if_invalid, UndefinedVariable)


@pytest.mark.parametrize(
    "source",
    [
        "{{ missing }}",
        "{{ person.nickname }}",
        "{{ person.unit.name|default:'-' }}",
        "{% url 'home' %}{{ person.name|upper }}{{ typo }}",
    ],
)
def test_a_missing_variable_or_attribute_raises_and_names_itself(source):
    with pytest.raises(UndefinedTemplateVariable) as raised:
        render(source, person={"unit": None})
    assert "Undefined template variable" in str(raised.value)


def test_a_missing_variable_in_a_project_file_names_the_file():
    page = get_template("values/includes/coming.html")
    with pytest.raises(UndefinedTemplateVariable) as raised:
        page.render({"coming": {"version": {}}})
    assert "values/includes/coming.html" in str(raised.value)
    assert "coming.version.number" in str(raised.value)


@pytest.mark.parametrize(
    "source",
    [
        "{% if missing %}yes{% endif %}",
        "{% for item in missing %}{{ item }}{% endfor %}",
        "{% firstof person.unit.name '-' %}",
        "{% if person.unit %}{{ person.unit.name }}{% endif %}",
    ],
)
def test_tags_made_for_what_may_be_missing_stay_quiet(source):
    assert "None" not in render(source, person={"unit": None})


def test_a_library_template_keeps_django_quiet_behaviour():
    # allauth's field element reads attributes that a plain field does not have.
    page = get_template("allauth/elements/field.html")
    assert page.origin.name.endswith("allauth/elements/field.html")
    page.render({"attrs": {}, "slots": {}})
