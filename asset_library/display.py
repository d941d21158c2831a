"""How values read on the page. static/asset_library/format.js holds the same rules for
what the scripts render, so a server-rendered card and a script-rendered one match."""

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
    if seconds is None:
        return ""
    total = max(0, math.floor(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def dimensions(asset: dict) -> str:
    if asset.get("width") and asset.get("height"):
        return f"{asset['width']}×{asset['height']}"
    return ""


def size_or_length(asset: dict) -> str:
    """What the list's 'Size' column shows: dimensions, else duration, else words."""
    if asset.get("type") in ("audio", "video") and asset.get("duration_seconds") is not None:
        text = duration(asset["duration_seconds"])
        dims = dimensions(asset)
        return f"{dims} · {text}" if dims else text
    return dimensions(asset)


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
