"""Every read of assets on behalf of a user goes through here."""

import uuid
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from assets import access, extensions
from assets.filters import AssetFilterSet, cost_terms, created_range, created_terms, given, id_terms
from assets.keyset import after_cursor, ordering_terms, value_of
from assets.listing import AssetListing
from assets.models import TEXT_EXCERPT_LENGTH, Asset, AssetUsage, TaggedAsset
from assets.search import (
    corrected_words,
    count_matches,
    count_up_to,
    counted_once,
    keyword_search,
    scoped_search,
    search_page,
    search_queries,
    search_words,
    searched_cost_steps,
    searched_months,
    uses_postgres_search,
)
from common.lookups import by_id
from config.api_errors import NotFound

DEFAULT_ORDERING = ("-created_at", "-id")


def with_list_relations(queryset: QuerySet) -> QuerySet:
    """What the serializer reads for each asset, fetched in a fixed number of queries
    (the other apps' relations by their own prefetches: assets.extensions)."""
    return queryset.prefetch_related(
        Prefetch("tagged_items", queryset=TaggedAsset.objects.select_related("tag").order_by("tag__name")),
        *(relation.prefetch() for relation in extensions.list_relations().values()),
    )


def with_text_excerpts(queryset: QuerySet) -> QuerySet:
    """Lists carry a text's first characters, never the text: it is left in the database."""
    from django.db.models.functions import Substr

    return queryset.defer("text_content").annotate(
        text_excerpt_value=Substr("text_content", 1, TEXT_EXCERPT_LENGTH)
    )


def with_list_arrays(queryset: QuerySet) -> QuerySet:
    """On PostgreSQL, each row also brings its tags and collection ids as arrays, so that
    a page of the list is one query (see attach_list_relations). Elsewhere, unchanged."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db import connection
    from django.db.models import OuterRef

    if connection.vendor != "postgresql":
        return queryset
    links = TaggedAsset.objects.filter(content_object=OuterRef("pk")).order_by("tag__name", "pk")
    return queryset.annotate(
        tag_names_array=ArraySubquery(links.values("tag__name")),
        tag_autos_array=ArraySubquery(links.values("auto")),
        **{
            f"relation_{name}_array": relation.array(OuterRef("pk"))
            for name, relation in extensions.list_relations().items()
        },
    )


def attach_list_relations(assets: list) -> list:
    """Give each asset its tags and the other apps' relations (collection ids): from the
    arrays with_list_arrays() brought along, or else in one plain query each.

    The API's list path uses this instead of with_list_relations: no model instance per
    tag link (a third of a list request's time). The serializer reads `tag_pairs` and
    `list_relations` when they are there.
    """
    from collections import defaultdict

    relations = extensions.list_relations()
    if assets and hasattr(assets[0], "tag_names_array"):
        for asset in assets:
            asset.tag_pairs = list(zip(asset.tag_names_array, asset.tag_autos_array, strict=True))
            asset.list_relations = {name: getattr(asset, f"relation_{name}_array") for name in relations}
        return assets
    ids = [asset.pk for asset in assets]
    tags = defaultdict(list)
    related = {name: defaultdict(list) for name in relations}
    if ids:
        links = TaggedAsset.objects.filter(content_object_id__in=ids).order_by("tag__name")
        for asset_id, name, auto in links.values_list("content_object_id", "tag__name", "auto"):
            tags[asset_id].append((name, auto))
        for name, relation in relations.items():
            for asset_id, value in relation.rows(ids):
                related[name][asset_id].append(value)
    for asset in assets:
        asset.tag_pairs = tags[asset.pk]
        asset.list_relations = {name: values[asset.pk] for name, values in related.items()}
    return assets


def asset_filterset(*, owner, params) -> AssetFilterSet:
    filterset = AssetFilterSet(data=params, queryset=Asset.objects.owned_by(owner), owner=owner)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset


# Parameters whose count the rollups cannot give (they keep counts by type, status,
# module, favourite and used only: extensions.library_counter).
_COUNTED_BY_ROWS = ("q", "id", "model", "tags", "collection", "date", "created_after", "created_before",
                    "min_cost", "max_cost", "in_trash")
# Parameters that a search answers from the search rows alone (AssetSearch keeps the owner,
# the creation time, the cost and the id; the trash is told apart through its index).
_ANSWERED_BY_SEARCH_ROWS = ("q", "id", "date", "tz", "created_after", "created_before", "min_cost", "max_cost",
                            "in_trash", "ordering")


def asset_listing(*, owner, params=None, correct_spelling: bool = True) -> AssetListing:
    """The owner's assets matching the list parameters, ordered as asked (newest first, or
    best match first for a search), and how to count and page them fastest:

    - with only parameters the rollups keep (type, status, module, favourites), the count
      is the rollups' (no count of every row);
    - a search ranked by relevance finds its page tier by tier among the newest assets,
      or from the index (assets.search.search_page); in another order, the rows page
      themselves. Either way a search counts up to a limit (exact below it), from the
      search rows alone when no filter on the assets' own columns applies;
    - otherwise, the rows are counted and sliced.

    When a searched word matches nothing but a close spelling does, the listing is that
    spelling's, with `corrected_q` saying so (PostgreSQL; assets.search.corrected_words).
    A bad parameter is a ValidationError naming it.
    """
    params = params or {}
    scope = _scope(owner, params)
    if scope is not None:
        return _scoped_listing(scope, params)
    filterset = asset_filterset(owner=owner, params=params)
    data = filterset.form.cleaned_data
    ordering = data.get("ordering") or None
    words = search_words(data.get("q") or "")
    queries = search_queries(words, owner_id=owner.pk) if words and uses_postgres_search() else None
    if queries is None:
        rows = filterset.qs.order_by(*(ordering_terms(ordering) if ordering else DEFAULT_ORDERING))
    else:
        # The list without the search (the assets every other parameter selects), and
        # with it: the same rows as the filterset's, each filter applied once.
        unsearched = asset_filterset(owner=owner, params=_without(params, "q"))
        plain = unsearched.qs
        rows = keyword_search(plain, data["q"], owner_id=owner.pk, queries=queries)
        rows = rows.order_by(*(ordering_terms(ordering) if ordering else (queries.tier().asc(), "-created_at", "-id")))
    listing = AssetListing(rows)
    count = extensions.library_counter()
    if count is not None and not any(given(data.get(name)) for name in _COUNTED_BY_ROWS):
        terms = {
            "types": data.get("type") or None,
            "statuses": data.get("status") or None,
            "modules": data.get("source_module") or None,
            "favorites_only": bool(data.get("favorites")),
            "used": {"true": True, "false": False}.get(data.get("used")),
        }
        return replace(listing, counter=lambda need: _exact(count(owner=owner, **terms)))
    if queries is None:
        return listing
    # Types, modules, models, use, the favourites, and the months or steps of cost of a
    # narrow range are in the search rows too: the index narrows a search to them.
    narrowing = {name: _values(data.get(name)) for name in ("type", "source_module", "used")}
    narrowing["favorites"] = ["true"] if data.get("favorites") else []
    narrowing["created"] = searched_months(owner.pk, *created_range(data))
    narrowing["cost"] = searched_cost_steps(data.get("min_cost"), data.get("max_cost"))
    models = _searched_models(unsearched)
    if models is not None:
        narrowing["model"] = models
    answered = {*_ANSWERED_BY_SEARCH_ROWS, *narrowing}
    others = any(given(value) for name, value in data.items() if name not in answered)
    terms = {
        "owner_id": owner.pk,
        "queries": queries.narrowed(**narrowing),
        "in_trash": bool(data.get("in_trash")),
        "rows_within": created_terms(data) & cost_terms(data) & id_terms(data),
        "assets": plain if others else None,
    }
    if others and ordering:
        # These filters are often narrower than the search: the rows count from them.
        counted = counted_once(lambda limit: count_up_to(rows, at_least=limit))
    else:
        # Filters on the assets, types, modules, models, and an id fragment of two or more
        # digits (one in nine ids, or fewer) often leave fewer matches than the count's limit.
        few = (others or len(data.get("id") or "") >= 2
               or (any(narrowing.values()) and not _most_of_library(owner, data, narrowing)))
        counted = counted_once(lambda limit: count_matches(at_least=limit, few=few, **terms))
    listing = replace(listing, counter=counted)
    if not ordering:
        window = plain.order_by("-created_at", "-id").values_list("id", "created_at")
        listing = replace(listing, page_finder=lambda offset, limit: search_page(
            offset=offset, limit=limit, window=window, counted=counted, **terms
        ))
    if correct_spelling and counted(1)[0] == 0:
        corrected = corrected_words(owner_id=owner.pk, words=words)
        if corrected is not None:
            spelling = " ".join(corrected)
            instead = asset_listing(owner=owner, params={**_without(params, "q"), "q": spelling},
                                    correct_spelling=False)
            if instead.counted(1)[0]:
                return replace(instead, corrected_q=spelling)
    return listing


def _most_of_library(owner, data, narrowing: dict) -> bool:
    """Whether the type, module, use and favourites chosen (`narrowing`, without a model,
    months or steps of cost) keep at least half of the owner's live assets, by the rollups
    (extensions.library_counter): a search within them is then counted as broadly as one
    without them."""
    count = extensions.library_counter()
    if count is None or data.get("in_trash") or any(narrowing.get(name) for name in ("model", "created", "cost")):
        return False
    chosen = count(owner=owner, types=narrowing.get("type") or None, modules=narrowing.get("source_module") or None,
                   used={"true": True, "false": False}.get(data.get("used")),
                   favorites_only=bool(narrowing.get("favorites")))
    return chosen is not None and chosen * 2 >= (count(owner=owner) or 0) > 0


# More model names than this containing a `model` part (a letter, say) are asked of the assets.
MAX_SEARCHED_MODELS = 64


def _searched_models(filterset: AssetFilterSet) -> list[str] | None:
    """The model names that a search's `model` part selects (as its filter looked them up),
    to ask its search rows for, or None where the assets answer it: when it is not given,
    in the trash (the names are the live assets'), when no name contains it (the assets'
    `model IN ()` is empty at once), or when too many do."""
    names = filterset.model_names
    return names if names and len(names) <= MAX_SEARCHED_MODELS else None


def _values(value) -> list:
    """A parameter's chosen values as a list (a list parameter's, or one value's)."""
    if not given(value):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _scope(user, params):
    """The assets a `collection` parameter lists (anyone's in it, for a user with a role
    on it: assets.extensions' list scopes), or None: the user's library."""
    value = params.get("collection")
    if not value:
        return None
    try:
        collection_id = uuid.UUID(str(value).strip())
    except ValueError:
        return None  # the FilterSet names the parameter
    return extensions.list_scope("collection", user=user, value=collection_id)


def _scoped_listing(scope: extensions.ListScope, params) -> AssetListing:
    """A listing over `scope` (a collection's assets, perhaps of several owners): the same
    parameters, each applied to the rows; a search ranked by tier, newest first within
    one. No owner's shortcuts apply (their statistics, their search rows, their words);
    with no other parameter than those the scope narrows by (a type), the scope's own count
    and newest ids page it (one index range on PostgreSQL), not the rows."""
    filterset = AssetFilterSet(data=_without(params, "collection"), queryset=scope.assets, owner=None)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    data = filterset.form.cleaned_data
    ordering = data.get("ordering") or None
    words = search_words(data.get("q") or "")
    narrowed = {name for name, value in data.items() if name != "tz" and given(value)}
    terms = {"types": list(data.get("type") or []) or None, "statuses": list(data.get("status") or []) or None}
    if ordering or not words or not uses_postgres_search():
        listing = AssetListing(filterset.qs.order_by(*(ordering_terms(ordering) if ordering else DEFAULT_ORDERING)))
    else:
        listing = AssetListing(filterset.qs.order_by(search_queries(words).tier().asc(), "-created_at", "-id"))
        if narrowed - {"q"} <= scope.narrows_by and scope.live_window is not None:
            # Ranked and counted from the scope's newest members and the search rows.
            counted, page_finder = scoped_search(
                queries=search_queries(words).narrowed(type=terms["types"]),
                window=scope.live_window(**terms), members=scope.live_members(**terms), owner_ids=scope.owner_ids(),
            )
            return replace(listing, counter=counted, page_finder=page_finder)
        return listing
    if ordering or not narrowed <= scope.narrows_by or scope.live_count is None or scope.newest_live_ids is None:
        return listing
    counted = counted_once(lambda _limit: (scope.live_count(**terms), True))
    return replace(listing, counter=counted, page_finder=lambda offset, limit: (
        scope.newest_live_ids(offset, limit, **terms), *counted(offset + limit)))


def hide_unseen_relations(assets: list, *, viewer) -> list:
    """Of assets someone else owns, show `viewer` only the parents and related values
    (collection ids) they may see: one query for the parents, one per relation."""
    others = [asset for asset in assets if asset.owner_id != viewer.pk]
    if not others:
        return assets
    parents = {asset.parent_id for asset in others if asset.parent_id}
    seen_parents = set(access.visible_assets(viewer).filter(pk__in=parents).values_list("pk", flat=True)) \
        if parents else set()
    for name, relation in extensions.list_relations().items():
        if relation.seen is None:
            continue
        values = {value for asset in others for value in extensions.relation_values(name, asset)}
        seen = relation.seen(viewer, list(values)) if values else set()
        for asset in others:
            shown = [value for value in extensions.relation_values(name, asset) if value in seen]
            asset.list_relations = {**(getattr(asset, "list_relations", None) or {}), name: shown}
    for asset in others:
        if asset.parent_id not in seen_parents:
            asset.parent_id = None  # shown as no parent (never saved: only its owner writes it)
    return assets


def _exact(count: int | None) -> tuple[int, bool] | None:
    return None if count is None else (count, True)


def _without(params, name: str) -> dict:
    return {key: params[key] for key in params if key != name}


def with_new_asset_relations(asset: Asset, tag_names: list[str] | None = None) -> Asset:
    """A just-created asset, ready to render: its tags (as a list orders them: the names
    its creation linked, all manual, or one query) and no other app's relations yet
    (nothing can have linked it before its creation committed)."""
    if tag_names is None:
        links = TaggedAsset.objects.filter(content_object_id=asset.pk).order_by("tag__name", "pk")
        asset.tag_pairs = list(links.values_list("tag__name", "auto"))
    else:
        asset.tag_pairs = [(name, False) for name in tag_names]
    asset.list_relations = {name: [] for name in extensions.list_relations()}
    return asset


def asset_get(*, owner, asset_id, include_trashed=True, action: str = "view") -> Asset:
    """An asset the caller (`owner`) may do `action` with (assets.access): their own, or
    one they may see through a shared collection, with only what they may see of its
    relations. Anything else (another owner's, unknown, malformed) is NotFound; one they
    see but may not act on is Forbidden."""
    queryset = with_list_relations(Asset.objects.all())
    if not include_trashed:
        queryset = queryset.alive()
    asset = access.asset_for(owner, asset_id, action, queryset=queryset)
    hide_unseen_relations([asset], viewer=owner)
    return asset


def tag_counts(*, owner, q: str = "", limit: int = 50) -> list[dict]:
    """The owner's tags (on assets outside the trash) with how many assets carry each, most
    used first.

    Tags are per owner (each in the owner's spelling), so other owners' use of the same
    name never shows or counts. On PostgreSQL the counts are kept by triggers (TagCount)
    and read from the owner's (owner, count) index; elsewhere the owner's links are
    counted.
    """
    from django.db.models import Count

    q = " ".join(q.split())
    if uses_postgres_search():
        from assets.models import TagCount

        rows = TagCount.objects.filter(owner_id=owner.pk, assets__gt=0)
        if q:
            # Among the owner's tags (their index), not every owner's.
            rows = rows.filter(tag__owner_id=owner.pk, tag__name__icontains=q)
        rows = rows.order_by("-assets", "tag__name").values_list("tag__name", "assets")[:limit]
        return [{"name": name, "count": count} for name, count in rows]
    links = TaggedAsset.objects.filter(
        tag__owner_id=owner.pk, content_object__owner_id=owner.pk, content_object__deleted_at__isnull=True
    )
    if q:
        links = links.filter(tag__name__icontains=q)
    rows = (
        links.values("tag__name").annotate(count=Count("content_object_id")).order_by("-count", "tag__name")[:limit]
    )
    return [{"name": row["tag__name"], "count": row["count"]} for row in rows]


def asset_neighbours(*, owner, asset: Asset, params=None) -> tuple[Asset | None, Asset | None]:
    """The assets just before and just after `asset` in the list that `params` describe
    (the library's filters and ordering), for the asset page's previous/next links.

    Found by keyset, as the cursor pages are: two one-row queries that start from the
    asset's own ordering values, so the cost does not grow with the list. The asset need
    not match the filters itself (it may have been edited since): its neighbours are the
    rows that would sit on either side of it. A bad parameter is a ValidationError.
    """
    filterset = asset_filterset(owner=owner, params=params or {})
    queryset = filterset.qs.only("id", "title", "type")
    ordering = filterset.form.cleaned_data.get("ordering") or None
    if not ordering:
        words = search_words(filterset.form.cleaned_data.get("q") or "")
        if words and uses_postgres_search():
            return _ranked_neighbours(queryset, asset, tier=search_queries(words).tier())
        ordering = DEFAULT_ORDERING[0]
    value = value_of(asset, ordering)
    backwards = ordering[1:] if ordering.startswith("-") else f"-{ordering}"
    following = after_cursor(queryset, ordering, value, asset.pk).order_by(*ordering_terms(ordering)).first()
    preceding = after_cursor(queryset, backwards, value, asset.pk).order_by(*ordering_terms(backwards)).first()
    return preceding, following


def _ranked_neighbours(queryset: QuerySet, asset: Asset, *, tier) -> tuple[Asset | None, Asset | None]:
    """Neighbours in best-match order (tier ascending, then created_at and id descending),
    by keyset on the tier the database gives the asset itself (3, the last, when it no
    longer matches)."""
    current = Asset.objects.filter(pk=asset.pk).annotate(_tier=tier).values_list("_tier", flat=True).first() or 3
    ranked = queryset.annotate(_tier=tier)
    same_tier, same_time = Q(_tier=current), Q(_tier=current, created_at=asset.created_at)
    after = (
        Q(_tier__gt=current)
        | (same_tier & Q(created_at__lt=asset.created_at))
        | (same_time & Q(id__lt=asset.pk))
    )
    before = (
        Q(_tier__lt=current)
        | (same_tier & Q(created_at__gt=asset.created_at))
        | (same_time & Q(id__gt=asset.pk))
    )
    following = ranked.filter(after).order_by("_tier", "-created_at", "-id").first()
    preceding = ranked.filter(before).order_by("-_tier", "created_at", "id").first()
    return preceding, following


def asset_children(*, owner, asset: Asset, limit: int = 24) -> QuerySet:
    """The owner's assets derived from `asset` (edits, upscales, variations) outside the
    trash, newest first, with what a card shows."""
    return with_text_excerpts(
        with_list_relations(Asset.objects.owned_by(owner).alive().filter(parent_id=asset.pk).newest_first())
    )[:limit]


def asset_trash_list(*, owner) -> QuerySet:
    """The owner's trash, most recently deleted first (the order the purge follows too)."""
    return with_text_excerpts(
        with_list_relations(Asset.objects.owned_by(owner).trashed().order_by("-deleted_at", "-id"))
    )


def asset_usages(*, asset: Asset) -> QuerySet:
    """Where `asset` (one the caller may see: asset_get) is used, newest first."""
    return AssetUsage.objects.filter(asset_id=asset.pk, owner_id=asset.owner_id).order_by("-created_at", "-id")


def asset_usage_get(*, asset: Asset, usage_id) -> AssetUsage:
    """One usage of `asset`; NotFound for any other id (malformed, unknown, another asset's)."""
    return by_id(asset_usages(asset=asset), usage_id, missing=lambda: NotFound("No such usage."))
