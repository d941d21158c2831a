"""The statistics' rollups (DayTotals, DayModelTotals, SlotTotals), kept by the database.

Why triggers rather than the services: a rollup is derived data, like an index. It must
follow every write to the assets table (ingest, edits, favourites, counters, trash,
restore, purge, a user's deletion, the admin, bulk SQL in seed commands and benchmarks);
one forgotten code path would make /stats/ wrong without anyone noticing. The database
sees them all.

- PostgreSQL: statement-level triggers with transition tables. A bulk UPDATE of 100,000
  assets (moving them to the trash) costs one grouped upsert per rollup, not 100,000.
- SQLite: row-level triggers (it has no statement-level ones) running the same upserts
  over the one row.

Every write is expressed as a *delta*: the changed rows as they were, counted -1, and as
they are, counted +1, live assets only. The same grouped upserts apply a delta from a
transition table, from one row, or (rollups_rebuild) from the whole assets table. Upserts
lock rollup rows in key order (ORDER BY), so concurrent writers queue rather than deadlock.
"""

from django.db import connection, transaction

from analytics.models import DayModelTotals, DayTotals, OwnerTotals, SlotTotals

ASSETS = "assets_asset"
EVENTS = "analytics_usageevent"
# Event kinds the timeline counts.
TIMELINE_KINDS = "('downloaded', 'shared')"

# The UTC day and the quarter of an hour of a timestamp column, per database. Django keeps
# SQLite datetimes as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
_DAY = {
    "postgresql": "({c} AT TIME ZONE 'UTC')::date",
    "sqlite": "substr({c}, 1, 10)",
}
_SLOT = {
    "postgresql": "date_bin('15 minutes', {c}, TIMESTAMPTZ '2000-01-01 00:00:00+00')",
    "sqlite": "substr({c}, 1, 14) || printf('%02d', (CAST(substr({c}, 15, 2) AS INTEGER) / 15) * 15) || ':00'",
}

# One row of a delta: what an asset adds to (sign 1) or takes from (sign -1) the rollups.
_ASSET_DELTA = """SELECT {r}owner_id AS owner_id, {day} AS day, {slot} AS slot, {r}type AS type,
    {r}status AS status, {r}source_module AS source_module, {r}model AS model, {s} AS n, {s} * {r}cost AS cost,
    CASE WHEN {r}is_favorite THEN {s} ELSE 0 END AS favorites, {s} * {r}download_count AS downloads,
    {s} * {r}share_count AS shares, {s} * COALESCE({r}file_size, 0) AS storage_bytes"""
_EVENT_DELTA = """SELECT {r}owner_id AS owner_id, {slot} AS slot,
    CASE WHEN {r}kind = 'downloaded' THEN {s} ELSE 0 END AS downloads,
    CASE WHEN {r}kind = 'shared' THEN {s} ELSE 0 END AS shares"""

def _upsert(table: str, keys: tuple[str, ...], sums: dict[str, str]) -> str:
    """A grouped upsert adding a delta's sums to `table`; {delta} stands for the delta's query.

    `sums` maps each rollup column to the delta column it adds up ("0" adds nothing). Groups
    whose sums are all zero (an edit of a title, say) write nothing.
    """
    key_list = ", ".join(keys)
    added = {column: source for column, source in sums.items() if source != "0"}

    def rounded(column, expression):
        # SQLite adds decimals as floats: 0.1 + 0.2 - 0.1 - 0.2 must come back to 0.
        return f"round({expression}, 4)" if column == "cost" else expression

    select = ", ".join("0" if source == "0" else rounded(column, f"sum({source})") for column, source in sums.items())
    having = " OR ".join(f"sum({source}) <> 0" for source in added.values())
    updates = ", ".join(
        f"{column} = {rounded(column, f'{table}.{column} + excluded.{column}')}" for column in added
    )
    return (
        f"INSERT INTO {table} ({key_list}, {', '.join(sums)}) "  # noqa: S608 - names fixed above
        f"SELECT {key_list}, {select} FROM ({{delta}}) d WHERE true GROUP BY {key_list} HAVING {having} "
        f"ORDER BY {key_list} ON CONFLICT ({key_list}) DO UPDATE SET {updates}"
    )


_UPSERT_DAY = _upsert(
    "analytics_daytotals", ("owner_id", "day", "type", "status", "source_module"),
    {"assets": "n", "cost": "cost", "favorites": "favorites", "downloads": "downloads", "shares": "shares",
     "storage_bytes": "storage_bytes"},
)
_UPSERT_OWNER = _upsert(
    "analytics_ownertotals", ("owner_id", "type", "status", "source_module"), {"assets": "n", "favorites": "favorites"}
)
_UPSERT_MODEL = _upsert("analytics_daymodeltotals", ("owner_id", "day", "model"), {"assets": "n", "cost": "cost"})
_UPSERT_SLOT_ASSETS = _upsert(
    "analytics_slottotals", ("owner_id", "slot"), {"assets": "n", "cost": "cost", "downloads": "0", "shares": "0"}
)
_UPSERT_SLOT_EVENTS = _upsert(
    "analytics_slottotals", ("owner_id", "slot"),
    {"assets": "0", "cost": "0", "downloads": "downloads", "shares": "shares"},
)
ASSET_UPSERTS = (_UPSERT_OWNER, _UPSERT_DAY, _UPSERT_MODEL, _UPSERT_SLOT_ASSETS)

# An UPDATE that changes none of these leaves the rollups as they are (SQLite skips it).
_COUNTED_COLUMNS = ("owner_id", "created_at", "deleted_at", "type", "status", "source_module", "model", "cost",
                    "is_favorite", "download_count", "share_count", "file_size")


def asset_delta(vendor: str, *, rows: str = "", sign: int = 1, source: str = "", where: str = "") -> str:
    """Delta rows of assets: `rows` is the row prefix ("NEW." in a SQLite trigger) or empty with `source`."""
    column = f"{rows}created_at"
    select = _ASSET_DELTA.format(
        r=rows, s=sign, day=_DAY[vendor].format(c=column), slot=_SLOT[vendor].format(c=column)
    )
    alive = f"{rows}deleted_at IS NULL"
    return f"{select} {source} WHERE {alive}{where}"


def event_delta(vendor: str, *, rows: str = "", sign: int = 1, source: str = "", where: str = "") -> str:
    select = _EVENT_DELTA.format(r=rows, s=sign, slot=_SLOT[vendor].format(c=f"{rows}created_at"))
    return f"{select} {source} WHERE {rows}kind IN {TIMELINE_KINDS}{where}"


# Advisory-lock class of the rollups ('ROLL'): one lock per owner, see _postgres_function.
OWNER_LOCK_CLASS = 0x524F4C4C


def _postgres_function(name: str, deltas: list[str], upserts, tables: tuple[str, ...]) -> str:
    """A trigger function applying the upserts in one statement: the delta (narrow rows) is
    computed once from the transition tables, which hold whole rows, and read by each.

    It first takes a transaction-scoped advisory lock per owner concerned, in owner order.
    The rollup rows of one owner are shared by all of their assets, and a transaction that
    writes twice (a download: the asset's counter, then its event) would otherwise lock
    them in an order another transaction can cross, a deadlock between writes to different
    assets. With the owner's lock first, an owner's rollup writers queue instead.
    """
    delta = " UNION ALL ".join(deltas)
    *first, last = [upsert.format(delta="SELECT * FROM delta") for upsert in upserts]
    ctes = "".join(f", upsert_{number} AS ({upsert})" for number, upsert in enumerate(first))
    owners = " UNION ".join(f"SELECT owner_id FROM {table}" for table in tables)  # noqa: S608 - fixed names
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"  # noqa: S608
        f"DECLARE concerned record;\nBEGIN\n"
        f"FOR concerned IN SELECT owner_id FROM ({owners}) o ORDER BY owner_id LOOP\n"
        f"PERFORM pg_advisory_xact_lock({OWNER_LOCK_CLASS}, concerned.owner_id);\nEND LOOP;\n"
        f"WITH delta AS MATERIALIZED ({delta}){ctes}\n{last};\nRETURN NULL;\nEND\n$fn$"
    )


def _postgres_install() -> list[str]:
    pg = "postgresql"
    old_assets = asset_delta(pg, sign=-1, source="FROM old_rows")
    new_assets = asset_delta(pg, sign=1, source="FROM new_rows")
    statements = [
        _postgres_function("analytics_rollups_assets_inserted", [new_assets], ASSET_UPSERTS, ("new_rows",)),
        _postgres_function("analytics_rollups_assets_updated", [old_assets, new_assets], ASSET_UPSERTS,
                           ("old_rows", "new_rows")),
        _postgres_function("analytics_rollups_assets_deleted", [old_assets], ASSET_UPSERTS, ("old_rows",)),
        _postgres_function("analytics_rollups_events_inserted",
                           [event_delta(pg, sign=1, source="FROM new_rows")], [_UPSERT_SLOT_EVENTS], ("new_rows",)),
        _postgres_function("analytics_rollups_events_updated",
                           [event_delta(pg, sign=-1, source="FROM old_rows"),
                            event_delta(pg, sign=1, source="FROM new_rows")], [_UPSERT_SLOT_EVENTS],
                           ("old_rows", "new_rows")),
        _postgres_function("analytics_rollups_events_deleted",
                           [event_delta(pg, sign=-1, source="FROM old_rows")], [_UPSERT_SLOT_EVENTS], ("old_rows",)),
    ]
    triggers = [
        (ASSETS, "INSERT", "REFERENCING NEW TABLE AS new_rows", "assets_inserted"),
        (ASSETS, "UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", "assets_updated"),
        (ASSETS, "DELETE", "REFERENCING OLD TABLE AS old_rows", "assets_deleted"),
        (EVENTS, "INSERT", "REFERENCING NEW TABLE AS new_rows", "events_inserted"),
        (EVENTS, "UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", "events_updated"),
        (EVENTS, "DELETE", "REFERENCING OLD TABLE AS old_rows", "events_deleted"),
    ]
    for table, event, referencing, what in triggers:
        statements.append(
            f"CREATE TRIGGER analytics_rollups_{what} AFTER {event} ON {table} {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION analytics_rollups_{what}()"
        )
    return statements


def _sqlite_trigger(name: str, event: str, table: str, when: str, deltas: list[str], upserts) -> str:
    body = "".join(f"{upsert.format(delta=delta)};\n" for delta in deltas for upsert in upserts)
    return f"CREATE TRIGGER analytics_rollups_{name} AFTER {event} ON {table} WHEN {when}\nBEGIN\n{body}END"


def _sqlite_install() -> list[str]:
    lite = "sqlite"
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in _COUNTED_COLUMNS)
    event_changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in ("owner_id", "kind", "created_at"))
    old_event = event_delta(lite, rows="OLD.", sign=-1)
    new_event = event_delta(lite, rows="NEW.", sign=1)
    old_asset = asset_delta(lite, rows="OLD.", sign=-1)
    new_asset = asset_delta(lite, rows="NEW.", sign=1)
    return [
        _sqlite_trigger("assets_inserted", "INSERT", ASSETS, "NEW.deleted_at IS NULL", [new_asset], ASSET_UPSERTS),
        _sqlite_trigger("assets_updated", "UPDATE", ASSETS,
                        f"(OLD.deleted_at IS NULL OR NEW.deleted_at IS NULL) AND ({changed})",
                        [old_asset, new_asset], ASSET_UPSERTS),
        _sqlite_trigger("assets_deleted", "DELETE", ASSETS, "OLD.deleted_at IS NULL", [old_asset], ASSET_UPSERTS),
        _sqlite_trigger("events_inserted", "INSERT", EVENTS, f"NEW.kind IN {TIMELINE_KINDS}",
                        [new_event], [_UPSERT_SLOT_EVENTS]),
        _sqlite_trigger("events_updated", "UPDATE", EVENTS,
                        f"(OLD.kind IN {TIMELINE_KINDS} OR NEW.kind IN {TIMELINE_KINDS}) AND ({event_changed})",
                        [old_event, new_event], [_UPSERT_SLOT_EVENTS]),
        _sqlite_trigger("events_deleted", "DELETE", EVENTS, f"OLD.kind IN {TIMELINE_KINDS}",
                        [old_event], [_UPSERT_SLOT_EVENTS]),
    ]


_TRIGGERS = (
    (ASSETS, "assets_inserted"), (ASSETS, "assets_updated"), (ASSETS, "assets_deleted"),
    (EVENTS, "events_inserted"), (EVENTS, "events_updated"), (EVENTS, "events_deleted"),
)


def install_statements(vendor: str) -> list[str]:
    """The DDL that makes the database keep the rollups (used by analytics' migration 0005)."""
    return _postgres_install() if vendor == "postgresql" else _sqlite_install()


def uninstall_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS analytics_rollups_{name} ON {table}" for table, name in _TRIGGERS),
            *(f"DROP FUNCTION IF EXISTS analytics_rollups_{name}()" for _table, name in _TRIGGERS),
        ]
    return [f"DROP TRIGGER IF EXISTS analytics_rollups_{name}" for _table, name in _TRIGGERS]


def rollups_rebuild(*, owner=None, using=None) -> None:
    """Recompute the rollups from the assets and events (all owners, or one), in one transaction.

    For operators (`manage.py rebuild_stats`) after data was changed behind the
    database's back (a restored backup, triggers disabled), and for the migration that
    introduced them. Locks the assets table against writes meanwhile, so that no write
    lands between the delete and the recount.
    """
    conn = connection if using is None else using
    vendor = conn.vendor
    where, params = ("", []) if owner is None else (" AND owner_id = %s", [owner.pk])
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {ASSETS}, {EVENTS} IN SHARE MODE")
        for model in (OwnerTotals, DayTotals, DayModelTotals, SlotTotals):
            table = model._meta.db_table
            cursor.execute(f"DELETE FROM {table} WHERE true{where}", params)  # noqa: S608 - fixed names
        delta = asset_delta(vendor, source=f"FROM {ASSETS}", where=where)
        for upsert in ASSET_UPSERTS:
            cursor.execute(upsert.format(delta=delta), params)
        cursor.execute(_UPSERT_SLOT_EVENTS.format(delta=event_delta(vendor, source=f"FROM {EVENTS}", where=where)),
                       params)


def rollups_compact() -> int:
    """Delete rollup rows whose figures are all zero (groups that emptied, users deleted), and
    rows of owners that no longer exist (left by a `flush`, which empties tables in any order)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    gone = ~Exists(get_user_model().objects.filter(pk=OuterRef("owner_id")))
    deleted = 0
    for model in (OwnerTotals, DayTotals, DayModelTotals, SlotTotals):
        deleted += model.objects.filter(gone).delete()[0]
    deleted += OwnerTotals.objects.filter(assets=0, favorites=0).delete()[0]
    # A row with no assets has no cost either (any float left over on SQLite is noise).
    deleted += DayTotals.objects.filter(assets=0, favorites=0, downloads=0, shares=0, storage_bytes=0).delete()[0]
    deleted += DayModelTotals.objects.filter(assets=0).delete()[0]
    deleted += SlotTotals.objects.filter(assets=0, downloads=0, shares=0).delete()[0]
    return deleted


# The migration that installs the triggers; before it (or after reversing it) there are none.
INSTALLING_MIGRATION = "0005_stats_rollup_triggers"


def rollups_drop_before_migrate(conn) -> None:
    """On SQLite, drop the triggers before migrations run; post_migrate puts them back.

    SQLite alters a table by rebuilding it under a new name; a trigger on the assets
    table that names a rollup table being rebuilt makes that rename fail.
    """
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        for statement in uninstall_statements(conn.vendor):
            cursor.execute(statement)


def rollups_installed_triggers(conn) -> int:
    """How many of the rollups' triggers the database has."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            sql = "SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s AND NOT tgisinternal"
        else:
            sql = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s"
        cursor.execute(sql, ["analytics_rollups_%"])
        return cursor.fetchone()[0]


def rollups_ensure_installed(conn) -> bool:
    """Put the triggers back, and recount, if a migration lost any (True when it had to).

    SQLite cannot alter a column in place: a later migration that changes the assets or
    events table rebuilds it, and its triggers go with it. Run after every `migrate`.
    """
    if not _installed_by_migration(conn):
        return False  # migrated back to before the rollups, or not yet there
    if rollups_installed_triggers(conn) == len(_TRIGGERS):
        return False
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        for statement in [*uninstall_statements(conn.vendor), *install_statements(conn.vendor)]:
            cursor.execute(statement)
        rollups_rebuild(using=conn)
    return True


def rollups_after_migrate(conn) -> None:
    """After `migrate` (and `flush`, which sends post_migrate too): triggers back where a
    migration lost them, then rows of no use dropped (flush empties tables in any order)."""
    if _installed_by_migration(conn):
        rollups_ensure_installed(conn)
        rollups_compact()


def _installed_by_migration(conn) -> bool:
    from django.db.migrations.recorder import MigrationRecorder

    return ("analytics", INSTALLING_MIGRATION) in MigrationRecorder(conn).applied_migrations()
