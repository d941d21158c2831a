"""The statistics' rollups in SQL: every statement of the analytics app the ORM cannot write.

Rollups (OwnerTotals, DayTotals, DayModelTotals, SlotTotals) are derived data, like an
index. On PostgreSQL the database keeps them: statement-level triggers with transition
tables, declared on the models they watch (analytics.models, through django-pgtrigger),
so that every write to the assets counts, whichever code path makes it (services, bulk
SQL, the admin, seed commands), and a bulk UPDATE of 100,000 assets costs one grouped
upsert per rollup, not 100,000. SQLite keeps none: the statistics count the rows there.

Every write is a *delta*: the changed rows as they were, counted -1, and as they are,
counted +1, live assets only. The same grouped upserts apply a delta from a transition
table or (rollups_rebuild) from the whole assets table. Upserts lock rollup rows in key
order, after an advisory lock per owner, so concurrent writers queue rather than deadlock.

Table and column names come from the models' metadata, never typed here.
"""

from django.db import connection

from analytics.models import DayModelTotals, DayTotals, OwnerTotals, SlotTotals, UsageEvent, UsageEventKind
from assets import sql as assets_sql
from assets.models import Asset


def _columns(model) -> dict[str, str]:
    return {field.name: field.column for field in model._meta.concrete_fields}


ASSETS = Asset._meta.db_table
EVENTS = UsageEvent._meta.db_table
_A = _columns(Asset)
_E = _columns(UsageEvent)
# Event kinds the timeline counts.
TIMELINE_KINDS = (UsageEventKind.DOWNLOADED, UsageEventKind.SHARED, UsageEventKind.USED)
_KINDS = "(" + ", ".join(f"'{kind}'" for kind in TIMELINE_KINDS) + ")"


def _day(column: str) -> str:
    return f"({column} AT TIME ZONE 'UTC')::date"


def _slot(column: str) -> str:
    """The quarter of an hour (UTC) of a timestamp."""
    return f"date_bin('15 minutes', {column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')"


def asset_delta(*, sign: int = 1, source: str, where: str = "") -> str:
    """What each live asset of `source` adds to (sign 1) or takes from (sign -1) the rollups."""
    a, s = _A, sign
    return (
        f"SELECT {a['owner']} AS owner_id, {_day(a['created_at'])} AS day, {_slot(a['created_at'])} AS slot, "
        f"{a['type']} AS type, {a['status']} AS status, {a['source_module']} AS source_module, "
        f"{a['model']} AS model, {s} AS n, {s} * {a['cost']} AS cost, "
        f"CASE WHEN {a['is_favorite']} THEN {s} ELSE 0 END AS favorites, "
        f"{s} * {a['download_count']} AS downloads, {s} * {a['share_count']} AS shares, "
        f"{s} * COALESCE({a['file_size']}, 0) AS storage_bytes, "
        f"CASE WHEN {a['usage_count']} > 0 THEN {s} ELSE 0 END AS used, "
        f"CASE WHEN {a['usage_count']} = 0 THEN {s} * {a['cost']} ELSE 0 END AS unused_cost "
        f"{source} WHERE {a['deleted_at']} IS NULL{where}"
    )


def event_delta(*, sign: int = 1, source: str, where: str = "") -> str:
    """What each download, share or usage event of `source` adds to the timeline."""
    e, s = _E, sign
    return (
        f"SELECT {e['owner']} AS owner_id, {_slot(e['created_at'])} AS slot, "
        f"CASE WHEN {e['kind']} = '{UsageEventKind.DOWNLOADED}' THEN {s} ELSE 0 END AS downloads, "
        f"CASE WHEN {e['kind']} = '{UsageEventKind.SHARED}' THEN {s} ELSE 0 END AS shares, "
        f"CASE WHEN {e['kind']} = '{UsageEventKind.USED}' THEN {s} ELSE 0 END AS usages "
        f"{source} WHERE {e['kind']} IN {_KINDS}{where}"
    )


def _upsert(model, sums: dict[str, str]) -> str:
    """A grouped upsert adding a delta's sums to `model`'s table; {delta} stands for the delta.

    `sums` maps each rollup column to the delta column it adds up ("0" adds nothing). Groups
    whose sums are all zero (an edit of a title, say) write nothing.
    """
    table = model._meta.db_table
    [key] = model._meta.constraints
    keys = tuple(model._meta.get_field(name).column for name in key.fields)
    key_list = ", ".join(keys)
    added = {column: source for column, source in sums.items() if source != "0"}
    select = ", ".join("0" if source == "0" else f"sum({source})" for source in sums.values())
    having = " OR ".join(f"sum({source}) <> 0" for source in added.values())
    updates = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in added)
    return (
        f"INSERT INTO {table} ({key_list}, {', '.join(sums)}) "  # noqa: S608 - names from the models
        f"SELECT {key_list}, {select} FROM ({{delta}}) d GROUP BY {key_list} HAVING {having} "
        f"ORDER BY {key_list} ON CONFLICT ({key_list}) DO UPDATE SET {updates}"
    )


# The sums OwnerTotals and DayTotals keep of each group of assets.
_ASSET_SUMS = {
    "assets": "n", "cost": "cost", "favorites": "favorites", "downloads": "downloads", "shares": "shares",
    "storage_bytes": "storage_bytes", "used": "used", "unused_cost": "unused_cost",
}
UPSERT_OWNER = _upsert(OwnerTotals, _ASSET_SUMS)
UPSERT_DAY = _upsert(DayTotals, _ASSET_SUMS)
UPSERT_MODEL = _upsert(DayModelTotals, {"assets": "n", "cost": "cost"})
UPSERT_SLOT_ASSETS = _upsert(SlotTotals, {"assets": "n", "cost": "cost", "downloads": "0", "shares": "0",
                                          "usages": "0"})
UPSERT_SLOT_EVENTS = _upsert(SlotTotals, {"assets": "0", "cost": "0", "downloads": "downloads", "shares": "shares",
                                          "usages": "usages"})
ASSET_UPSERTS = (UPSERT_OWNER, UPSERT_DAY, UPSERT_MODEL, UPSERT_SLOT_ASSETS)

# Advisory-lock class of the rollups ('ROLL'): one lock per owner, see trigger_body. The
# assets app's tag counts take the same lock (one lock order for both).
OWNER_LOCK_CLASS = assets_sql.OWNER_LOCK_CLASS


def trigger_body(deltas: list[str], upserts, tables: tuple[str, ...]) -> str:
    """A trigger function's body applying the upserts in one statement: the delta (narrow
    rows) is computed once from the transition tables, which hold whole rows, and read by each.

    It first takes a transaction-scoped advisory lock per owner concerned, in owner order.
    The rollup rows of one owner are shared by all of their assets, and a transaction that
    writes twice (a download: the asset's counter, then its event) would otherwise lock
    them in an order another transaction can cross, a deadlock between writes to different
    assets. With the owner's lock first, an owner's rollup writers queue instead. (The
    loop's variable `concerned` is declared with the trigger: analytics.models.)
    """
    delta = " UNION ALL ".join(deltas)
    *first, last = [upsert.format(delta="SELECT * FROM delta") for upsert in upserts]
    ctes = "".join(f", upsert_{number} AS ({upsert})" for number, upsert in enumerate(first))
    owners = " UNION ".join(f"SELECT owner_id FROM {table}" for table in tables)  # noqa: S608 - fixed names
    return (
        f"FOR concerned IN SELECT owner_id FROM ({owners}) o ORDER BY owner_id LOOP\n"  # noqa: S608
        f"PERFORM pg_advisory_xact_lock({OWNER_LOCK_CLASS}, concerned.owner_id);\nEND LOOP;\n"
        f"WITH delta AS MATERIALIZED ({delta}){ctes}\n{last};\nRETURN NULL;"
    )


_OLD_ASSETS = asset_delta(sign=-1, source="FROM old_rows")
_NEW_ASSETS = asset_delta(sign=1, source="FROM new_rows")
ASSETS_INSERTED = trigger_body([_NEW_ASSETS], ASSET_UPSERTS, ("new_rows",))
ASSETS_UPDATED = trigger_body([_OLD_ASSETS, _NEW_ASSETS], ASSET_UPSERTS, ("old_rows", "new_rows"))
ASSETS_DELETED = trigger_body([_OLD_ASSETS], ASSET_UPSERTS, ("old_rows",))
EVENTS_INSERTED = trigger_body([event_delta(sign=1, source="FROM new_rows")], [UPSERT_SLOT_EVENTS], ("new_rows",))
EVENTS_UPDATED = trigger_body(
    [event_delta(sign=-1, source="FROM old_rows"), event_delta(sign=1, source="FROM new_rows")],
    [UPSERT_SLOT_EVENTS], ("old_rows", "new_rows"),
)
EVENTS_DELETED = trigger_body([event_delta(sign=-1, source="FROM old_rows")], [UPSERT_SLOT_EVENTS], ("old_rows",))

# The hand-written triggers of earlier versions (analytics migration 0005, both databases),
# which migration 0006 replaces.
LEGACY_TRIGGERS = (
    (ASSETS, "assets_inserted"), (ASSETS, "assets_updated"), (ASSETS, "assets_deleted"),
    (EVENTS, "events_inserted"), (EVENTS, "events_updated"), (EVENTS, "events_deleted"),
)


_S = _columns(SlotTotals)
SLOTS = SlotTotals._meta.db_table


def slot_period_sums(*, owner_id, start, end, starts: list, beyond, period: str, tz_name: str) -> list[tuple]:
    """The owner's quarter-hour rollups in [start, end) (either open when None), summed by
    period: (bucket, elsewhere, assets, cost, downloads, shares, usages) rows.

    `starts` are the periods' first instants in order and `beyond` the instant after the
    last period (None at the calendar's end): a slot in [starts[i-1], starts[i]) is in
    bucket i (a binary search, `width_bucket`, not a conversion of every slot to the
    periods' clock). A slot outside [starts[0], beyond) has its period's start as a local
    timestamp in `elsewhere`, found the slow way (slots dated later than now)."""
    s = _S
    bounds = [*starts, beyond] if beyond is not None else list(starts)
    outside = f"{s['slot']} < %(first)s" + (f" OR {s['slot']} >= %(beyond)s" if beyond is not None else "")
    where = f"{s['owner']} = %(owner)s"
    if start is not None:
        where += f" AND {s['slot']} >= %(start)s"
    if end is not None:
        where += f" AND {s['slot']} < %(end)s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT width_bucket({s['slot']}, %(bounds)s::timestamptz[]), "  # noqa: S608 - names from the model
            f"CASE WHEN {outside} THEN date_trunc(%(period)s, {s['slot']} AT TIME ZONE %(tz)s) END, "
            f"sum({s['assets']})::bigint, sum({s['cost']}), sum({s['downloads']})::bigint, "
            f"sum({s['shares']})::bigint, sum({s['usages']})::bigint "
            f"FROM {SLOTS} WHERE {where} AND NOT ({s['assets']} = 0 AND {s['downloads']} = 0 "
            f"AND {s['shares']} = 0 AND {s['usages']} = 0) GROUP BY 1, 2",
            {"bounds": bounds, "first": starts[0], "beyond": beyond, "period": period, "tz": tz_name,
             "owner": owner_id, "start": start, "end": end},
        )
        return cursor.fetchall()
