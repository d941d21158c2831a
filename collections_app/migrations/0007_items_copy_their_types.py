"""Membership rows copy their asset's type too (collections_app.sql's triggers), and a
partial index reads a collection's live assets of one type, newest first, as one range."""

import importlib

from django.db import migrations, models

from collections_app import sql

# The triggers as 0005 made them, to go back to.
before = importlib.import_module("collections_app.migrations.0005_items_copy_their_assets")


def _run(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0023_fresher_owner_statistics'),
        ('collections_app', '0006_share_downloads'),
    ]

    operations = [
        migrations.AddField(
            model_name='collectionitem',
            name='asset_type',
            field=models.CharField(blank=True, editable=False, max_length=10),
        ),
        migrations.RunPython(
            _run(sql.BACKFILL_TYPES, sql.ITEM_OF_ASSET, sql.ITEMS_FOLLOW_TRASH),
            _run(before.ITEM_OF_ASSET_0005, before.ITEMS_FOLLOW_TRASH_0005),
            elidable=False,
        ),
        migrations.AddIndex(
            model_name='collectionitem',
            index=models.Index(condition=models.Q(('asset_alive', True)), fields=['collection', 'asset_type', '-asset_created_at', '-asset'], name='collection_item_live_type'),
        ),
    ]
