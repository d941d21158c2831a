"""Membership rows carry their asset's creation time and trash state (kept by triggers on
PostgreSQL: collections_app.sql), and a partial index reads a collection's live assets,
newest first, as one range."""

from django.db import migrations, models

from collections_app import sql


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
            _run(sql.BACKFILL, sql.ITEM_OF_ASSET, sql.ITEMS_FOLLOW_TRASH), _run(sql.DROP), elidable=False
        ),
        migrations.AddIndex(
            model_name='collectionitem',
            index=models.Index(condition=models.Q(('asset_alive', True)), fields=['collection', '-asset_created_at', '-asset'], name='collection_item_live_newest'),
        ),
    ]
