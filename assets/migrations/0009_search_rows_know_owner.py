"""Search rows carry their asset's owner and creation time.

A keyword search then ranks, counts and pages an owner's matches from the search rows
alone (the GIN index moves to (owner_id, vector), through btree_gin), leaving out the
owner's trashed matches from the trash index, which gains the id for that. Triggers keep
the copies equal to the asset's on PostgreSQL; SQLite keeps no search rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FOLLOW_ASSET = """
CREATE OR REPLACE FUNCTION assets_search_follows_asset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assets_assetsearch SET owner_id = NEW.owner_id, created_at = NEW.created_at
    WHERE asset_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER assets_search_follows_asset
    AFTER UPDATE OF owner_id, created_at ON assets_asset FOR EACH ROW
    WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION assets_search_follows_asset();
"""

# A search row written without the copies (by a process still running the code from
# before this migration, during a deploy) takes them from its asset.
FILL_FROM_ASSET = """
CREATE OR REPLACE FUNCTION assets_search_fills_copies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.owner_id, a.created_at INTO NEW.owner_id, NEW.created_at
    FROM assets_asset a WHERE a.id = NEW.asset_id;
    RETURN NEW;
END $$;
CREATE TRIGGER assets_search_fills_copies
    BEFORE INSERT OR UPDATE ON assets_assetsearch FOR EACH ROW
    WHEN (NEW.owner_id IS NULL OR NEW.created_at IS NULL)
    EXECUTE FUNCTION assets_search_fills_copies();
"""

FORWARD = [
    "UPDATE assets_assetsearch s SET owner_id = a.owner_id, created_at = a.created_at "
    "FROM assets_asset a WHERE a.id = s.asset_id",
    FOLLOW_ASSET,
    FILL_FROM_ASSET,
]
INDEX_FORWARD = [
    # Left in place when migrating back: other indexes may use it.
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX asset_search_owner_vector ON assets_assetsearch USING gin (owner_id, vector)",
    "DROP INDEX IF EXISTS asset_search_vector_gin_v2",
]
INDEX_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS asset_search_vector_gin_v2 ON assets_assetsearch USING gin (vector)",
    "DROP INDEX IF EXISTS asset_search_owner_vector",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS assets_search_follows_asset ON assets_asset",
    "DROP FUNCTION IF EXISTS assets_search_follows_asset()",
    "DROP TRIGGER IF EXISTS assets_search_fills_copies ON assets_assetsearch",
    "DROP FUNCTION IF EXISTS assets_search_fills_copies()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0008_trash_writes_fewer_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assetsearch",
            name="created_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="assetsearch",
            name="owner",
            field=models.ForeignKey(
                db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+", to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
        migrations.AlterField(
            model_name="assetsearch",
            name="created_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="assetsearch",
            name="owner",
            field=models.ForeignKey(
                db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+", to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(_run(INDEX_FORWARD), _run(INDEX_BACKWARD)),
        migrations.RemoveIndex(
            model_name="asset",
            name="asset_owner_trash",
        ),
        migrations.AddIndex(
            model_name="asset",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", False)), fields=["owner", "-deleted_at", "-id"],
                name="asset_owner_trash_order",
            ),
        ),
    ]
