"""Keyset ("cursor") paging over the asset list, for infinite scroll.

A cursor is the ordering column's value and the id of the last row seen; the next page is
every row strictly after that pair. New assets never shift later pages, so nothing
repeats or is skipped while a library grows. For the non-null columns the condition is
a row comparison, `(created_at, id) < (%s, %s)`, which PostgreSQL answers as an index
range on (owner, created_at DESC, id DESC) instead of scanning past earlier pages.
"""

import base64
import binascii
import datetime as dt
import json
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.db.models.functions import Lower

from assets import sql

DEFAULT_ORDERING = "-created_at"
NULLABLE = {"file_size"}
# Orderings by an expression of a column, not the column: titles sort without regard to
# case ("brand colours" before "Yoga"), by the database's own lower() (an index of the
# owner's live assets on it: Asset.Meta). A cursor carries that expression's value, as
# the database gave it (`sort_key`), so that no Python lower() need agree with it.
SORT_EXPRESSIONS = {"title": Lower("title")}


# A cursor comes back from the client: each value must be one the column could hold.
def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _aware_datetime(value) -> dt.datetime:
    value = dt.datetime.fromisoformat(_text(value))
    if value.tzinfo is None:
        raise ValueError(value)
    return value.astimezone(dt.UTC)


def _decimal(value) -> Decimal:
    value = Decimal(_text(value))
    if not value.is_finite() or abs(value) >= Decimal("1e8"):
        raise ValueError(value)
    return value


def _bigint(value) -> int:
    value = int(_text(value))
    if not -(2**63) <= value < 2**63:
        raise ValueError(value)
    return value


PARSERS = {
    "created_at": _aware_datetime,
    "title": _text,
    "cost": _decimal,
    "download_count": _bigint,
    "file_size": _bigint,
}


def ordering_terms(ordering: str):
    """ORDER BY for an ordering value; ids break ties in the same direction, nulls sort lowest."""
    name = ordering.lstrip("-")
    descending = ordering.startswith("-")
    if name in NULLABLE:
        column = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_first=True)
    else:
        expression = SORT_EXPRESSIONS.get(name, F(name))
        column = expression.desc() if descending else expression.asc()
    return (column, F("id").desc() if descending else F("id").asc())


def with_sort_key(queryset, ordering: str):
    """`queryset` with each row's value of an expression ordering as `sort_key` (what a
    cursor or a neighbour starts from), or unchanged for a column ordering."""
    expression = SORT_EXPRESSIONS.get(ordering.lstrip("-"))
    return queryset if expression is None else queryset.annotate(sort_key=expression)


# The value an ordering's expression has for the row `last_id` itself (asset_neighbours:
# compared in the same query, never read first).
OWN_VALUE = object()


def value_of(asset, ordering: str):
    """`asset`'s value of `ordering`'s column, or of its expression: with_sort_key's
    `sort_key` when the row has it, else OWN_VALUE (what after_cursor compares with the
    row's own, in the same query)."""
    name = ordering.lstrip("-")
    if name not in SORT_EXPRESSIONS:
        return getattr(asset, name)
    return getattr(asset, "sort_key", OWN_VALUE)


def encode_cursor(ordering: str, asset) -> str:
    value = value_of(asset, ordering)
    if value is OWN_VALUE:  # a row read without with_sort_key: the database's value
        value = type(asset).objects.filter(pk=asset.pk).values_list(
            SORT_EXPRESSIONS[ordering.lstrip("-")], flat=True).get()
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    elif value is not None:
        value = str(value)
    raw = json.dumps({"o": ordering, "v": value, "id": asset.pk.hex}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, ordering: str):
    """(value, id) from a cursor made for this ordering; a 400 naming `cursor` otherwise."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data["o"] != ordering:
            raise ValidationError({"cursor": ["This cursor belongs to another ordering; start again without it."]})
        value = data["v"]
        if value is not None:
            value = PARSERS[ordering.lstrip("-")](value)
        elif ordering.lstrip("-") not in NULLABLE:
            raise ValueError
        return value, uuid.UUID(hex=_text(data["id"]))
    except ValidationError:
        raise
    except (ValueError, KeyError, TypeError, OverflowError, InvalidOperation, binascii.Error, UnicodeDecodeError):
        raise ValidationError({"cursor": ["This cursor is malformed; use the `next` link as given."]}) from None


def after_cursor(queryset, ordering: str, value, last_id):
    """The rows of `queryset` (ordered by `ordering_terms(ordering)`) after (value, last_id);
    `value` may be OWN_VALUE: that of the row `last_id`."""
    name = ordering.lstrip("-")
    descending = ordering.startswith("-")
    id_after = Q(id__lt=last_id) if descending else Q(id__gt=last_id)
    if name in NULLABLE:
        if value is None:
            # In the null run: the remaining nulls, then (ascending) every non-null.
            condition = Q(**{f"{name}__isnull": True}) & id_after
            if not descending:
                condition |= Q(**{f"{name}__isnull": False})
        else:
            beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if descending:
                beyond |= Q(**{f"{name}__isnull": True})
            condition = beyond | (Q(**{name: value}) & id_after)
        return queryset.filter(condition)
    lowered = name in SORT_EXPRESSIONS
    return queryset.filter(sql.row_after(queryset, column=name, descending=descending, value=value, last_id=last_id,
                                         lowered=lowered, own_value=lowered and value is OWN_VALUE))
