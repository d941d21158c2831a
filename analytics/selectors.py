"""Statistics: every read of usage figures goes through here.

Figures come from the rollups the database keeps (analytics.rollups: per owner and per UTC
day by type, status and module; per UTC day by model; per quarter hour for the timeline),
so a request reads a few thousand summary rows, not the owner's half-million assets (the
whole library's totals: a few hundred, the owner's own). A range
that starts or ends inside a UTC day reads those partial days from the assets and events
themselves (_Window). Python never loops over assets: only over grouped rows and periods.

Two kinds of figure, on purpose:

- `totals`, the breakdowns and the top lists describe the library: the owner's assets
  created in [created_after, created_before) that are not in the trash. Their downloads
  and shares are the assets' counters.
- `over_time` is what happened in each period: the assets created in it (same rules as
  the totals) and the downloads and shares recorded in it, as usage events. Those include
  activity on assets trashed or deleted since, so that history does not change when the
  library is tidied.

The most downloaded and most shared assets are read from the assets (small partial
indexes made by analytics' migration 0002 answer them without a scan).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count, F, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Trunc
from django.utils import timezone

from analytics import sql
from analytics.models import DayModelTotals, DayTotals, OwnerTotals, SlotTotals, UsageEvent, UsageEventKind
from analytics.rollups import rollups_kept
from assets.models import Asset, AssetStatus, AssetType
from assets.selectors import asset_filterset

PERIODS = ("day", "week", "month")
DEFAULT_PERIOD = "month"
TOP_LIMIT = 10
# A chart has at most this many points (ten years of days, a bit more).
MAX_PERIODS = 4000
SUMMARY_FIELDS = ("id", "title", "type", "model", "source_module", "download_count", "share_count", "usage_count",
                  "thumbnail", "cost")
ZERO = Decimal("0")
# never_used: a cutoff within this of today reads the owner's totals less the days since.
RECENT = dt.timedelta(days=366)
FOUR_PLACES = Decimal("0.0001")


def library_count(*, owner, types=None, statuses=None, modules=None, favorites_only: bool = False,
                  used: bool | None = None) -> int | None:
    """How many live assets `owner` has of these types, statuses and modules (any, where None),
    or how many of them are favourites, or used (`used` True) or never used (False): exact,
    from OwnerTotals (a few hundred rows at most). None where the database keeps no rollups
    (SQLite), or for favourites that are (or are not) used, which it does not keep: the
    caller counts the rows."""
    if not rollups_kept() or (favorites_only and used is not None):
        return None
    rows = _of_kinds(OwnerTotals.objects.filter(owner_id=owner.pk), types=types, statuses=statuses, modules=modules)
    if used is not None:
        sums = rows.aggregate(assets=Sum("assets"), used=Sum("used"))
        return (sums["used"] or 0) if used else (sums["assets"] or 0) - (sums["used"] or 0)
    return rows.aggregate(n=Sum("favorites" if favorites_only else "assets"))["n"] or 0


def _of_kinds(rows: QuerySet, *, types=None, statuses=None, modules=None) -> QuerySet:
    """`rows` (assets, or rollup rows: both have type, status and source_module) of these
    types, statuses and modules (any, where None)."""
    for name, chosen in (("type", types), ("status", statuses), ("source_module", modules)):
        if chosen:
            rows = rows.filter(**{f"{name}__in": list(chosen)})
    return rows


def never_used(*, owner, created_before: dt.date | None = None, types=None, statuses=None, modules=None) -> dict:
    """`owner`'s live assets with no usage, created before UTC midnight of `created_before`
    (all of them when None), of these types, statuses and modules (any, where None):
    {"assets": n, "cost": credits}. What a cleanup would move to the trash, from the
    rollups on PostgreSQL (the owner's, or whole UTC days: exact), else the rows."""
    kinds = {"types": types, "statuses": statuses, "modules": modules}
    if rollups_kept():
        sums = {"assets": Sum("assets"), "used": Sum("used"), "cost": Sum("unused_cost")}
        days = _of_kinds(DayTotals.objects.filter(owner_id=owner.pk), **kinds)
        if created_before is not None and created_before <= timezone.now().date() - RECENT:
            found = days.filter(day__lt=created_before).aggregate(**sums)
        else:
            # The whole library, less the days since a recent cutoff (the cleanup suggests
            # 30 days): fewer rows than every day before it.
            found = _of_kinds(OwnerTotals.objects.filter(owner_id=owner.pk), **kinds).aggregate(**sums)
            if created_before is not None:
                since = days.filter(day__gte=created_before).aggregate(**sums)
                found = {name: (found[name] or 0) - (since[name] or 0) for name in sums}
        return {"assets": (found["assets"] or 0) - (found["used"] or 0), "cost": _money(found["cost"])}
    rows = _of_kinds(_alive(owner).filter(usage_count=0), **kinds)
    if created_before is not None:
        rows = rows.filter(created_at__lt=dt.datetime.combine(created_before, dt.time.min, tzinfo=dt.UTC))
    sums = rows.aggregate(assets=Count("*"), cost=Sum("cost"))
    return {"assets": sums["assets"], "cost": _money(sums["cost"])}


# List parameters that order or page a list, not choose its assets.
_SAME_ASSETS = {"ordering", "page", "page_size", "cursor"}
# The list parameters a never-used list may have and still be read from the rollups
# (which keep live assets by type, status and module, per owner and per UTC day).
_ROLLED_UP = {"used": None, "created_before": None, "type": "types", "status": "statuses",
              "source_module": "modules"}


def never_used_spend(*, owner, params: dict, rows: QuerySet) -> Decimal:
    """What a list of never-used assets (`rows`, asset_listing's for `params`, which hold
    used=false) cost. A list that the rollups keep (used=false, perhaps created_before a
    day, types, statuses and modules) is read from them; any other list sums its rows."""
    given = {name for name, value in params.items() if value not in ("", None)} - _SAME_ASSETS
    before = params.get("created_before") or ""
    if not before:
        given.discard("tz")  # a time zone only moves dates, and there is none
    try:
        day = dt.date.fromisoformat(before) if len(before) == 10 else None
    except ValueError:
        day = None
    if rollups_kept() and given <= set(_ROLLED_UP) and (day is not None or not before):
        data = asset_filterset(owner=owner, params=params).form.cleaned_data
        chosen = {term: data.get(name) or None for name, term in _ROLLED_UP.items() if term}
        return never_used(owner=owner, created_before=day, **chosen)["cost"]
    return _money(rows.order_by().aggregate(cost=Sum("cost"))["cost"])


@dataclass(frozen=True)
class StatsParams:
    """What a statistics request asks for; datetimes are aware, `tz` names the periods' clock."""

    period: str = DEFAULT_PERIOD
    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None


def stats_for(*, owner, params: StatsParams) -> dict:
    """The statistics of `owner`'s library, shaped as the API's `GET /stats/` (unformatted)."""
    window = _Window.of(params)
    subtotals = [_with_cost(row) for row in _subtotals(owner, window)]
    by_type = _roll_up(subtotals, "type", AssetType.values)
    by_status = _roll_up(subtotals, "status", AssetStatus.values)
    by_module = dict(
        sorted(_roll_up(subtotals, "source_module").items(), key=lambda item: (*_top_order(item[1]), item[0]))
    )
    models = _roll_up([_with_cost(row) for row in _model_subtotals(owner, window)], "model")
    top_models = [
        {"model": name, **figures}
        for name, figures in sorted(models.items(), key=lambda item: (*_top_order(item[1]), item[0]))[:TOP_LIMIT]
    ]
    assets = _library(owner, params)
    used = _total(subtotals, "used")
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
            "used": used,
            "unused": _total(subtotals, "count") - used,
            "unused_cost": _money(_total(subtotals, "unused_cost", start=ZERO)),
        },
        "cost_by_type": {name: figures["cost"] for name, figures in by_type.items()},
        "cost_by_module": {name: figures["cost"] for name, figures in by_module.items()},
        "top_models": top_models,
        "top_modules": [
            {"source_module": name, **figures} for name, figures in list(by_module.items())[:TOP_LIMIT]
        ],
        **_top_assets(assets),
        "over_time": stats_over_time(owner=owner, params=params),
    }


# The top lists of assets: each by its counter, highest first (then newest).
TOP_ASSETS = {"most_downloaded": "download_count", "most_shared": "share_count", "most_used": "usage_count"}


def _top_assets(assets: QuerySet) -> dict[str, list]:
    """{list name: its TOP_LIMIT assets}, in one query (a UNION ALL of each list's, which a
    small partial index answers; SQLite, which cannot, asks three); each list in order
    again here, as the union keeps none."""
    lists = [
        assets.filter(**{f"{counter}__gt": 0}).annotate(top_list=Value(name)).order_by(
            f"-{counter}", "-created_at", "-id"
        ).only(*SUMMARY_FIELDS, "created_at")[:TOP_LIMIT]
        for name, counter in TOP_ASSETS.items()
    ]
    if not connections[assets.db].features.supports_slicing_ordering_in_compound:  # SQLite
        return {name: list(top) for name, top in zip(TOP_ASSETS, lists, strict=True)}
    found = {name: [] for name in TOP_ASSETS}
    for asset in lists[0].union(*lists[1:], all=True):
        found[asset.top_list].append(asset)
    for name, counter in TOP_ASSETS.items():
        found[name].sort(key=lambda asset, counter=counter: (getattr(asset, counter), asset.created_at, asset.id),
                         reverse=True)
    return found


def stats_over_time(*, owner, params: StatsParams) -> list[dict]:
    """One row per period from the first to the last of the range, zero-filled.

    The range is [created_after, created_before) when given; otherwise it starts at the
    owner's first asset or event in it and ends now. Periods are calendar days, ISO weeks
    (from Monday) or months on the clock of `params.tz`.
    """
    window = _Window.of(params)
    by_period: dict[dt.date, dict] = {}
    for row in _timeline(owner, window, params):
        entry = by_period.setdefault(
            _local_day(row["period"], params.tz),
            {"assets": 0, "cost_sum": ZERO, "downloads": 0, "shares": 0, "usages": 0},
        )
        for key in entry:
            entry[key] += row.get(key) or 0

    days_with_data = list(by_period)
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
        figures = by_period.get(day, {})
        rows.append({
            "period_start": dt.datetime.combine(day, dt.time.min, tzinfo=params.tz),
            "assets": figures.get("assets", 0),
            "cost": _money(figures.get("cost_sum")),
            "downloads": figures.get("downloads", 0),
            "shares": figures.get("shares", 0),
            "usages": figures.get("usages", 0),
        })
    return rows


@dataclass(frozen=True)
class _Window:
    """[created_after, created_before) cut in two: whole UTC days, read from the rollups
    (analytics.sql), and the partial days at either end, read from the assets and events
    themselves (at most two days' worth of rows). Where no rollups are kept (SQLite), the
    whole range is read from the rows.

    `body` is (first midnight, last midnight), either end None when open; None when no whole
    day is in the range. `edges` are the (start, end) ranges outside it.
    """

    body: tuple[dt.datetime | None, dt.datetime | None] | None
    edges: tuple[tuple[dt.datetime, dt.datetime | None], ...] = ()

    @classmethod
    def of(cls, params: StatsParams) -> "_Window":
        after, before = params.created_after, params.created_before
        if after is not None and before is not None and after >= before:
            return cls(body=None)
        if not rollups_kept():  # SQLite: the rows answer for the whole range
            return cls(body=None, edges=((after, before),))
        try:
            start = _utc_midnight(after, up=True) if after is not None else None
        except OverflowError:  # after the calendar's last midnight: no whole day follows
            return cls(body=None, edges=((after, before),))
        end = _utc_midnight(before, up=False) if before is not None else None
        if start is not None and end is not None and start >= end:
            return cls(body=None, edges=((after, before),))
        edges = []
        if start is not None and after < start:
            edges.append((after, start))
        if end is not None and end < before:
            edges.append((end, before))
        return cls(body=(start, end), edges=tuple(edges))

    def whole(self) -> bool:
        """Whether the range is every day there is (no created_after or created_before), read
        from the rollups."""
        return self.body == (None, None) and not self.edges

    def days(self) -> Q | None:
        """The rollups' days in the body (None: none of them)."""
        return self._body_q("day", lambda moment: moment.date())

    def _body_q(self, field: str, value) -> Q | None:
        if self.body is None:
            return None
        start, end = self.body
        terms = Q()
        if start is not None:
            terms &= Q(**{f"{field}__gte": value(start)})
        if end is not None:
            terms &= Q(**{f"{field}__lt": value(end)})
        return terms

    def edge_q(self) -> Q | None:
        """The raw rows' created_at in the edges (None: no edges)."""
        if not self.edges:
            return None
        terms = Q()
        for start, end in self.edges:
            edge = Q(created_at__gte=start) if start is not None else Q()
            if end is not None:
                edge &= Q(created_at__lt=end)
            terms |= edge
        return terms


def _utc_midnight(moment: dt.datetime, *, up: bool) -> dt.datetime:
    """The UTC midnight at or after (`up`) or at or before `moment`."""
    midnight = dt.datetime.combine(moment.astimezone(dt.UTC).date(), dt.time.min, tzinfo=dt.UTC)
    if up and midnight < moment:
        midnight += dt.timedelta(days=1)
    return midnight


def _subtotals(owner, window: _Window) -> list[dict]:
    """Rows of (type, status, source_module) with their sums; a combination may come twice
    (rollups and edges), which _roll_up and _total add up."""
    rows = []
    days = window.days()
    if window.whole():
        # The whole library: the owner's totals (a row per type, status and module).
        rows += OwnerTotals.objects.filter(owner_id=owner.pk, assets__gt=0).values(
            "type", "status", "source_module", "favorites", "downloads", "shares", "storage_bytes", "used",
            "unused_cost", count=F("assets"), cost_sum=F("cost"),
        )
    elif days is not None:
        rows += DayTotals.objects.filter(days, owner_id=owner.pk, assets__gt=0).values(
            "type", "status", "source_module"
        ).annotate(
            count=Sum("assets"), cost_sum=Sum("cost"), favorites=Sum("favorites"), downloads=Sum("downloads"),
            shares=Sum("shares"), storage_bytes=Sum("storage_bytes"), used=Sum("used"), unused_cost=Sum("unused_cost"),
        ).order_by()
    edges = window.edge_q()
    if edges is not None:
        rows += _alive(owner).filter(edges).values("type", "status", "source_module").annotate(
            count=Count("*"), cost_sum=Sum("cost"), favorites=Count("pk", filter=Q(is_favorite=True)),
            downloads=Sum("download_count"), shares=Sum("share_count"), storage_bytes=Sum("file_size"),
            used=Count("pk", filter=Q(usage_count__gt=0)), unused_cost=Sum("cost", filter=Q(usage_count=0)),
        ).order_by()
    return rows


def _model_subtotals(owner, window: _Window) -> list[dict]:
    """Rows of (model, count, cost_sum), a model possibly twice; assets without a model left out."""
    rows = []
    days = window.days()
    if days is not None:
        rows += DayModelTotals.objects.filter(days, owner_id=owner.pk, assets__gt=0).exclude(model="").values(
            "model"
        ).annotate(count=Sum("assets"), cost_sum=Sum("cost")).order_by()
    edges = window.edge_q()
    if edges is not None:
        rows += _alive(owner).filter(edges).exclude(model="").values("model").annotate(
            count=Count("*"), cost_sum=Sum("cost")
        ).order_by()
    return rows


def _timeline(owner, window: _Window, params: StatsParams) -> list[dict]:
    """Rows of (period, assets, cost_sum, downloads, shares, usages); a period may come more than once."""
    rows = []
    if window.body is not None:
        rows += _slot_periods(owner, window, params)
    edges = window.edge_q()
    if edges is not None:
        truncated = Trunc("created_at", params.period, tzinfo=params.tz)
        rows += _alive(owner).filter(edges).annotate(period=truncated).values("period").annotate(
            assets=Count("*"), cost_sum=Sum("cost")
        ).order_by()
        rows += UsageEvent.objects.owned_by(owner).filter(edges).of_kind(
            UsageEventKind.DOWNLOADED, UsageEventKind.SHARED, UsageEventKind.USED
        ).annotate(period=truncated).values("period").annotate(
            # COUNT(kind), not COUNT(id): the (owner, kind, created_at) index then answers alone.
            downloads=Count("kind", filter=Q(kind=UsageEventKind.DOWNLOADED)),
            shares=Count("kind", filter=Q(kind=UsageEventKind.SHARED)),
            usages=Count("kind", filter=Q(kind=UsageEventKind.USED)),
        ).order_by()
    return rows


def _slot_periods(owner, window: _Window, params: StatsParams) -> list[dict]:
    """The timeline's rows from the quarter-hour rollups of the window's whole days, summed
    by period (analytics.sql.slot_period_sums: each slot's period by a binary search among
    the periods' first instants, computed here). The periods run from the range's first
    (or the first slot's) to its last (or the current one); slots dated later than now
    are put in theirs the slow way, in the same query. A range too long for a chart is
    refused (on `period`) as by stats_over_time."""
    start, end = window.body
    first_slot = start
    if first_slot is None:
        slots = SlotTotals.objects.filter(owner_id=owner.pk)
        if end is not None:
            slots = slots.filter(slot__lt=end)
        first_slot = slots.aggregate(first=Min("slot"))["first"]
        if first_slot is None:
            return []
    first = _period_start(_local_day(first_slot, params.tz), params.period)
    last = _local_day(end - dt.timedelta(microseconds=1) if end is not None else timezone.now(), params.tz)
    days = _period_starts(first, max(first, _period_start(last, params.period)), params.period)
    starts = [dt.datetime.combine(day, dt.time.min, tzinfo=params.tz) for day in days]
    try:
        beyond = dt.datetime.combine(_next_period(days[-1], params.period), dt.time.min, tzinfo=params.tz)
    except (OverflowError, ValueError):  # the calendar's last period
        beyond = None
    rows = sql.slot_period_sums(owner_id=owner.pk, start=start, end=end, starts=starts, beyond=beyond,
                                period=params.period, tz_name=getattr(params.tz, "key", None) or str(params.tz))
    return [
        {"period": elsewhere.replace(tzinfo=params.tz) if elsewhere is not None else starts[bucket - 1],
         "assets": assets, "cost_sum": cost, "downloads": downloads, "shares": shares, "usages": usages}
        for bucket, elsewhere, assets, cost, downloads, shares, usages in rows
    ]


def _alive(owner) -> QuerySet:
    return Asset.objects.owned_by(owner).alive()


def _library(owner, params: StatsParams) -> QuerySet:
    """The assets the figures describe: the owner's, not in the trash, created in the range."""
    return _in_range(_alive(owner), params)


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
