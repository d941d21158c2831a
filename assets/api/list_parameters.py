"""The asset list's query parameters as the OpenAPI schema states them.

`assets.filters.AssetFilterSet` reads them; these schemas say exactly what it accepts, so
that a client (or a fuzzer) can tell a good value from a 400 without trying: lists are
comma-separated (blank items are skipped), an empty value means "not given", dates are
ISO dates and datetimes from 0001-01-03 to 9999-12-29, costs from 0 to under 10^8. The same
schemas describe the `filter` object of the bulk actions (values there may also be JSON
booleans, numbers and lists, which read as their text).
"""

import zoneinfo

from drf_spectacular.utils import OpenApiParameter

from assets.filters import ORDERING_CHOICES
from assets.models import AssetStatus, AssetType

EMPTY = {"type": "string", "maxLength": 0}


def csv_of(pattern: str) -> str:
    """Comma-separated items that each match `pattern`, blanks and spaces around them allowed."""
    item = rf"\s*(?:{pattern})?\s*"
    return rf"^{item}(?:,{item})*$"


def _choices(values) -> str:
    return "|".join(sorted(values, key=len, reverse=True))


def time_zone_schema() -> dict:
    """An IANA name this server knows (its tz database), or empty for UTC."""
    return {"type": "string", "enum": ["", *sorted(zoneinfo.available_timezones())]}


DATE_OR_DATETIME = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "format": "date-time"},
        EMPTY,
    ]
}
# true/false, and the words the list also reads as such (any case): 1, yes, 0, no; empty: not given.
BOOLEAN = {
    "anyOf": [
        {"type": "boolean"},
        {"type": "integer", "enum": [0, 1]},
        {"type": "string", "pattern": r"^\s*(?:[Tt][Rr][Uu][Ee]|[Yy][Ee][Ss]|1|[Ff][Aa][Ll][Ss][Ee]|[Nn][Oo]|0)?\s*$"},
    ]
}

LIST_PARAMETER_SCHEMAS = {
    "q": ({"type": "string", "maxLength": 500},
          "Keyword search: every word must match; the last as a prefix."),
    "id": ({"type": "string", "pattern": r"^\s*-*(?:[0-9a-fA-F]-*){0,32}\s*$"},
           "Any fragment of the asset id (up to 32 hex digits), hyphens optional."),
    "model": ({"type": "string", "maxLength": 200}, "Case-insensitive partial model name."),
    "type": ({"type": "string", "pattern": csv_of(_choices(AssetType.values))},
             "image,video,audio,text (comma-separated, OR)."),
    "status": ({"type": "string", "pattern": csv_of(_choices(AssetStatus.values))},
               "pending,processing,completed,failed (comma-separated, OR)."),
    "source_module": ({"type": "string", "pattern": csv_of("[a-z0-9_]{1,50}")},
                      "Module slugs (comma-separated, OR); an unknown one matches nothing."),
    "tags": ({"type": "string", "pattern": r"^[^,]{0,100}(?:,[^,]{0,100}){0,49}$"},
             "Tag names (comma-separated, at most 50 of at most 100 characters); any of them matches."),
    "favorites": (BOOLEAN, "true: only favourites."),
    "used": (BOOLEAN, "true: only assets with at least one usage; false: only assets never used."),
    "collection": ({"anyOf": [{"type": "string", "format": "uuid"}, EMPTY]},
                   "Only assets in this collection (one the caller cannot see selects nothing)."),
    "date": ({"anyOf": [{"type": "string", "format": "date"}, EMPTY]}, "Created on this day, in `tz`."),
    "tz": (time_zone_schema(), "IANA time zone for `date` and date-only bounds (default UTC)."),
    "created_after": (DATE_OR_DATETIME, "ISO date or datetime, inclusive."),
    "created_before": (DATE_OR_DATETIME, "ISO date or datetime, exclusive."),
    "min_cost": ({"type": "number", "minimum": 0, "maximum": 100_000_000, "exclusiveMaximum": True}, "Inclusive."),
    "max_cost": ({"type": "number", "minimum": 0, "maximum": 100_000_000, "exclusiveMaximum": True}, "Inclusive."),
    "in_trash": (BOOLEAN, "true: list the trash instead of the library."),
    "ordering": ({"type": "string", "enum": ORDERING_CHOICES},
                 "Default -created_at (relevance with `q`). Titles sort without regard to case; ties by id."),
}

LIST_PARAMETERS = [
    OpenApiParameter(name, schema, description=description)
    for name, (schema, description) in LIST_PARAMETER_SCHEMAS.items()
]

# Beyond the query string's text, a bulk `filter` takes lists of names, and numbers for
# costs (assets.bulk_selection reads exactly these).
_FILTER_ITEMS = {
    "type": {"type": "string", "pattern": rf"^\s*(?:{_choices(AssetType.values)})?\s*$"},
    "status": {"type": "string", "pattern": rf"^\s*(?:{_choices(AssetStatus.values)})?\s*$"},
    "source_module": {"type": "string", "pattern": r"^\s*(?:[a-z0-9_]{1,50})?\s*$"},
    "tags": {"type": "string", "pattern": r"^[^,]{0,100}$"},
}
_COST = {"type": "number", "minimum": 0, "maximum": 100_000_000, "exclusiveMaximum": True}
_DECIMAL_TEXT = {"type": "string", "pattern": r"^\s*(?:\d{1,8}(?:\.\d*)?|\.\d+)?\s*$"}


def _filter_schema(name: str, schema: dict) -> dict:
    if name in _FILTER_ITEMS:
        limit = {"maxItems": 50} if name == "tags" else {}
        return {"anyOf": [schema, {"type": "array", "items": _FILTER_ITEMS[name], **limit}]}
    if name in ("min_cost", "max_cost"):
        return {"anyOf": [_COST, _DECIMAL_TEXT]}
    return schema


def _nullable(schema: dict) -> dict:
    """null means "not given" in a filter; an enum must list it to allow it."""
    if "enum" in schema:
        return {**schema, "nullable": True, "enum": [*schema["enum"], None]}
    return {**schema, "nullable": True}


FILTER_SCHEMA = {
    "type": "object",
    "description": (
        "GET /assets/ list parameters: everything that matches, any number. Values as in the query string "
        "(booleans, numbers and lists of them are read as their text, lists comma-separated); `page` and "
        "`page_size` are ignored; an unknown parameter is a 400 naming `filter.<parameter>`."
    ),
    "properties": {
        **{name: _nullable(_filter_schema(name, schema)) for name, (schema, _) in LIST_PARAMETER_SCHEMAS.items()},
        "page": {"nullable": True},
        "page_size": {"nullable": True},
    },
    "additionalProperties": False,
}
