"""Tags become per owner (data): copy each owner's tags and point their links at them.

Forward, set-based (a few statements, whatever the size):

1. Every owner gets one tag per name (ignoring case) among the global tags their links
   use, in the spelling of those links. An owner whose links used two spellings of one
   name ("Sunset" and "sunset", e.g. from a race or a bulk load) keeps the one on more of
   their links (the older tag on a tie).
2. Every link not yet moved points at its owner's tag (`owner_tag`).
3. Where that left one asset with two links to the same tag (it had both spellings), one
   link stays: a manual one if there is one, else the oldest.

Other owners' spellings are never involved: what one owner sees depends on their links only.
Search vectors need no refresh: tag names enter them lower-cased ('simple'), so a
spelling that differs only in case changes nothing.

Backward, the global tags are put back: every link gets the global tag of its name
(ignoring case; the oldest when there are several), created in the spelling of the
oldest owner's tag when missing. That loses only what the global table could never hold
(two owners' spellings); a name that SQLite's ASCII-only lower() told apart but Python's
lower() joins (e.g. "Été" and "été" on one asset) would need sorting out by hand.
"""

from django.db import migrations
from django.utils.text import slugify

OWNER_TAGS = """
INSERT INTO assets_tag (owner_id, name, slug)
SELECT ranked.owner_id, ranked.name, ranked.slug FROM (
    SELECT used.owner_id, t.name, t.slug,
           ROW_NUMBER() OVER (PARTITION BY used.owner_id, lower(t.name) ORDER BY used.links DESC, t.id) AS choice
    FROM (
        SELECT a.owner_id, ta.tag_id, COUNT(*) AS links
        FROM assets_taggedasset ta JOIN assets_asset a ON a.id = ta.content_object_id
        WHERE ta.owner_tag_id IS NULL
        GROUP BY a.owner_id, ta.tag_id
    ) used JOIN taggit_tag t ON t.id = used.tag_id
) ranked
WHERE ranked.choice = 1 AND NOT EXISTS (
    SELECT 1 FROM assets_tag o WHERE o.owner_id = ranked.owner_id AND lower(o.name) = lower(ranked.name)
)
"""

REPOINT = {
    "postgresql": """
UPDATE assets_taggedasset ta SET owner_tag_id = o.id
FROM assets_asset a, taggit_tag t, assets_tag o
WHERE ta.owner_tag_id IS NULL AND a.id = ta.content_object_id AND t.id = ta.tag_id
  AND o.owner_id = a.owner_id AND lower(o.name) = lower(t.name)
""",
    "default": """
UPDATE assets_taggedasset SET owner_tag_id = (
    SELECT o.id FROM assets_asset a
    JOIN taggit_tag t ON t.id = assets_taggedasset.tag_id
    JOIN assets_tag o ON o.owner_id = a.owner_id AND lower(o.name) = lower(t.name)
    WHERE a.id = assets_taggedasset.content_object_id
)
WHERE owner_tag_id IS NULL
""",
}

# Of two links of one asset to one tag, the automatic one goes (or else the newer).
COLLAPSE = """
DELETE FROM assets_taggedasset WHERE id IN (
    SELECT ta.id FROM assets_taggedasset ta
    JOIN assets_taggedasset keep ON keep.content_object_id = ta.content_object_id
        AND keep.owner_tag_id = ta.owner_tag_id AND keep.id <> ta.id
    WHERE (ta.auto AND NOT keep.auto) OR (ta.auto = keep.auto AND keep.id < ta.id)
)
"""


# Backward: the links take the global tag a temporary (owner tag -> global tag) table names.
BACK = {
    "postgresql": """
UPDATE assets_taggedasset ta SET tag_id = b.tag_id FROM assets_tag_back b
WHERE ta.tag_id IS NULL AND b.owner_tag_id = ta.owner_tag_id
""",
    "default": """
UPDATE assets_taggedasset SET tag_id = (
    SELECT b.tag_id FROM assets_tag_back b WHERE b.owner_tag_id = assets_taggedasset.owner_tag_id
)
WHERE tag_id IS NULL
""",
}


def copy_tags_to_their_owners(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(OWNER_TAGS)
    schema_editor.execute(REPOINT.get(vendor, REPOINT["default"]))
    schema_editor.execute(COLLAPSE)


def back_to_global_tags(apps, schema_editor):
    GlobalTag = apps.get_model("taggit", "Tag")
    OwnerTag = apps.get_model("assets", "Tag")
    TaggedAsset = apps.get_model("assets", "TaggedAsset")

    global_ids, slugs = {}, set()
    for pk, name, slug in GlobalTag.objects.order_by("pk").values_list("pk", "name", "slug"):
        global_ids.setdefault(name.lower(), pk)
        slugs.add(slug)
    unmoved = TaggedAsset.objects.filter(tag__isnull=True)
    owner_tags = OwnerTag.objects.filter(pk__in=unmoved.values("owner_tag_id")).order_by("pk")
    back = []
    for pk, name in owner_tags.values_list("pk", "name"):
        key = name.lower()
        if key not in global_ids:
            global_ids[key] = GlobalTag.objects.create(name=name, slug=_free_slug(name, slugs)).pk
        back.append((pk, global_ids[key]))
    if not back:
        return
    schema_editor.execute(
        "CREATE TEMPORARY TABLE assets_tag_back (owner_tag_id bigint PRIMARY KEY, tag_id bigint NOT NULL)"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany("INSERT INTO assets_tag_back (owner_tag_id, tag_id) VALUES (%s, %s)", back)
    schema_editor.execute(BACK.get(schema_editor.connection.vendor, BACK["default"]))
    schema_editor.execute("DROP TABLE assets_tag_back")


def _free_slug(name, taken):
    """As taggit's TagBase.save would: the slug, or the slug with _1, _2... when taken."""
    base = slugify(name, allow_unicode=True)[:90] or "tag"
    slug, n = base, 0
    while slug in taken:
        n += 1
        slug = f"{base}_{n}"
    taken.add(slug)
    return slug


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0010_tags_per_owner"),
    ]

    operations = [
        migrations.RunPython(copy_tags_to_their_owners, back_to_global_tags),
    ]
