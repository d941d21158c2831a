"""The collections app's SQL that the ORM cannot write (PostgreSQL only), in one place.

Each membership row (CollectionItem) carries its asset's creation time, its type and
whether the asset is outside the trash, so that a collection's live assets, newest first,
and their count are one range of one index (collection_item_live_newest; within a type,
collection_item_live_type): a member browsing a 100,000-asset shared collection reads 24
index entries and counts 100,000 of them, never the assets. Two triggers keep the copies
true, whoever writes:

- a row's copies are read from its asset when it is inserted;
- an asset moving to the trash or back (a statement's rows at once: the trash, restores,
  bulk ones) updates the rows of the collections that hold it.

An asset's creation time and type never change once it exists (the trigger follows a
type change all the same). On SQLite the copies are not kept
and nothing reads them (collections_app.selectors counts through the assets there).
"""

from django.db import connections

ITEM_OF_ASSET = """
CREATE OR REPLACE FUNCTION collection_item_copies_its_asset() RETURNS trigger AS $$
BEGIN
    SELECT a.created_at, a.deleted_at IS NULL, a.type INTO NEW.asset_created_at, NEW.asset_alive, NEW.asset_type
    FROM assets_asset AS a WHERE a.id = NEW.asset_id;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS collection_item_copies_its_asset ON collections_app_collectionitem;
CREATE TRIGGER collection_item_copies_its_asset BEFORE INSERT ON collections_app_collectionitem
    FOR EACH ROW EXECUTE FUNCTION collection_item_copies_its_asset();
"""

ITEMS_FOLLOW_TRASH = """
CREATE OR REPLACE FUNCTION collection_items_follow_trash() RETURNS trigger AS $$
BEGIN
    UPDATE collections_app_collectionitem AS ci SET asset_alive = (n.deleted_at IS NULL), asset_type = n.type
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE ci.asset_id = n.id AND ((o.deleted_at IS NULL) <> (n.deleted_at IS NULL) OR o.type <> n.type);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS collection_items_follow_trash ON assets_asset;
CREATE TRIGGER collection_items_follow_trash AFTER UPDATE ON assets_asset
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION collection_items_follow_trash();
"""

# The copies of the rows that exist already (the migration that adds them).
BACKFILL_TYPES = """
UPDATE collections_app_collectionitem AS ci SET asset_type = a.type
FROM assets_asset AS a WHERE a.id = ci.asset_id;
"""

BACKFILL = """
UPDATE collections_app_collectionitem AS ci SET asset_created_at = a.created_at, asset_alive = a.deleted_at IS NULL
FROM assets_asset AS a WHERE a.id = ci.asset_id;
"""

DROP = """
DROP TRIGGER IF EXISTS collection_items_follow_trash ON assets_asset;
DROP FUNCTION IF EXISTS collection_items_follow_trash();
DROP TRIGGER IF EXISTS collection_item_copies_its_asset ON collections_app_collectionitem;
DROP FUNCTION IF EXISTS collection_item_copies_its_asset();
"""


def keeps_copies() -> bool:
    """Whether membership rows carry their assets' copies (PostgreSQL)."""
    return connections["default"].vendor == "postgresql"
