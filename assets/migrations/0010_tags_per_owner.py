"""Tags become per owner (schema): each owner gets their own tags (assets.Tag, built on
django-taggit's TagBase), unique per (owner, lower(name)).

A tag link gains a second, still optional, column for the owner's tag (`owner_tag`), and
its old column (the global taggit.Tag) becomes optional, so the next migration can copy
the tags over and the one after it can drop the old column. Migrating back needs the old
column filled again: 0011's reverse does that.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0009_search_rows_know_owner"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Tag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("slug", models.SlugField(allow_unicode=True, db_index=False, max_length=100, verbose_name="slug")),
                ("owner", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name="asset_tags", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "tag",
                "verbose_name_plural": "tags",
            },
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                models.F("owner"), django.db.models.functions.text.Lower("name"), name="tag_unique_name_per_owner"
            ),
        ),
        migrations.AddField(
            model_name="taggedasset",
            name="owner_tag",
            # No index yet: it is built once the column is filled (0012).
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="assets.tag"),
        ),
        migrations.AlterField(
            model_name="taggedasset",
            name="tag",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="%(app_label)s_%(class)s_items", to="taggit.tag"),
        ),
    ]
