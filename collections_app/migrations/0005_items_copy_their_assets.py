"""Membership rows carry their asset's creation time and trash state (kept by triggers on
PostgreSQL: collections_app.sql), and a partial index reads a collection's live assets,
newest first, as one range."""

from django.db import migrations, models

from collections_app import sql

# The triggers as this migration made them (collections_app.sql has moved on since:
# 0007 copies the type too), so that migrating from scratch makes each step's own.
ITEM_OF_ASSET_0005 = """
CREATE OR REPLACE FUNCTION collection_item_copies_its_asset() RETURNS trigger AS $$
BEGIN
    SELECT a.created_at, a.deleted_at IS NULL INTO NEW.asset_created_at, NEW.asset_alive
    FROM assets_asset AS a WHERE a.id = NEW.asset_id;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS collection_item_copies_its_asset ON collections_app_collectionitem;
CREATE TRIGGER collection_item_copies_its_asset BEFORE INSERT ON collections_app_collectionitem
    FOR EACH ROW EXECUTE FUNCTION collection_item_copies_its_asset();
"""
ITEMS_FOLLOW_TRASH_0005 = """
CREATE OR REPLACE FUNCTION collection_items_follow_trash() RETURNS trigger AS $$
BEGIN
    UPDATE collections_app_collectionitem AS ci SET asset_alive = (n.deleted_at IS NULL)
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE ci.asset_id = n.id AND (o.deleted_at IS NULL) <> (n.deleted_at IS NULL);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS collection_items_follow_trash ON assets_asset;
CREATE TRIGGER collection_items_follow_trash AFTER UPDATE ON assets_asset
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION collection_items_follow_trash();
"""


def _run(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0023_fresher_owner_statistics'),
        ('collections_app', '0004_collection_holds_others'),
    ]

    operations = [
        migrations.AddField(
            model_name='collectionitem',
            name='asset_alive',
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddField(
            model_name='collectionitem',
            name='asset_created_at',
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(
            _run(sql.BACKFILL, ITEM_OF_ASSET_0005, ITEMS_FOLLOW_TRASH_0005), _run(sql.DROP), elidable=False
        ),
        migrations.AddIndex(
            model_name='collectionitem',
            index=models.Index(condition=models.Q(('asset_alive', True)), fields=['collection', '-asset_created_at', '-asset'], name='collection_item_live_newest'),
        ),
    ]
