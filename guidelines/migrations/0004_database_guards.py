"""PostgreSQL: guidelines of adopted versions, and their links to values, are fixed.

Uses values_content_guard() from values.0002_database_guards.
"""

from __future__ import annotations

from django.db import migrations

PG_FORWARD = r"""
CREATE TRIGGER guidelines_guideline_guard BEFORE INSERT OR UPDATE OR DELETE
    ON guidelines_guideline FOR EACH ROW
    EXECUTE FUNCTION values_content_guard('version');
CREATE TRIGGER guidelines_related_values_guard BEFORE INSERT OR UPDATE OR DELETE
    ON guidelines_guideline_related_values FOR EACH ROW
    EXECUTE FUNCTION values_content_guard('guideline');
"""

PG_BACKWARD = r"""
DROP TRIGGER IF EXISTS guidelines_related_values_guard
    ON guidelines_guideline_related_values;
DROP TRIGGER IF EXISTS guidelines_guideline_guard ON guidelines_guideline;
"""


def _run(schema_editor, sql: str) -> None:
    # A plain cursor: PL/pgSQL's '%' placeholders are not query parameters.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, PG_FORWARD)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("guidelines", "0003_guideline"),
        ("values", "0002_database_guards"),
    ]

    operations = [migrations.RunPython(forward, backward)]
