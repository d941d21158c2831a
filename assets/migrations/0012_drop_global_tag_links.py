"""Tags become per owner (cleanup): links keep only the owner's tag.

The old column (to the global taggit.Tag) goes, `owner_tag` takes its name and its
constraint and indexes, and the global tags, which nothing uses any more, are deleted
(with, on PostgreSQL, the upper(name) index 0003 gave them). Migrating back puts the
column back empty; 0011's reverse fills it (recreating the global tags it needs).
"""

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models


def delete_global_tags(apps, schema_editor):
    # taggit's own generic links (TaggedItem) are unused here; any that exist keep their tags.
    GlobalTag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    GlobalTag.objects.exclude(pk__in=TaggedItem.objects.values("tag_id")).delete()
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS taggit_tag_upper_name")


def restore_upper_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS taggit_tag_upper_name ON taggit_tag (upper(name::text))")


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0011_copy_tags_to_their_owners"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="taggedasset",
            name="tagged_asset_unique_tag",
        ),
        migrations.RemoveIndex(
            model_name="taggedasset",
            name="tagged_asset_tag_asset",
        ),
        migrations.RemoveField(
            model_name="taggedasset",
            name="tag",
        ),
        migrations.RenameField(
            model_name="taggedasset",
            old_name="owner_tag",
            new_name="tag",
        ),
        migrations.AlterField(
            model_name="taggedasset",
            name="tag",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="%(app_label)s_%(class)s_items", to="assets.tag"),
        ),
        migrations.AlterField(
            model_name="asset",
            name="tags",
            field=taggit.managers.TaggableManager(blank=True, help_text="A comma-separated list of tags.",
                                                  through="assets.TaggedAsset", to="assets.Tag",
                                                  verbose_name="Tags"),
        ),
        migrations.AddConstraint(
            model_name="taggedasset",
            constraint=models.UniqueConstraint(fields=("content_object", "tag"), name="tagged_asset_unique_tag"),
        ),
        migrations.AddIndex(
            model_name="taggedasset",
            index=models.Index(fields=["tag", "content_object"], name="tagged_asset_tag_asset"),
        ),
        migrations.RunPython(delete_global_tags, restore_upper_name_index),
    ]
