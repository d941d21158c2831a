"""PostgreSQL-only search indexes: full-text (GIN) and trigram (id fragments).

(Partial model names are matched through a skip scan of the (owner, model) btree index
instead: see assets.filters.matching_model_names.)

They are expression or GIN indexes that SQLite cannot build, so they live here rather
than in Meta.indexes; on other databases this migration does nothing.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS asset_search_vector_gin ON assets_asset USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS asset_id_hex_trgm ON assets_asset "
    "USING gin ((replace(id::text, '-', '')) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS taggit_tag_upper_name ON taggit_tag (upper(name::text))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS taggit_tag_upper_name",
    "DROP INDEX IF EXISTS asset_id_hex_trgm",
    "DROP INDEX IF EXISTS asset_search_vector_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0002_asset_search_vector"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
