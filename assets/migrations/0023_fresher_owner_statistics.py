"""Analyse the assets and their search rows after 2% of their rows change, not PostgreSQL's
default 10% (PostgreSQL only).

The planner knows an owner's share of the rows from the last ANALYZE. An owner who is new
since then counts as almost no rows, so for an importer's first 100,000 assets (10% of a
million) it chose owner-first indexes over the primary key or the external-id index, and
read all of that owner's rows for one asset's page (20 ms, not 0.1). At 2% statistics catch
up after 20,000 rows, and a sample of a million rows takes autovacuum a fraction of a second.
"""

from django.db import migrations

TABLES = ("assets_asset", "assets_assetsearch")


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in TABLES:
                schema_editor.execute(statement.format(table=table))

    return run


class Migration(migrations.Migration):
    dependencies = [("assets", "0022_faster_registration")]

    operations = [
        migrations.RunPython(
            _run("ALTER TABLE {table} SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000)"),
            _run("ALTER TABLE {table} RESET (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)"),
        ),
    ]
