"""The core's extension points: what the apps above it plug in.

`assets` is the core; analytics and collections_app depend on it, never the reverse (an
import-linter contract in `make test` keeps it so). When the core needs something only
they know, it asks here, and they register what they know in their `AppConfig.ready()`:

- **change recorders** record what happened to assets (analytics: usage events). The core
  calls them inside the transaction that makes the change, not after it commits: an event
  exists exactly when its change committed, and moving 100,000 assets to the trash records
  their events in its own UPDATE statement (`change_sql`).
- **a library counter** gives exact counts of an owner's live assets without counting rows
  (analytics: the rollups the database keeps), or None when it cannot.
- **list relations** are what each listed asset carries from another app (collections_app:
  its collection ids), fetched for a page at once.
- **list filters** are list parameters whose terms another app knows (collections_app:
  `collection`).
- **visibility** says who may see an asset beyond its owner (for shared collections).
- **list scopes** turn a list parameter into the set of assets listed (collections_app:
  `collection` lists a collection's assets, whoever owns them, for anyone with a role on it).

With nothing registered the core still works: no events, counts from the rows, no
relations, a filter that selects nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import models


class AssetChange(models.TextChoices):
    """What happens to an asset (analytics records each as a usage event of that kind)."""

    CREATED = "created", "Created"
    DOWNLOADED = "downloaded", "Downloaded"
    SHARED = "shared", "Shared"
    VIEWED = "viewed", "Viewed"
    EDITED = "edited", "Edited"
    DELETED = "deleted", "Deleted"
    RESTORED = "restored", "Restored"
    USED = "used", "Used"


class ChangeRecorder(Protocol):
    def record(self, *, owner_id, asset_ids: Iterable, change: str, source: str, share_link_id=None,
               at=None) -> None:
        """Record `change` for each of the owner's `asset_ids` (inside the caller's transaction),
        as of `at` (None: now)."""

    def insert_sql(self, *, owner_id, ids_from: str, change: str, source: str) -> tuple[str, list]:
        """An INSERT recording `change` for each row (column `id`) of the query named `ids_from`,
        to run in the same statement as the change (PostgreSQL's `WITH changed AS (...)`)."""


@dataclass(frozen=True)
class ListRelation:
    """Something each listed asset carries from another app, as a list of values.

    - `prefetch()`: a Prefetch for querysets whose rows become model instances;
    - `values(asset)`: the values, read from what that prefetch (or a plain query) gives;
    - `rows(asset_ids)`: (asset id, value) pairs, in order, for a page at once (one query);
    - `array(outer_ref)`: the values as one expression per row (PostgreSQL's ArraySubquery),
      so that a page is a single query there.
    """

    prefetch: Callable[[], object]
    values: Callable[[object], list]
    rows: Callable[[list], Iterable[tuple]]
    array: Callable[[object], object]
    # `seen(user, values) -> set`: which of `values` `user` may see, when the asset is
    # someone else's (a member sees only the collections they have a role on).
    seen: Callable[[object, list], set] | None = None


@dataclass(frozen=True)
class ListScope:
    """What a list scope lists: `assets` (a queryset the list's other parameters filter and
    order), and, where the app keeps them, the fast answers for the list with no other
    parameter than those in `narrows_by`: `live_count(**terms)` (its assets outside the
    trash) and `newest_live_ids(offset, limit, **terms)` (their ids, newest first). The
    terms: `types` and `statuses` (lists of asset types and statuses, or None for all)."""

    assets: object
    live_count: Callable[..., int] | None = None
    newest_live_ids: Callable[..., list] | None = None
    narrows_by: frozenset = frozenset()
    # For a keyword search within the scope (assets.search.scoped_search), where the app
    # keeps them: `live_window(**terms)` (a queryset of its live assets' id and creation
    # time, newest first), `live_members(**terms)` (a queryset of their ids) and
    # `owner_ids()` (every owner whose assets it may hold).
    live_window: Callable[..., object] | None = None
    live_members: Callable[..., object] | None = None
    owner_ids: Callable[[], list] | None = None


_recorders: list[ChangeRecorder] = []
_library_counter: Callable | None = None
_relations: dict[str, ListRelation] = {}
_filters: dict[str, Callable] = {}
_visibility: list[Callable] = []
_scopes: dict[str, Callable] = {}


def register_change_recorder(recorder: ChangeRecorder) -> None:
    if recorder not in _recorders:
        _recorders.append(recorder)


def unregister_change_recorder(recorder: ChangeRecorder) -> None:
    if recorder in _recorders:
        _recorders.remove(recorder)


def register_library_counter(count: Callable) -> None:
    """`count(*, owner, types, statuses, modules, favorites_only, used) -> int | None`."""
    global _library_counter  # noqa: PLW0603 - the one registration point
    _library_counter = count


def register_list_relation(name: str, relation: ListRelation) -> None:
    _relations[name] = relation


def register_list_filter(name: str, term: Callable) -> None:
    """`term(*, owner, value) -> Q` for list parameter `name`."""
    _filters[name] = term


def register_visibility(provider: Callable) -> None:
    """`provider(user) -> Q` over assets: those `user` may see besides their own."""
    if provider not in _visibility:
        _visibility.append(provider)


def unregister_visibility(provider: Callable) -> None:
    if provider in _visibility:
        _visibility.remove(provider)


def register_list_scope(name: str, scope: Callable) -> None:
    """`scope(*, user, value) -> ListScope | None`: what list parameter `name` lists
    instead of the user's library (one they may not see: no assets; None: the user's
    library after all, with the parameter as a filter)."""
    _scopes[name] = scope


def list_scope(name: str, *, user, value):
    """The assets list parameter `name` lists for `user`, or None when no app scopes it."""
    scope = _scopes.get(name)
    return None if scope is None else scope(user=user, value=value)


def record_change(*, owner_id, asset_ids: Iterable, change: str, source: str, share_link_id=None, at=None) -> None:
    ids = list(asset_ids)
    if not ids:
        return
    for recorder in _recorders:
        recorder.record(owner_id=owner_id, asset_ids=ids, change=change, source=source, share_link_id=share_link_id,
                        at=at)


def change_sql(*, owner_id, ids_from: str, change: str, source: str) -> list[tuple[str, list]]:
    return [
        recorder.insert_sql(owner_id=owner_id, ids_from=ids_from, change=change, source=source)
        for recorder in _recorders
    ]


def library_counter() -> Callable | None:
    """`count(*, owner, types, statuses, modules, favorites_only, used) -> int | None`, if an app
    gave one (None: it cannot count that; the rows are counted)."""
    return _library_counter


def list_relations() -> dict[str, ListRelation]:
    return dict(_relations)


def relation_values(name: str, asset) -> list:
    """The values of relation `name` for `asset`: attached by the list selectors, or read
    through the relation's own prefetch (or query); none when no app provides it."""
    attached = getattr(asset, "list_relations", None)
    if attached is not None and name in attached:
        return attached[name]
    relation = _relations.get(name)
    return [] if relation is None else relation.values(asset)


def list_filter_term(name: str, *, owner, value):
    term = _filters.get(name)
    return models.Q(pk__in=[]) if term is None else term(owner=owner, value=value)


def visible_to(user) -> models.Q:
    """The assets `user` may see: their own, and what the providers add."""
    query = models.Q(owner_id=user.pk)
    for provider in _visibility:
        query |= provider(user)
    return query
