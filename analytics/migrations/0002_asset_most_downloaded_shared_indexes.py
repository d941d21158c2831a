"""Partial indexes on assets for the statistics' top lists (most downloaded, most shared).

Without them, each list is a scan of all of the owner's assets (hundreds of milliseconds
at 500,000); with them, reading the first ten entries. They hold only live assets with at
least one download (share), so they stay small. They are on the assets table but exist
for the statistics, hence here, as SQL that Asset's model state does not track (like
assets' search indexes). PostgreSQL builds them CONCURRENTLY, without blocking writes.
"""

from django.db import migrations

INDEXES = {
    "asset_owner_most_downloaded": "(owner_id, download_count DESC, created_at DESC, id DESC) "
    "WHERE deleted_at IS NULL AND download_count > 0",
    "asset_owner_most_shared": "(owner_id, share_count DESC, created_at DESC, id DESC) "
    "WHERE deleted_at IS NULL AND share_count > 0",
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
        ("analytics", "0001_usage_event"),
        ("assets", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
