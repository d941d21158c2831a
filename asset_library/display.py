"""How values read on the page: the one home of every display rule (titles, labels,
durations, dates, sizes, costs, badges). Templates reach these through the filters in
templatetags/library_ui.py; the scripts render no values of their own, they swap in
server-rendered partials."""

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime

STATUS_TOOLTIPS = {
    "completed": "Completed",
    "processing": "Processing: being generated",
    "failed": "Failed",
    "pending": "Pending: queued for generation",
}
STATUS_ICONS = {"completed": "status-completed", "processing": "status-processing",
                "failed": "status-failed", "pending": "status-pending"}
TYPE_ICONS = {"image": "image", "video": "video", "audio": "audio", "text": "text"}
TYPE_LABELS = {"image": "Image", "video": "Video", "audio": "Audio", "text": "Text"}
STATUS_LABELS = {"completed": "Completed", "processing": "Processing", "failed": "Failed", "pending": "Pending"}


def _field(asset, name, default=None):
    """A field of an asset given as a dict (serialized) or as a model instance."""
    if isinstance(asset, dict):
        return asset.get(name, default)
    return getattr(asset, name, default)


def type_label(asset_type) -> str:
    return TYPE_LABELS.get(asset_type, asset_type or "")


def status_label(status) -> str:
    return STATUS_LABELS.get(status, status or "")


def untitled(asset_type) -> str:
    """What an asset without a title is called: "Untitled image"."""
    return f"Untitled {TYPE_LABELS.get(asset_type, 'asset').lower()}"


def display_title(asset) -> str:
    """The asset's title, else "Untitled <type>". `asset`: a dict or an Asset."""
    return _field(asset, "title") or untitled(_field(asset, "type"))


def status_tooltip(asset) -> str:
    """The status badge's tooltip; a failed asset's says why."""
    status = _field(asset, "status", "")
    text = STATUS_TOOLTIPS.get(status, status)
    if status == "failed" and _field(asset, "error_message"):
        text = f"{text}: {_field(asset, 'error_message')}"
    return text


def as_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value:
        return parse_datetime(value)
    return None


def relative_time(value, now: dt.datetime | None = None) -> str:
    moment = as_datetime(value)
    if moment is None:
        return ""
    now = now or timezone.now()
    seconds = (now - moment).total_seconds()
    if seconds < 45:
        return "just now"
    if seconds < 90:
        return "1 min ago"
    if seconds < 3600:
        return f"{_round(seconds / 60)} min ago"
    if seconds < 86400:
        return f"{_round(seconds / 3600)} h ago"
    days = math.floor(seconds / 86400)
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    local = timezone.localtime(moment)
    text = f"{local:%b} {local.day}"
    return text if local.year == timezone.localtime(now).year else f"{text}, {local.year}"


def full_time(value) -> str:
    moment = as_datetime(value)
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local:%b} {local.day}, {local.year}, {local:%H:%M}"


def credits(value) -> str:
    """A cost with 2 to 4 decimals: 0.0400 → 0.04, 0.0067 → 0.0067."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    text = f"{number:.4f}"
    whole, _, decimals = text.partition(".")
    decimals = decimals.rstrip("0").ljust(2, "0")
    return f"{int(whole):,}.{decimals}"


def duration(seconds) -> str:
    """Seconds as m:ss or h:mm:ss, rounded down (a 12.9 s clip reads 0:12, as players show it)."""
    if seconds is None or seconds == "":
        return ""
    total = max(0, math.floor(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def dimensions(asset) -> str:
    width, height = _field(asset, "width"), _field(asset, "height")
    return f"{width}×{height}" if width and height else ""


def size_or_length(asset) -> str:
    """What the list's 'Size' column shows: dimensions, and the duration of audio and video."""
    seconds = _field(asset, "duration_seconds")
    if _field(asset, "type") in ("audio", "video") and seconds is not None:
        dims = dimensions(asset)
        return f"{dims} · {duration(seconds)}" if dims else duration(seconds)
    return dimensions(asset)


def file_size(value) -> str:
    """1536 → "1.5 KB" (powers of 1024, one decimal under 10)."""
    if value in (None, ""):
        return ""
    try:
        size = float(value)
    except (TypeError, ValueError):
        return ""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            if unit == "bytes":
                return f"{int(size):,} byte{'s' if int(size) != 1 else ''}"
            return f"{size:.1f} {unit}" if size < 10 else f"{size:,.0f} {unit}"
        size /= 1024
    return ""


def plural(count, word: str, plural_word: str = "") -> str:
    """1 → "1 asset", 1284 → "1,284 assets"."""
    return f"{thousands(count)} {word if count == 1 else (plural_word or word + 's')}"


def used_marker(count) -> str:
    """A card's or row's usage marker: "used 3×" ('' when never used)."""
    return f"used {thousands(count)}×" if count else ""


def used_title(count) -> str:
    """What the marker means, for its tooltip: "Used in 3 places" / "Never used"."""
    return f"Used in {plural(count, 'place')}" if count else "Never used"


def thousands(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return ""


def preview_url(asset: dict) -> str:
    """The picture a card shows: the thumbnail, else an image's own file."""
    if asset.get("thumbnail_url"):
        return asset["thumbnail_url"]
    if asset.get("type") == "image" and asset.get("file_url") and asset.get("status") == "completed":
        return asset["file_url"]
    return ""


def excerpt(text, length=280) -> str:
    text = (text or "").strip()
    return text if len(text) <= length else text[:length].rstrip() + "…"


def waveform_bars(seed: str, count: int = 40) -> list[int]:
    """A decorative waveform (heights in %) that depends only on the asset id."""
    try:
        state = int((seed or "").replace("-", "")[:7], 16) or 1
    except ValueError:
        state = 1
    bars = []
    for i in range(count):
        state = (state * 48271) % 2147483647  # Park-Miller: exact in JS numbers too
        envelope = math.sin(math.pi * (i + 0.5) / count)
        bars.append(_round(18 + 70 * envelope * (0.35 + 0.65 * (state % 1000) / 1000)))
    return bars


def _round(number: float) -> int:
    """Half up, as JavaScript's Math.round (Python's round() goes to even)."""
    return math.floor(number + 0.5)


def media_kind(asset: dict) -> str:
    """What a card's picture area shows: picture, video, waveform, text or placeholder."""
    if preview_url(asset):
        return "picture"
    completed = asset.get("status") == "completed"
    if asset.get("type") == "video" and asset.get("file_url") and completed:
        return "video"
    if asset.get("type") == "audio" and completed:
        return "waveform"
    if asset.get("type") == "text" and asset.get("text_excerpt"):
        return "text"
    return "placeholder"


PLACEHOLDER_TEXT = {"failed": "Generation failed", "processing": "Generating…", "pending": "Queued"}
