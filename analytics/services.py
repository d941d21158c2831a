"""Every write of usage events goes through here.

Events are recorded by the services that do the thing (assets.services and, later,
share links), inside their transaction, never by signals: an event exists exactly when
what it describes was committed.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from analytics.models import UsageEvent, UsageEventKind, UsageSource

BULK_BATCH_SIZE = 2_000


def _check_choices(*, kind: str, source: str):
    errors = {}
    if kind not in UsageEventKind.values:
        errors["kind"] = [f"'{kind}' is not one of: {', '.join(UsageEventKind.values)}."]
    if source not in UsageSource.values:
        errors["source"] = [f"'{source}' is not one of: {', '.join(UsageSource.values)}."]
    if errors:
        raise ValidationError(errors)


def usage_event_record(
    *,
    asset,
    kind: str,
    owner=None,
    source: str = UsageSource.API,
    share_link_id=None,
) -> UsageEvent:
    """Record one event. `owner` defaults to the asset's owner (no query: its id is on the row).

    Only the choices are validated, not the foreign keys: callers hold the rows already,
    and a hot path like downloads should not pay two existence queries per event.
    """
    if asset is None and owner is None:
        raise ValueError("An event needs an owner or an asset.")
    if asset is not None and owner is not None and asset.owner_id != owner.pk:
        raise ValueError("An asset's events belong to its owner.")
    _check_choices(kind=kind, source=source)
    event = UsageEvent(
        owner_id=owner.pk if owner is not None else asset.owner_id,
        asset=asset,
        kind=kind,
        source=source,
        share_link_id=share_link_id,
    )
    event.save(force_insert=True)
    return event


def usage_events_record_many(
    *,
    owner=None,
    owner_id=None,
    asset_ids: Iterable,
    kind: str,
    source: str = UsageSource.API,
    share_link_id=None,
    at=None,
) -> int:
    """Record the same event for many of an owner's assets in batched INSERTs (bulk actions).

    The caller passes the ids it actually acted on; they are not re-checked here. `at`:
    when it happened, if not now (an asset used before it was reported, the demo's history).
    """
    _check_choices(kind=kind, source=source)
    owner_id = owner.pk if owner is not None else owner_id
    # Every event of one call shares one timestamp: the moment of the action.
    now = at or timezone.now()
    if connection.vendor == "postgresql":
        return _record_many_postgres(owner_id, list(asset_ids), kind, source, share_link_id, now)
    events = [
        UsageEvent(
            owner_id=owner_id, asset_id=asset_id, kind=kind, source=source, share_link_id=share_link_id, created_at=now
        )
        for asset_id in asset_ids
    ]
    if events:
        UsageEvent.objects.bulk_create(events, batch_size=BULK_BATCH_SIZE)
    return len(events)


def _record_many_postgres(owner_id, asset_ids, kind, source, share_link_id, now) -> int:
    """One INSERT ... SELECT over an array of ids: 100,000 events without 100,000 objects."""
    if not asset_ids:
        return 0
    table = UsageEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (owner_id, asset_id, kind, source, share_link_id, created_at) "  # noqa: S608
            "SELECT %s, unnest(%s::uuid[]), %s, %s, %s, %s",
            [owner_id, [str(pk) for pk in asset_ids], kind, source, share_link_id, now],
        )
    return len(asset_ids)


def usage_events_insert_sql(*, owner_id, ids_from: str, kind: str, source: str = UsageSource.API) -> tuple[str, list]:
    """An INSERT recording `kind` for each asset id of the query `ids_from` (its column `id`).

    For a data-modifying statement that acts on many assets and records its events in
    the same statement (PostgreSQL's `WITH changed AS (UPDATE ... RETURNING id) ...`): the
    ids never travel to Python and back.
    """
    _check_choices(kind=kind, source=source)
    table = UsageEvent._meta.db_table
    sql = (
        f"INSERT INTO {table} (owner_id, asset_id, kind, source, share_link_id, created_at) "  # noqa: S608
        f"SELECT %s, id, %s, %s, NULL, %s FROM {ids_from}"
    )
    return sql, [owner_id, kind, source, timezone.now()]


class UsageEventRecorder:
    """The core's change recorder (assets.extensions): every change the asset services
    make becomes a usage event, in their transaction (and, for bulk UPDATEs on
    PostgreSQL, in their statement)."""

    def record(self, *, owner_id, asset_ids, change: str, source: str, share_link_id=None, at=None) -> None:
        usage_events_record_many(
            owner_id=owner_id, asset_ids=asset_ids, kind=change, source=source, share_link_id=share_link_id, at=at
        )

    def insert_sql(self, *, owner_id, ids_from: str, change: str, source: str) -> tuple[str, list]:
        return usage_events_insert_sql(owner_id=owner_id, ids_from=ids_from, kind=change, source=source)
