"""Upkeep of the statistics' rollups, which PostgreSQL keeps by itself (analytics.sql).

- `rollups_rebuild` recounts them from the assets and events: for operators
  (`manage.py rebuild_stats`) after data changed behind the database's back (a restored
  backup, triggers disabled), and for the migration that installs the triggers.
- `rollups_compact` drops rows that fell to zero.

SQLite keeps no rollups (the statistics count the rows there), so both do nothing on it.
"""

from django.db import connection, transaction

from analytics import sql
from analytics.models import DayModelTotals, DayTotals, OwnerTotals, SlotTotals


def rollups_kept(conn=None) -> bool:
    """Whether this database keeps rollups (PostgreSQL) or the statistics count rows (SQLite)."""
    return (conn or connection).vendor == "postgresql"


def rollups_rebuild(*, owner=None, using=None) -> None:
    """Recompute the rollups from the assets and events (all owners, or one), in one transaction.

    Locks the assets and events against writes meanwhile, so that no write lands between
    the delete and the recount.
    """
    conn = connection if using is None else using
    if not rollups_kept(conn):
        return
    where, params = ("", []) if owner is None else (" AND owner_id = %s", [owner.pk])
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {sql.ASSETS}, {sql.EVENTS} IN SHARE MODE")
        for model in (OwnerTotals, DayTotals, DayModelTotals, SlotTotals):
            table = model._meta.db_table
            cursor.execute(f"DELETE FROM {table} WHERE true{where}", params)  # noqa: S608 - names from the models
        delta = sql.asset_delta(source=f"FROM {sql.ASSETS}", where=where)
        for upsert in sql.ASSET_UPSERTS:
            cursor.execute(upsert.format(delta=delta), params)
        cursor.execute(sql.UPSERT_SLOT_EVENTS.format(delta=sql.event_delta(source=f"FROM {sql.EVENTS}", where=where)),
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
    for model in (OwnerTotals, DayTotals):
        deleted += model.objects.filter(assets=0, cost=0, favorites=0, downloads=0, shares=0, storage_bytes=0, used=0,
                                        unused_cost=0).delete()[0]
    deleted += DayModelTotals.objects.filter(assets=0).delete()[0]
    deleted += SlotTotals.objects.filter(assets=0, downloads=0, shares=0, usages=0).delete()[0]
    return deleted
