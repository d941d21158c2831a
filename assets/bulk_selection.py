"""The `"ids"` or `"filter"` body that every bulk action takes, turned into a queryset.

A bulk action names its assets either by id (at most MAX_BULK_IDS of them) or by the
list parameters of `GET /assets/` ("everything that matches"), never both. This module
is the one reader of that choice, so every bulk endpoint rejects the same bad bodies
with the same messages and reports `not_found` the same way.

It only reads: the queryset it returns is lazy, so the service that acts on it
evaluates it inside its own transaction.
"""

import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet

from assets.filters import AssetFilterSet
from assets.models import Asset
from assets.selectors import asset_listing

MAX_BULK_IDS = 10_000
# List parameters that page a listing: meaningless for "everything that matches", so a
# client may send its current list URL's parameters as they are.
PAGING_PARAMETERS = frozenset({"page", "page_size"})
# The JSON types a `filter` value may have beyond the query string's text (the API schema
# states the same, assets.api.list_parameters.FILTER_SCHEMA): lists of names for these,
LIST_VALUED = frozenset({"type", "status", "source_module", "tags"})
# true/false (or 0/1) for these,
BOOLEAN_VALUED = frozenset({"favorites", "in_trash", "used"})
# and numbers for these (or decimal strings: digits, at most 8 before the point).
NUMBER_VALUED = frozenset({"min_cost", "max_cost"})
DECIMAL_TEXT = re.compile(r"\s*(?:\d{1,8}(?:\.\d*)?|\.\d+)?\s*")


class BulkSelection(NamedTuple):
    assets: QuerySet  # the caller's assets to act on (lazy)
    not_found: list[str]  # requested ids that are not among them, in request order


def resolve_bulk_selection(
    *, owner, data, include_trashed: bool = False, within: QuerySet | None = None
) -> BulkSelection:
    """Validate a bulk body and return (assets to act on, ids not found).

    `ids`: the owner's live assets with those ids; any other id (unknown, another
    owner's, in the trash) is reported in `not_found` and left alone. `include_trashed`
    lets actions that make sense in the trash (restore, remove from a collection) find
    trashed ones too. `filter`: whatever `GET /assets/` would list with those
    parameters (so `{"in_trash": true}` selects the trash), without paging; `not_found`
    is then empty. Bad bodies raise ValidationError naming `ids`, `filter` or
    `filter.<parameter>`. `within` (a queryset of assets, e.g. a shared collection's that
    the caller may see) replaces the owner's assets as what `ids` and `filter` select from.
    """
    if not isinstance(data, Mapping):
        raise ValidationError({NON_FIELD_ERRORS: ['Send a JSON object with "ids" or "filter".']})
    ids = data.get("ids")
    filter_params = data.get("filter")
    if ids is not None and filter_params is not None:
        raise ValidationError({NON_FIELD_ERRORS: ['Send either "ids" or "filter", not both.']})
    if ids is None and filter_params is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: ['Send "ids" (a list of asset ids) or "filter" (asset list parameters).']}
        )
    if ids is not None:
        return _by_ids(owner, _parse_ids(ids), include_trashed=include_trashed, within=within)
    rows = _by_filter(owner, filter_params)
    return BulkSelection(rows if within is None else rows.filter(pk__in=within.values("pk")), [])


def _parse_ids(raw) -> list[uuid.UUID]:
    if not isinstance(raw, list):
        raise ValidationError({"ids": ["Send a list of asset ids."]})
    if not raw:
        raise ValidationError({"ids": ["Send at least one id."]})
    if len(raw) > MAX_BULK_IDS:
        raise ValidationError({"ids": [f"Send at most {MAX_BULK_IDS:,} ids; use \"filter\" for more."]})
    parsed = []
    for position, value in enumerate(raw):
        try:
            if not isinstance(value, str):
                raise ValueError
            parsed.append(uuid.UUID(value))
        except ValueError:
            shown = str(value)[:50]
            raise ValidationError({"ids": [f"Item {position}: '{shown}' is not an asset id (a UUID)."]}) from None
    return list(dict.fromkeys(parsed))  # repeated ids count once


def _by_ids(owner, ids: list[uuid.UUID], *, include_trashed: bool, within: QuerySet | None = None) -> BulkSelection:
    assets = Asset.objects.owned_by(owner) if within is None else within
    if not include_trashed:
        assets = assets.alive()
    assets = assets.filter(pk__in=ids)
    found = set(assets.values_list("pk", flat=True))
    return BulkSelection(assets, [str(pk) for pk in ids if pk not in found])


def _by_filter(owner, raw) -> QuerySet:
    if not isinstance(raw, Mapping):
        raise ValidationError({"filter": ['Send an object of asset list parameters, e.g. {"type": "image"}.']})
    known = set(AssetFilterSet.base_filters) | PAGING_PARAMETERS
    errors = {}
    params = {}
    for name, value in raw.items():
        if name not in known:
            # A misspelt parameter silently ignored would act on far more than was meant.
            errors[f"filter.{name}"] = ["Unknown list parameter."]
            continue
        if name in PAGING_PARAMETERS or value is None:
            continue
        text = _as_parameter_text(name, value)
        if text is None:
            errors[f"filter.{name}"] = [_TYPE_MESSAGES.get(name, "Use a string, as in the list's query string.")]
            continue
        params[name] = text
    if errors:
        raise ValidationError(errors)
    try:
        # Exactly what the filter says: a bulk action never acts on a corrected spelling.
        return asset_listing(owner=owner, params=params, correct_spelling=False).rows
    except ValidationError as exc:
        raise ValidationError(_prefixed(exc)) from None


_TYPE_MESSAGES = {
    **{name: "Use a string of comma-separated names, or a list of names." for name in LIST_VALUED},
    **{name: "Use true or false." for name in BOOLEAN_VALUED},
    **{name: "Use a number, e.g. 0.25." for name in NUMBER_VALUED},
}


def _as_parameter_text(name: str, value) -> str | None:
    """A `filter` value as the query-string text the list parameters read, or None when
    its JSON type is not one that parameter takes (lists become comma-separated)."""
    if name in NUMBER_VALUED:
        if isinstance(value, str):
            return value if DECIMAL_TEXT.fullmatch(value) else None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return str(value)
        return None
    if isinstance(value, str):
        return value
    if name in BOOLEAN_VALUED:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value) if type(value) is int and value in (0, 1) else None
    if name in LIST_VALUED and isinstance(value, list):
        if all(isinstance(item, str) and "," not in item for item in value):
            return ",".join(value)
    return None


def _prefixed(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"filter": list(exc.messages)}
    return {
        ("filter" if name == NON_FIELD_ERRORS else f"filter.{name}"): list(messages)
        for name, messages in exc.message_dict.items()
    }
