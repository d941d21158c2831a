"""The collections app's SQL that the ORM cannot write (PostgreSQL only), in one place.

Each membership row (CollectionItem) carries its asset's creation time, type, status and
whether the asset is outside the trash, so that a collection's live assets, newest first,
and their count are one range of one index (collection_item_live_newest; within a type or
a status, collection_item_live_type and collection_item_live_status): a member browsing a
100,000-asset shared collection reads 24 index entries, never the assets. Two triggers
keep the copies true, whoever writes:

- a row's copies are read from its asset when it is inserted;
- an asset moving to the trash or back, or changing status (a statement's rows at once:
  the trash, restores, bulk ones, a generation finishing) updates the rows of the
  collections that hold it.

A third keeps each collection's count of live assets (CollectionTally) with them: items
inserted and deleted, and the live ones among the items the trash trigger flips. Each
statement updates its collections' tallies in the order of their ids, so that two
statements never wait on each other's tallies the other way round.

An asset's creation time and type never change once it exists (the trigger follows a
type change all the same). On SQLite the copies are not kept
and nothing reads them (collections_app.selectors counts through the assets there).
"""

from django.db import connections

ITEM_OF_ASSET = """
CREATE OR REPLACE FUNCTION collection_item_copies_its_asset() RETURNS trigger AS $$
BEGIN
    SELECT a.created_at, a.deleted_at IS NULL, a.type, a.status
    INTO NEW.asset_created_at, NEW.asset_alive, NEW.asset_type, NEW.asset_status
    FROM assets_asset AS a WHERE a.id = NEW.asset_id;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS collection_item_copies_its_asset ON collections_app_collectionitem;
CREATE TRIGGER collection_item_copies_its_asset BEFORE INSERT ON collections_app_collectionitem
    FOR EACH ROW EXECUTE FUNCTION collection_item_copies_its_asset();
"""

ITEMS_FOLLOW_TRASH = """
CREATE OR REPLACE FUNCTION collection_items_follow_trash() RETURNS trigger AS $$
DECLARE
    d record;
BEGIN
    FOR d IN
        WITH changed AS (
            UPDATE collections_app_collectionitem AS ci
            SET asset_alive = (n.deleted_at IS NULL), asset_type = n.type, asset_status = n.status
            FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
            WHERE ci.asset_id = n.id
              AND ((o.deleted_at IS NULL) <> (n.deleted_at IS NULL) OR o.type <> n.type OR o.status <> n.status)
            RETURNING ci.collection_id, (n.deleted_at IS NULL)::int - (o.deleted_at IS NULL)::int AS delta
        )
        SELECT collection_id, sum(delta) AS delta FROM changed GROUP BY collection_id
        HAVING sum(delta) <> 0 ORDER BY collection_id
    LOOP
        UPDATE collections_app_collectiontally SET live_assets = live_assets + d.delta
        WHERE collection_id = d.collection_id;
    END LOOP;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS collection_items_follow_trash ON assets_asset;
CREATE TRIGGER collection_items_follow_trash AFTER UPDATE ON assets_asset
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION collection_items_follow_trash();
"""

TALLY_ITEMS = """
CREATE OR REPLACE FUNCTION collection_tally_items_added() RETURNS trigger AS $$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT collection_id, count(*) AS n FROM new_items WHERE asset_alive
             GROUP BY collection_id ORDER BY collection_id
    LOOP
        INSERT INTO collections_app_collectiontally AS t (collection_id, live_assets) VALUES (d.collection_id, d.n)
        ON CONFLICT (collection_id) DO UPDATE SET live_assets = t.live_assets + EXCLUDED.live_assets;
    END LOOP;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION collection_tally_items_removed() RETURNS trigger AS $$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT collection_id, count(*) AS n FROM old_items WHERE asset_alive
             GROUP BY collection_id ORDER BY collection_id
    LOOP
        UPDATE collections_app_collectiontally SET live_assets = live_assets - d.n
        WHERE collection_id = d.collection_id;
    END LOOP;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS collection_tally_items_added ON collections_app_collectionitem;
CREATE TRIGGER collection_tally_items_added AFTER INSERT ON collections_app_collectionitem
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION collection_tally_items_added();
DROP TRIGGER IF EXISTS collection_tally_items_removed ON collections_app_collectionitem;
CREATE TRIGGER collection_tally_items_removed AFTER DELETE ON collections_app_collectionitem
    REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION collection_tally_items_removed();
"""

# Every collection's first tally (the migration that adds them; also a repair).
TALLY_BACKFILL = """
INSERT INTO collections_app_collectiontally (collection_id, live_assets)
SELECT c.id, (SELECT count(*) FROM collections_app_collectionitem ci WHERE ci.collection_id = c.id AND ci.asset_alive)
FROM collections_app_collection c
ON CONFLICT (collection_id) DO UPDATE SET live_assets = EXCLUDED.live_assets;
"""

TALLY_DROP = """
DROP TRIGGER IF EXISTS collection_tally_items_added ON collections_app_collectionitem;
DROP TRIGGER IF EXISTS collection_tally_items_removed ON collections_app_collectionitem;
DROP FUNCTION IF EXISTS collection_tally_items_added();
DROP FUNCTION IF EXISTS collection_tally_items_removed();
"""

# The copies of the rows that exist already (the migration that adds them).
BACKFILL_TYPES = """
UPDATE collections_app_collectionitem AS ci SET asset_type = a.type, asset_status = a.status
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
