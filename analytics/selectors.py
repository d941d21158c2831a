"""Statistics: every read of usage figures goes through here.

All figures are aggregated by the database in a fixed number of queries (six), whatever
the size of the library; each pass over the owner's rows is costly at scale, so there are
as few as possible:

1. one GROUP BY (type, status, source_module) with every sum the totals need; Python adds
   up these subtotals (at most 4 x 4 x the owner's modules rows) into the totals and the
   by-type, by-status and by-module figures;
2. one GROUP BY model, ordered and limited by the database (models are free text, so
   their number is not bounded);
3. and 4. the ten most downloaded and most shared assets (on PostgreSQL and SQLite, small
   partial indexes made by analytics' migration 0002 answer these without a scan);
5. and 6. one GROUP BY period for the assets and one for the usage events.

Python never loops over assets: only over those grouped rows and over the periods.

Two kinds of figure, on purpose:

- `totals`, the breakdowns and the top lists describe the library: the owner's assets
  created in [created_after, created_before) that are not in the trash. Their downloads
  and shares are the assets' counters.
- `over_time` is what happened in each period: the assets created in it (same rules as
  the totals) and the downloads and shares recorded in it, as usage events. Those include
  activity on assets trashed or deleted since, so that history does not change when the
  library is tidied.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from analytics.models import UsageEvent, UsageEventKind
from assets.models import Asset, AssetStatus, AssetType

PERIODS = ("day", "week", "month")
DEFAULT_PERIOD = "month"
TOP_LIMIT = 10
# A chart has at most this many points (ten years of days, a bit more).
MAX_PERIODS = 4000
SUMMARY_FIELDS = ("id", "title", "type", "model", "source_module", "download_count", "share_count", "thumbnail")
ZERO = Decimal("0")
FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class StatsParams:
    """What a statistics request asks for; datetimes are aware, `tz` names the periods' clock."""

    period: str = DEFAULT_PERIOD
    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None


def stats_for(*, owner, params: StatsParams) -> dict:
    """The statistics of `owner`'s library, shaped as the API's `GET /stats/` (unformatted)."""
    assets = _library(owner, params)
    subtotals = [
        _with_cost(row)
        for row in assets.values("type", "status", "source_module")
        .annotate(
            count=Count("*"),
            cost_sum=Sum("cost"),
            favorites=Count("pk", filter=Q(is_favorite=True)),
            downloads=Sum("download_count"),
            shares=Sum("share_count"),
            storage_bytes=Sum("file_size"),
        )
        .order_by()
    ]
    by_type = _roll_up(subtotals, "type", AssetType.values)
    by_status = _roll_up(subtotals, "status", AssetStatus.values)
    by_module = dict(
        sorted(_roll_up(subtotals, "source_module").items(), key=lambda item: (*_top_order(item[1]), item[0]))
    )
    top_models = [
        _with_cost(row)
        for row in assets.exclude(model="").values("model")
        .annotate(count=Count("*"), cost_sum=Sum("cost"))
        .order_by("-count", "-cost_sum", "model")[:TOP_LIMIT]
    ]
    return {
        "totals": {
            "assets": _total(subtotals, "count"),
            "by_type": {name: figures["count"] for name, figures in by_type.items()},
            "by_status": {name: figures["count"] for name, figures in by_status.items()},
            "by_module": {name: figures["count"] for name, figures in by_module.items()},
            "favorites": _total(subtotals, "favorites"),
            "downloads": _total(subtotals, "downloads"),
            "shares": _total(subtotals, "shares"),
            "cost": _total(subtotals, "cost", start=ZERO),
            "storage_bytes": _total(subtotals, "storage_bytes"),
        },
        "cost_by_type": {name: figures["cost"] for name, figures in by_type.items()},
        "cost_by_module": {name: figures["cost"] for name, figures in by_module.items()},
        "top_models": top_models,
        "top_modules": [
            {"source_module": name, **figures} for name, figures in list(by_module.items())[:TOP_LIMIT]
        ],
        "most_downloaded": list(
            assets.filter(download_count__gt=0).order_by("-download_count", "-created_at", "-id")
            .only(*SUMMARY_FIELDS)[:TOP_LIMIT]
        ),
        "most_shared": list(
            assets.filter(share_count__gt=0).order_by("-share_count", "-created_at", "-id")
            .only(*SUMMARY_FIELDS)[:TOP_LIMIT]
        ),
        "over_time": stats_over_time(owner=owner, params=params),
    }


def stats_over_time(*, owner, params: StatsParams) -> list[dict]:
    """One row per period from the first to the last of the range, zero-filled.

    The range is [created_after, created_before) when given; otherwise it starts at the
    owner's first asset or event in it and ends now. Periods are calendar days, ISO weeks
    (from Monday) or months on the clock of `params.tz`.
    """
    truncated = Trunc("created_at", params.period, tzinfo=params.tz)
    created = (
        _library(owner, params).annotate(period=truncated).values("period")
        .annotate(assets=Count("*"), cost_sum=Sum("cost")).order_by()
    )
    activity = (
        _in_range(UsageEvent.objects.owned_by(owner), params)
        .of_kind(UsageEventKind.DOWNLOADED, UsageEventKind.SHARED)
        .annotate(period=truncated).values("period")
        .annotate(
            # COUNT(kind), not COUNT(id): the (owner, kind, created_at) index then answers alone.
            downloads=Count("kind", filter=Q(kind=UsageEventKind.DOWNLOADED)),
            shares=Count("kind", filter=Q(kind=UsageEventKind.SHARED)),
        )
        .order_by()
    )
    # Keyed by the period's first day on the local clock: the same on every database.
    by_period = {_local_day(row["period"], params.tz): row for row in created}
    events_by_period = {_local_day(row["period"], params.tz): row for row in activity}

    days_with_data = [*by_period, *events_by_period]
    if params.created_after is not None:
        first = _period_start(_local_day(params.created_after, params.tz), params.period)
    elif days_with_data:
        first = min(days_with_data)
    else:
        return []
    if params.created_before is not None:
        last = _period_start(_local_day(params.created_before - dt.timedelta(microseconds=1), params.tz), params.period)
    else:
        last = _period_start(_local_day(timezone.now(), params.tz), params.period)
    if days_with_data:
        last = max(last, *days_with_data)

    rows = []
    for day in _period_starts(first, last, params.period):
        assets = by_period.get(day, {})
        events = events_by_period.get(day, {})
        rows.append({
            "period_start": dt.datetime.combine(day, dt.time.min, tzinfo=params.tz),
            "assets": assets.get("assets", 0),
            "cost": _money(assets.get("cost_sum")),
            "downloads": events.get("downloads", 0),
            "shares": events.get("shares", 0),
        })
    return rows


def _library(owner, params: StatsParams) -> QuerySet:
    """The assets the figures describe: the owner's, not in the trash, created in the range."""
    return _in_range(Asset.objects.owned_by(owner).alive(), params)


def _in_range(queryset: QuerySet, params: StatsParams) -> QuerySet:
    if params.created_after is not None:
        queryset = queryset.filter(created_at__gte=params.created_after)
    if params.created_before is not None:
        queryset = queryset.filter(created_at__lt=params.created_before)
    return queryset


def _roll_up(subtotals: list[dict], key: str, names=()) -> dict[str, dict]:
    """{name: {"count", "cost"}} for one dimension, from the database's subtotals (every name in
    `names` included, zeros too)."""
    figures = {name: {"count": 0, "cost": ZERO} for name in names}
    for row in subtotals:
        entry = figures.setdefault(row[key], {"count": 0, "cost": ZERO})
        entry["count"] += row["count"]
        entry["cost"] += row["cost"]
    return figures


def _total(subtotals: list[dict], key: str, start=0):
    return sum((row[key] or 0 for row in subtotals), start)


def _top_order(figures: dict) -> tuple:
    """Top lists: count, highest first; ties by cost, highest first."""
    return (-figures["count"], -figures["cost"])


def _with_cost(row: dict) -> dict:
    """A grouped row with its cost sum named "cost" (the model's field name, so SQL says cost_sum)."""
    cost = row.pop("cost_sum")
    return {**row, "cost": _money(cost)}


def _money(value) -> Decimal:
    """A sum of costs with Asset.cost's 4 places (exact on PostgreSQL; SQLite sums in floats)."""
    return (value or ZERO).quantize(FOUR_PLACES)


def _local_day(moment, tz) -> dt.date:
    """The calendar day of `moment` on the clock of `tz` (a truncated period's first day)."""
    if timezone.is_aware(moment):
        moment = moment.astimezone(tz)
    return moment.date()


def _period_start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next_period(day: dt.date, period: str) -> dt.date:
    if period == "day":
        return day + dt.timedelta(days=1)
    if period == "week":
        return day + dt.timedelta(weeks=1)
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _period_starts(first: dt.date, last: dt.date, period: str) -> list[dt.date]:
    starts = []
    day = first
    while day <= last:
        if len(starts) == MAX_PERIODS:
            message = f"The range spans more than {MAX_PERIODS} {period}s; use a longer period or a shorter range."
            raise ValidationError({"period": [message]})
        starts.append(day)
        try:
            day = _next_period(day, period)
        except (OverflowError, ValueError):  # past the calendar's last day
            break
    return starts
