"""A partial index on assets for the statistics' most used list, as 0002's for the most
downloaded and most shared: only live assets with at least one usage, read ten entries at a
time instead of sorting every used asset of the owner."""

from django.db import migrations

INDEXES = {
    "asset_owner_most_used": "(owner_id, usage_count DESC, created_at DESC, id DESC) "
    "WHERE deleted_at IS NULL AND usage_count > 0",
}


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON assets_asset {definition}")


def drop(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("analytics", "0008_usage_rollups"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
