"""Template pieces of the asset, collections, trash, shares, statistics and upload pages."""

import json
import math

from django import template
from django.utils import timezone

from asset_library import display

register = template.Library()


@register.filter
def bytes_size(value):
    """1536 → "1.5 KB"."""
    return display.file_size(value)


@register.filter
def days_from_now(value):
    """Days from now until `value`, a part day counting as one (0 once it has passed)."""
    moment = display.as_datetime(value)
    if moment is None:
        return ""
    return max(0, math.ceil((moment - timezone.now()).total_seconds() / 86400))


@register.filter
def until(value):
    """When something will happen, read as a person would: "in 3 days", "tomorrow", "today"."""
    days = days_from_now(value)
    if days == "":
        return ""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


@register.filter
def is_past(value):
    moment = display.as_datetime(value)
    return moment is not None and moment <= timezone.now()


@register.filter
def metadata_value(value):
    """A metadata value as text: strings as they are, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


@register.filter
def humanize_key(key):
    """"guidance_scale" → "Guidance scale"."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def share_kind(link):
    """What a share link holds, in words."""
    count = link.get("asset_count", 0)
    assets = f"{count:,} asset{'' if count == 1 else 's'}"
    if link.get("kind") == "collection":
        return f"Collection · {assets}"
    if link.get("kind") == "selection":
        return f"Selection · {assets}"
    return "Asset" if count == 1 else f"Asset · {assets}"
