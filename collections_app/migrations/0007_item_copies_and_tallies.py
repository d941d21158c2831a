"""Membership rows copy their asset's type and status too (collections_app.sql's
triggers), partial indexes read a collection's live assets of one type or one status,
newest first, as one range, and each collection's count of live assets is kept in a
tally (CollectionTally, by triggers)."""

import importlib

import django.db.models.deletion
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
        migrations.CreateModel(
            name='CollectionTally',
            fields=[
                ('collection', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='tally', serialize=False, to='collections_app.collection')),
                ('live_assets', models.IntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='collectionitem',
            name='asset_type',
            field=models.CharField(blank=True, editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name='collectionitem',
            name='asset_status',
            field=models.CharField(blank=True, editable=False, max_length=12),
        ),
        migrations.RunPython(
            _run(sql.BACKFILL_TYPES, sql.TALLY_BACKFILL, sql.ITEM_OF_ASSET, sql.ITEMS_FOLLOW_TRASH, sql.TALLY_ITEMS),
            _run(sql.TALLY_DROP, before.ITEM_OF_ASSET_0005, before.ITEMS_FOLLOW_TRASH_0005),
            elidable=False,
        ),
        migrations.AddIndex(
            model_name='collectionitem',
            index=models.Index(condition=models.Q(('asset_alive', True)), fields=['collection', 'asset_type', '-asset_created_at', '-asset'], name='collection_item_live_type'),
        ),
        migrations.AddIndex(
            model_name='collectionitem',
            index=models.Index(condition=models.Q(('asset_alive', True)), fields=['collection', 'asset_status', '-asset_created_at', '-asset'], name='collection_item_live_status'),
        ),
    ]
