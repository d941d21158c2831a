"""Finding one row by the id a client sent."""

import uuid
from collections.abc import Callable


def by_id(queryset, value, *, missing: Callable[[], Exception]):
    """The row of `queryset` whose primary key (a UUID) is `value`, as sent: a UUID or its
    text. Anything else (malformed, unknown, or outside `queryset`: another owner's) raises
    `missing()`, the same for every case, so that nothing tells them apart."""
    try:
        pk = uuid.UUID(str(value))
    except ValueError:
        raise missing() from None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise missing()
    return row
