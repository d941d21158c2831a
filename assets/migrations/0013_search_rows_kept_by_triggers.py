"""The search rows are kept by triggers declared on the models they follow (django-pgtrigger,
PostgreSQL only): new assets, edits of what search reads, tags added, removed or renamed.
The hand-written triggers of 0009 go."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

# Migration 0009's triggers (PostgreSQL): the new ones below do their work.
DROP_0009 = [
    "DROP TRIGGER IF EXISTS assets_search_follows_asset ON assets_asset",
    "DROP FUNCTION IF EXISTS assets_search_follows_asset()",
    "DROP TRIGGER IF EXISTS assets_search_fills_copies ON assets_assetsearch",
    "DROP FUNCTION IF EXISTS assets_search_fills_copies()",
]


def drop_0009_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_0009:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0012_drop_global_tag_links'),
    ]

    operations = [
        migrations.RunPython(drop_0009_triggers, migrations.RunPython.noop, elidable=False),
        pgtrigger.migrations.AddTrigger(
            model_name='asset',
            trigger=pgtrigger.compiler.Trigger(name='search_rows_of_new_assets', sql=pgtrigger.compiler.UpsertTriggerSql(func="INSERT INTO assets_assetsearch (asset_id, owner_id, created_at, vector) SELECT a.id, a.owner_id, a.created_at, \n    setweight(to_tsvector('english', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce((SELECT string_agg(t.name, ' ') FROM assets_taggedasset ta\n    JOIN assets_tag t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id), '')), 'A')\n || setweight(to_tsvector('english', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.model, '')), 'B')\n || setweight(to_tsvector('simple', replace(coalesce(a.model, ''), '-', ' ')), 'B')\n || setweight(to_tsvector('english', coalesce(a.description, '')), 'C')\n || setweight(to_tsvector('simple', coalesce(a.description, '')), 'C')\n FROM new_rows AS a ON CONFLICT (asset_id) DO UPDATE SET vector = EXCLUDED.vector, owner_id = EXCLUDED.owner_id, created_at = EXCLUDED.created_at; RETURN NULL;", hash='b56f8974d56712254bd5358ce9345a91362c653b', level='STATEMENT', operation='INSERT', pgid='pgtrigger_search_rows_of_new_assets_599e9', referencing='REFERENCING NEW TABLE AS new_rows ', table='assets_asset', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='asset',
            trigger=pgtrigger.compiler.Trigger(name='search_row_follows_asset', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."description" IS DISTINCT FROM (NEW."description") OR OLD."model" IS DISTINCT FROM (NEW."model") OR OLD."owner_id" IS DISTINCT FROM (NEW."owner_id") OR OLD."prompt" IS DISTINCT FROM (NEW."prompt") OR OLD."title" IS DISTINCT FROM (NEW."title"))', func="INSERT INTO assets_assetsearch (asset_id, owner_id, created_at, vector) SELECT a.id, a.owner_id, a.created_at, \n    setweight(to_tsvector('english', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce((SELECT string_agg(t.name, ' ') FROM assets_taggedasset ta\n    JOIN assets_tag t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id), '')), 'A')\n || setweight(to_tsvector('english', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.model, '')), 'B')\n || setweight(to_tsvector('simple', replace(coalesce(a.model, ''), '-', ' ')), 'B')\n || setweight(to_tsvector('english', coalesce(a.description, '')), 'C')\n || setweight(to_tsvector('simple', coalesce(a.description, '')), 'C')\n FROM assets_asset AS a WHERE a.id = NEW.id ON CONFLICT (asset_id) DO UPDATE SET vector = EXCLUDED.vector, owner_id = EXCLUDED.owner_id, created_at = EXCLUDED.created_at; RETURN NULL;", hash='aa3c45ce13f5f9417269ba2274b8e4bf51d1b270', operation='UPDATE OF "title", "description", "prompt", "model", "owner_id", "created_at"', pgid='pgtrigger_search_row_follows_asset_98460', table='assets_asset', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='tag',
            trigger=pgtrigger.compiler.Trigger(name='search_rows_follow_tag_name', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."name" IS DISTINCT FROM (NEW."name"))', func="UPDATE assets_assetsearch AS s SET vector = v.vector FROM (SELECT a.id, \n    setweight(to_tsvector('english', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce((SELECT string_agg(t.name, ' ') FROM assets_taggedasset ta\n    JOIN assets_tag t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id), '')), 'A')\n || setweight(to_tsvector('english', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.model, '')), 'B')\n || setweight(to_tsvector('simple', replace(coalesce(a.model, ''), '-', ' ')), 'B')\n || setweight(to_tsvector('english', coalesce(a.description, '')), 'C')\n || setweight(to_tsvector('simple', coalesce(a.description, '')), 'C')\n AS vector FROM assets_asset AS a WHERE a.id IN (SELECT content_object_id FROM assets_taggedasset WHERE tag_id = NEW.id)) AS v WHERE s.asset_id = v.id; RETURN NULL;", hash='b86c99e6543ab60b289382a4e692694119e9fe0e', operation='UPDATE OF "name"', pgid='pgtrigger_search_rows_follow_tag_name_fddbc', table='assets_tag', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='taggedasset',
            trigger=pgtrigger.compiler.Trigger(name='search_rows_follow_tagging', sql=pgtrigger.compiler.UpsertTriggerSql(func="UPDATE assets_assetsearch AS s SET vector = v.vector FROM (SELECT a.id, \n    setweight(to_tsvector('english', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce((SELECT string_agg(t.name, ' ') FROM assets_taggedasset ta\n    JOIN assets_tag t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id), '')), 'A')\n || setweight(to_tsvector('english', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.model, '')), 'B')\n || setweight(to_tsvector('simple', replace(coalesce(a.model, ''), '-', ' ')), 'B')\n || setweight(to_tsvector('english', coalesce(a.description, '')), 'C')\n || setweight(to_tsvector('simple', coalesce(a.description, '')), 'C')\n AS vector FROM assets_asset AS a WHERE a.id IN (SELECT DISTINCT content_object_id FROM new_rows)) AS v WHERE s.asset_id = v.id; RETURN NULL;", hash='9ac189c6c5e63679dabd61744991555d63b42499', level='STATEMENT', operation='INSERT', pgid='pgtrigger_search_rows_follow_tagging_e7405', referencing='REFERENCING NEW TABLE AS new_rows ', table='assets_taggedasset', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='taggedasset',
            trigger=pgtrigger.compiler.Trigger(name='search_rows_follow_untagging', sql=pgtrigger.compiler.UpsertTriggerSql(func="UPDATE assets_assetsearch AS s SET vector = v.vector FROM (SELECT a.id, \n    setweight(to_tsvector('english', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce(a.title, '')), 'A')\n || setweight(to_tsvector('simple', coalesce((SELECT string_agg(t.name, ' ') FROM assets_taggedasset ta\n    JOIN assets_tag t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id), '')), 'A')\n || setweight(to_tsvector('english', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.prompt, '')), 'B')\n || setweight(to_tsvector('simple', coalesce(a.model, '')), 'B')\n || setweight(to_tsvector('simple', replace(coalesce(a.model, ''), '-', ' ')), 'B')\n || setweight(to_tsvector('english', coalesce(a.description, '')), 'C')\n || setweight(to_tsvector('simple', coalesce(a.description, '')), 'C')\n AS vector FROM assets_asset AS a WHERE a.id IN (SELECT DISTINCT content_object_id FROM old_rows)) AS v WHERE s.asset_id = v.id; RETURN NULL;", hash='db6cb2442c9b883f4a75b02f8f1555bc914c1404', level='STATEMENT', operation='DELETE', pgid='pgtrigger_search_rows_follow_untagging_4bd48', referencing='REFERENCING OLD TABLE AS old_rows ', table='assets_taggedasset', when='AFTER')),
        ),
    ]
