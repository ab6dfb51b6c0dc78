"""`manage.py import_value_base` answers in the organisation's language."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.factories import make_org
from tests.translations import tr

HEAD = "---\nformat: etikrum-value-base 1\ntitle: x\n---\n"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "da"])
def test_errors_and_success_in_the_organisations_language(language, tmp_path, capsys):
    org = make_org(f"org-{language}", language=language)
    path = tmp_path / "grund.md"
    path.write_text(HEAD + "## section s: S\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_value_base", str(path), org=org.slug, base="g", name="G")
    expected = tr(language, "A section needs text under its heading.")
    assert expected != "A section needs text under its heading."
    assert str(caught.value) == f"{path}:5: {expected}"

    path.write_text(HEAD + "## section s: S\n\nText.\n", encoding="utf-8")
    call_command("import_value_base", str(path), org=org.slug, base="g", name="G")
    with translation.override(language):
        status = translation.gettext("Draft").lower()
        message = translation.gettext(
            "%(file)s was imported as version %(number)s of %(base)s (%(status)s)."
        ) % {"file": path, "number": 1, "base": "g", "status": status}
    assert capsys.readouterr().out.strip() == message
    assert "imported" not in message


@pytest.mark.django_db
def test_an_unknown_organisation_is_named_in_the_default_language(tmp_path):
    path = tmp_path / "grund.md"
    path.write_text(HEAD, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_value_base", str(path), org="nowhere", base="g")
    assert str(caught.value) == tr(
        "sv", "No organisation with the short name “%(slug)s”."
    ) % {"slug": "nowhere"}
