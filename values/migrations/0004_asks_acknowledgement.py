"""A version may ask its members to confirm that they have read what changed.

Versions adopted before this existed asked nothing, so they get False; a new
adoption asks by default. The PostgreSQL guard keeps the choice fixed once the
version is adopted, like the rest of its adoption record.
"""

import importlib

from django.db import migrations, models

earlier = importlib.import_module("values.migrations.0003_retroactive_reason")
EXTRA_NEW = ", NEW.retroactive_reason, NEW.asks_acknowledgement"
EXTRA_OLD = ", OLD.retroactive_reason, OLD.asks_acknowledgement"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        earlier._run(
            schema_editor,
            earlier.GUARD.replace("{extra_new}", EXTRA_NEW).replace(
                "{extra_old}", EXTRA_OLD
            ),
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        earlier._run(
            schema_editor,
            earlier.GUARD.replace("{extra_new}", ", NEW.retroactive_reason").replace(
                "{extra_old}", ", OLD.retroactive_reason"
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("values", "0003_retroactive_reason")]

    operations = [
        # SQLite builds the table anew for a new column, which drops its
        # triggers: they are set up again after each step, both ways.
        migrations.RunPython(
            migrations.RunPython.noop, earlier.restore_sqlite_triggers
        ),
        migrations.AddField(
            model_name="version",
            name="asks_acknowledgement",
            field=models.BooleanField(
                default=False,
                verbose_name="asks members to confirm they have read it",
            ),
        ),
        migrations.AlterField(
            model_name="version",
            name="asks_acknowledgement",
            field=models.BooleanField(
                default=True,
                verbose_name="asks members to confirm they have read it",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RunPython(
            earlier.restore_sqlite_triggers, earlier.restore_sqlite_triggers
        ),
    ]
