"""Leave 10% of each asset page free (PostgreSQL), so that counter and favourite updates
stay on the same page as HOT updates and do not touch the indexes."""

from django.db import migrations


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("assets", "0006_asset_search_side_table")]

    operations = [
        migrations.RunPython(
            _run("ALTER TABLE assets_asset SET (fillfactor = 90)"),
            _run("ALTER TABLE assets_asset RESET (fillfactor)"),
        ),
    ]
