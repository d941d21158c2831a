"""What the statistics page shows: its range and period picker, read from the query
string, and the figures of analytics.selectors.stats_for turned into charts and rows.

The picker's state lives in the URL (`range`, `period`, `from`, `to`, `tz`), so a link
reproduces the dashboard. The figures mean exactly what `GET /api/v1/stats/` means: the
range becomes its `created_after` / `created_before`, parsed by the same serializer.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from analytics import selectors as analytics_selectors
from analytics.api.serializers import StatsParamsSerializer
from asset_library import display, svg_charts
from asset_library.svg_charts import Bar, Point, Series
from assets.modules import module_label

# (key, label, days back including today; None: no lower bound)
RANGES = (
    ("7d", "Last 7 days", 7),
    ("30d", "Last 30 days", 30),
    ("90d", "Last 90 days", 90),
    ("12m", "Last 12 months", 365),
    ("all", "All time", None),
    ("custom", "Custom", None),
)
RANGE_DAYS = {key: days for key, _label, days in RANGES}
DEFAULT_RANGE = "30d"
PERIODS = (("day", "Day"), ("week", "Week"), ("month", "Month"))
# The period a range reads best in, unless one is chosen.
NATURAL_PERIOD = {"7d": "day", "30d": "day", "90d": "week", "12m": "month", "all": "month", "custom": "day"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class StatsPicker:
    range: str = DEFAULT_RANGE
    period: str = "day"
    start: dt.date | None = None  # first day, inclusive
    end: dt.date | None = None  # last day, inclusive
    tz: str = "UTC"
    errors: dict[str, list[str]] = field(default_factory=dict)

    def api_params(self) -> dict[str, str]:
        """The same figures through the API: GET /api/v1/stats/?… (and export.csv)."""
        params = {"period": self.period}
        if self.start:
            params["created_after"] = self.start.isoformat()
        if self.end:
            params["created_before"] = (self.end + dt.timedelta(days=1)).isoformat()
        if self.tz != "UTC":
            params["tz"] = self.tz
        return params

    def query(self, **changes) -> str:
        """This page's query string, with some values changed."""
        params = {"range": self.range, "period": self.period, "tz": self.tz}
        if self.range == "custom":
            params["from"] = self.start.isoformat() if self.start else ""
            params["to"] = self.end.isoformat() if self.end else ""
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v and not (k == "tz" and v == "UTC")})

    @property
    def range_label(self) -> str:
        if self.range == "custom":
            if self.start and self.end:
                return f"{_day(self.start)} – {_day(self.end)}"
            if self.start:
                return f"Since {_day(self.start)}"
            if self.end:
                return f"Until {_day(self.end)}"
        return dict((k, label) for k, label, _days in RANGES).get(self.range, "")


def _day(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _parse_day(raw: str, name: str, errors) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = ["Use a date as YYYY-MM-DD."]
        return None


def picker_from_query(get) -> StatsPicker:
    """The picker as the query string sets it; what is malformed is reported and left at its default."""
    picker = StatsPicker()
    errors: dict[str, list[str]] = {}
    tz_name = (get.get("tz") or "").strip() or "UTC"
    try:
        tz = zoneinfo.ZoneInfo(tz_name)
        picker.tz = tz_name
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["tz"] = [f"'{tz_name[:60]}' is not a known time zone."]
        tz = dt.UTC
    chosen = (get.get("range") or "").strip()
    if get.get("from") or get.get("to"):
        chosen = chosen or "custom"
    if chosen and chosen not in RANGE_DAYS:
        errors["range"] = [f"'{chosen[:30]}' is not one of: {', '.join(RANGE_DAYS)}."]
        chosen = ""
    picker.range = chosen or DEFAULT_RANGE
    period = (get.get("period") or "").strip()
    if period and period not in dict(PERIODS):
        errors["period"] = ["Use day, week or month."]
        period = ""
    picker.period = period or NATURAL_PERIOD[picker.range]

    today = timezone.now().astimezone(tz).date()
    if picker.range == "custom":
        picker.start = _parse_day(get.get("from", ""), "from", errors)
        picker.end = _parse_day(get.get("to", ""), "to", errors)
        if picker.start and picker.end and picker.start > picker.end:
            errors["from"] = ["The first day must not be after the last."]
            picker.start, picker.end = picker.end, picker.start
    elif RANGE_DAYS[picker.range]:
        picker.start = today - dt.timedelta(days=RANGE_DAYS[picker.range] - 1)
        picker.end = today
    picker.errors = errors
    return picker


def stats_for(*, owner, picker: StatsPicker) -> dict | None:
    """The figures for the picker (analytics' selector), or None with the errors recorded."""
    serializer = StatsParamsSerializer(data=picker.api_params())
    if not serializer.is_valid():
        picker.errors.update({k: [str(m) for m in v] for k, v in serializer.errors.items()})
        return None
    try:
        return analytics_selectors.stats_for(owner=owner, params=serializer.params())
    except ValidationError as exc:
        picker.errors.update(exc.message_dict)
        return None


# ---------- Labels ----------


def period_label(start: dt.datetime, period: str, *, long: bool = False) -> str:
    day = start.date()
    if period == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    text = f"{MONTHS[day.month - 1]} {day.day}"
    if long:
        text = f"{text}, {day.year}"
        return f"Week of {text}" if period == "week" else text
    return text


# ---------- Charts ----------


def _two_sizes(draw, **kwargs) -> dict:
    """A wide drawing and a narrow one (CSS shows the one that fits its box)."""
    chart_id = kwargs.pop("chart_id")
    return {
        "wide": draw(chart_id=f"{chart_id}-wide", width=880, height=260, **kwargs),
        "narrow": draw(chart_id=f"{chart_id}-narrow", width=360, height=220, **kwargs),
    }


def charts(stats: dict, picker: StatsPicker) -> dict:
    """Everything the dashboard draws, from stats_for's figures."""
    totals = stats["totals"]
    rows = stats["over_time"]
    period = picker.period
    short = [period_label(r["period_start"], period) for r in rows]
    long = [period_label(r["period_start"], period, long=True) for r in rows]

    cost_points = [
        Point(label, float(r["cost"]),
              f"{name}: {display.credits(r['cost'])} credits · {display.plural(r['assets'], 'asset')}")
        for label, name, r in zip(short, long, rows, strict=True)
    ]
    total_cost = sum((r["cost"] for r in rows), Decimal(0))
    cost_chart = _two_sizes(
        svg_charts.bar_chart,
        points=cost_points,
        chart_id="cost-chart",
        title=f"Cost per {period}",
        description=(
            f"{len(rows)} {period}s, {picker.range_label.lower()}: {display.credits(total_cost)} credits in all, "
            f"highest {display.credits(max((r['cost'] for r in rows), default=0))}."
        ),
    )
    downloads = [r["downloads"] for r in rows]
    shares = [r["shares"] for r in rows]
    usages = [r["usages"] for r in rows]
    usage_chart = _two_sizes(
        svg_charts.line_chart,
        labels=short,
        series=[
            Series("Downloads", downloads, "series-1",
                   [f"{name}: {display.plural(n, 'download')}" for name, n in zip(long, downloads, strict=True)]),
            Series("Shares", shares, "series-2",
                   [f"{name}: {display.plural(n, 'share')}" for name, n in zip(long, shares, strict=True)]),
            Series("Used", usages, "series-3",
                   [f"{name}: used {display.plural(n, 'time')}" for name, n in zip(long, usages, strict=True)]),
        ],
        chart_id="usage-chart",
        title=f"Downloads, shares and usages per {period}",
        description=(
            f"{display.plural(sum(downloads), 'download')}, {display.plural(sum(shares), 'share')} and "
            f"{display.plural(sum(usages), 'usage')} over {len(rows)} {period}s."
        ),
    )
    def cost_of(breakdown: str, name: str) -> str:
        return f"{display.credits(stats[breakdown].get(name, 0))} credits"

    by_type = [
        Bar(display.type_label(name), count, f"{count:,}",
            f"{display.type_label(name)}: {display.plural(count, 'asset')}, {cost_of('cost_by_type', name)}",
            f"type-{name}")
        for name, count in totals["by_type"].items()
    ]
    by_status = [
        Bar(display.status_label(name), count, f"{count:,}",
            f"{display.status_label(name)}: {display.plural(count, 'asset')}", f"status-{name}")
        for name, count in totals["by_status"].items()
    ]
    by_module = [
        Bar(module_label(name), count, f"{count:,}",
            f"{module_label(name)}: {display.plural(count, 'asset')}, {cost_of('cost_by_module', name)}", "series-1")
        for name, count in list(totals["by_module"].items())[:8]
    ]
    breakdowns = [
        {"key": "type", "title": "By type", "rows": by_type,
         "svg": svg_charts.hbar_chart(by_type, chart_id="type-chart", title="Assets by type",
                                      description=", ".join(f"{b.label} {b.display}" for b in by_type))},
        {"key": "status", "title": "By status", "rows": by_status,
         "svg": svg_charts.hbar_chart(by_status, chart_id="status-chart", title="Assets by status",
                                      description=", ".join(f"{b.label} {b.display}" for b in by_status))},
        {"key": "module", "title": "By module", "rows": by_module,
         "svg": svg_charts.hbar_chart(by_module, chart_id="module-chart", title="Assets by module",
                                      description=", ".join(f"{b.label} {b.display}" for b in by_module)
                                      or "No assets yet.")},
    ]
    top_count = max((m["count"] for m in stats["top_models"]), default=0) or 1
    top_models = [
        {**m, "share": round(100 * m["count"] / top_count, 1), "cost_display": display.credits(m["cost"])}
        for m in stats["top_models"]
    ]
    top_module_count = max((m["count"] for m in stats["top_modules"]), default=0) or 1
    top_modules = [
        {**m, "label": module_label(m["source_module"]), "share": round(100 * m["count"] / top_module_count, 1),
         "cost_display": display.credits(m["cost"])}
        for m in stats["top_modules"]
    ]
    return {
        "kpis": [
            {"key": "assets", "label": "Assets", "value": f"{totals['assets']:,}",
             "hint": f"{totals['favorites']:,} favourite{'' if totals['favorites'] == 1 else 's'}"},
            {"key": "cost", "label": "Credits spent", "value": display.credits(totals["cost"]),
             "hint": f"over {display.plural(len(rows), period)}" if rows else "nothing yet"},
            {"key": "downloads", "label": "Downloads", "value": f"{totals['downloads']:,}", "hint": "of these assets"},
            {"key": "shares", "label": "Shares", "value": f"{totals['shares']:,}", "hint": "of these assets"},
            {"key": "storage", "label": "Storage used", "value": display.file_size(totals["storage_bytes"]),
             "hint": "files of these assets"},
            {"key": "used", "label": "Used", "value": f"{totals['used']:,}",
             "hint": f"{_percent(totals['used'], totals['assets'])} of these assets" if totals["assets"]
             else "nothing yet"},
            {"key": "unused_cost", "label": "Unused spend", "value": display.credits(totals["unused_cost"]),
             "hint": f"on {display.plural(totals['unused'], 'asset')} never used"},
        ],
        "cost_chart": cost_chart,
        "usage_chart": usage_chart,
        "rows": [
            {"label": name, "assets": r["assets"], "cost": display.credits(r["cost"]),
             "downloads": r["downloads"], "shares": r["shares"], "usages": r["usages"]}
            for name, r in zip(long, rows, strict=True)
        ],
        "has_activity": any(r["assets"] or r["downloads"] or r["shares"] or r["usages"] for r in rows),
        "breakdowns": breakdowns,
        "top_models": top_models,
        "top_modules": top_modules,
        "most_downloaded": stats["most_downloaded"],
        "most_shared": stats["most_shared"],
        "most_used": stats["most_used"],
        "points": len(rows),
    }


def _percent(part: int, whole: int) -> str:
    """A share of a whole as people read it: "0%", "<1%", "37%", ">99%", "100%" (never
    rounded to 0 % or 100 % when it is not)."""
    if not whole or not part:
        return "0%"
    share = 100 * part / whole
    if share < 1:
        return "<1%"
    return ">99%" if share > 99 and part < whole else f"{share:.0f}%"


CLEANUP_DAYS = 30  # the cleanup panel's first suggestion: never used in a month
MAX_CLEANUP_DAYS = 3650


def cleanup(*, owner, days) -> dict:
    """The cleanup panel: the owner's assets never used and older than `days` days (counted
    from today's UTC midnight), what they cost, and the library's address that lists them
    all selected for review (and the trash). A `days` that is not a whole number from 0 to
    3650 is said so, and the suggestion stands."""
    error = ""
    try:
        days = int(str(days).strip())
        if not 0 <= days <= MAX_CLEANUP_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        error = f"Use a whole number of days from 0 to {MAX_CLEANUP_DAYS:,}."
        days = CLEANUP_DAYS
    created_before = dt.datetime.now(tz=dt.UTC).date() - dt.timedelta(days=days)
    figures = analytics_selectors.never_used(owner=owner, created_before=created_before)
    query = urlencode({"used": "false", "created_before": created_before.isoformat(), "select": "all"})
    return {
        "days": days,
        "error": error,
        "created_before": created_before,
        "assets": figures["assets"],
        "cost": display.credits(figures["cost"]),
        "review_href": f"{reverse('library:library')}?{query}",
        "fragment_url": reverse("library:stats-cleanup"),
    }
