"""Move search data beside the asset: AssetSearch holds the vector and the id trigrams.

On PostgreSQL the existing vectors are copied over and the GIN indexes move with them;
the asset row keeps no GIN index, so trashing, restoring and counting no longer rewrite
hundreds of index entries per asset.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FORWARD = [
    "INSERT INTO assets_assetsearch (asset_id, vector) SELECT id, search_vector FROM assets_asset",
    "CREATE INDEX asset_search_vector_gin_v2 ON assets_assetsearch USING gin (vector)",
    "CREATE INDEX asset_search_id_hex_trgm ON assets_assetsearch "
    "USING gin ((replace(asset_id::text, '-', '')) gin_trgm_ops)",
    "DROP INDEX IF EXISTS asset_search_vector_gin",
    "DROP INDEX IF EXISTS asset_id_hex_trgm",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS asset_id_hex_trgm ON assets_asset USING gin ((replace(id::text, '-', '')) gin_trgm_ops)",
    "UPDATE assets_asset a SET search_vector = s.vector FROM assets_assetsearch s WHERE s.asset_id = a.id",
    "CREATE INDEX IF NOT EXISTS asset_search_vector_gin ON assets_asset USING gin (search_vector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0005_asset_filter_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="AssetSearch",
            fields=[
                ("asset", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                               related_name="search", serialize=False, to="assets.asset")),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
        migrations.RemoveField(model_name="asset", name="search_vector"),
    ]
