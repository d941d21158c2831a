"""Keys for plain, immutable values: what lets a batch treat repeated values once."""

import datetime
import uuid
from decimal import Decimal

# Compared by what they hold.
_BY_VALUE = (str, int, bool, uuid.UUID, type(None))
# Compared as written too: 0.04 and 0.04000 are equal numbers with different digits.
_AS_WRITTEN = (Decimal, float, datetime.datetime)


def plain_key(value):
    """A key for `value` (equal keys: the same type, the same value, written alike), or None
    when it is not a plain, immutable value (lists, dicts, files, ...)."""
    kind = type(value)
    if kind in _BY_VALUE:
        return (kind, value)
    if kind in _AS_WRITTEN:
        return (kind, str(value))
    return None
