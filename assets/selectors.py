"""Every read of assets on behalf of a user goes through here."""

import uuid

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import FloatField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast

from assets import extensions
from assets.filters import AssetFilterSet
from assets.keyset import after_cursor, ordering_terms
from assets.models import TEXT_EXCERPT_LENGTH, Asset, TaggedAsset
from assets.search import relevance_ordering, search_count, search_page
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

    return queryset.defer("text_content").annotate_rows(
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
    return queryset.annotate_rows(
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


def asset_list(*, owner, params=None) -> QuerySet:
    """The owner's assets matching the list parameters, ordered as asked (newest first)."""
    filterset = asset_filterset(owner=owner, params=params or {})
    queryset = filterset.qs
    ordering = filterset.ordering_value()
    if ordering:
        queryset = queryset.order_by(*ordering_terms(ordering))
    else:
        q = filterset.form.cleaned_data.get("q") or ""
        queryset = queryset.order_by(*(relevance_ordering(q) or DEFAULT_ORDERING))
    terms = filterset.rollup_count_terms()
    count = extensions.library_counter()
    if terms is not None and count is not None:
        # The exact count from the rollups the database keeps: no count of every row.
        queryset = queryset.with_known_count(lambda: count(owner=owner, **terms))
    search_terms = filterset.search_row_terms()
    if search_terms is not None:
        # Ranked by relevance, a search reads a page and its count in one pass over the
        # owner's search rows. In another order, with no filter on the assets' own
        # columns, it counts from those rows alone (with such filters, often narrower than
        # the search, the list query's own count starts from them and is faster: there
        # are no search terms then).
        if not ordering:
            queryset = queryset.with_page_finder(
                lambda offset, limit: search_page(offset=offset, limit=limit, **search_terms)
            )
        if search_terms["assets"] is None:
            queryset = queryset.with_known_count(lambda: search_count(**search_terms))
    return queryset


# Beyond any real library; larger page numbers are counted first (and refused), never
# sent to the database as an offset out of its range.
MAX_FOUND_OFFSET = 2**40


class AssetPaginator(Paginator):
    """Django's Paginator, which reads a page and its count together from a queryset that
    knows how (AssetQuerySet.with_page_finder): a ranked search's two passes over every
    match become one. Pages and errors are Django's own."""

    def page(self, number):
        find = getattr(self.object_list, "page_finder", lambda: None)()
        if find is None or self.orphans or "count" in self.__dict__:
            return super().page(number)
        try:
            first = (int(number) - 1) * self.per_page
        except (TypeError, ValueError):
            return super().page(number)  # Django's PageNotAnInteger
        if not 0 <= first <= MAX_FOUND_OFFSET:
            return super().page(number)  # Django's EmptyPage, after a count
        ids, count = find(first, self.per_page)
        self.__dict__["count"] = count  # the cached_property Paginator.count
        number = self.validate_number(number)
        rows = list(self.object_list.filter(pk__in=ids)) if ids else []
        return self._get_page(rows, number, self)

    def get_page(self, number):
        # As Django's, but asking for the page before the count, which may come with it.
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)


def asset_get(*, owner, asset_id, include_trashed=True) -> Asset:
    """One of the owner's assets; anything else (another owner's, unknown, malformed) is NotFound."""
    try:
        asset_id = uuid.UUID(str(asset_id))
    except ValueError:
        raise NotFound("No such asset.") from None
    queryset = Asset.objects.owned_by(owner)
    if not include_trashed:
        queryset = queryset.alive()
    asset = with_list_relations(queryset).filter(pk=asset_id).first()
    if asset is None:
        raise NotFound("No such asset.")
    return asset


def tag_counts(*, owner, q: str = "", limit: int = 50) -> list[dict]:
    """The owner's tags (on assets outside the trash) with how many assets carry each.

    Tags are per owner (each in the owner's spelling), so other owners' use of the same
    name never shows or counts; starting from the owner's own tags (their index) also
    keeps a `q` matching many names from visiting other owners' links.
    """
    from django.db.models import Count

    links = TaggedAsset.objects.filter(
        tag__owner_id=owner.pk, content_object__owner_id=owner.pk, content_object__deleted_at__isnull=True
    )
    q = " ".join(q.split())
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
    ordering = filterset.ordering_value()
    if not ordering:
        ranking = relevance_ordering(filterset.form.cleaned_data.get("q") or "")
        if ranking:
            return _ranked_neighbours(queryset, asset, rank=ranking[0].expression)
        ordering = DEFAULT_ORDERING[0]
    value = getattr(asset, ordering.lstrip("-"))
    backwards = ordering[1:] if ordering.startswith("-") else f"-{ordering}"
    following = after_cursor(queryset, ordering, value, asset.pk).order_by(*ordering_terms(ordering)).first()
    preceding = after_cursor(queryset, backwards, value, asset.pk).order_by(*ordering_terms(backwards)).first()
    return preceding, following


def _ranked_neighbours(queryset: QuerySet, asset: Asset, *, rank) -> tuple[Asset | None, Asset | None]:
    """Neighbours in relevance order (rank, created_at, id, all descending), by keyset on
    the rank the database computes for the asset itself.

    ts_rank is a float4, which reaches Python through its shortest decimal text and
    would not compare equal to itself on the way back: cast to double precision, it
    round-trips exactly.
    """
    rank = Cast(rank, FloatField())
    current = Asset.objects.filter(pk=asset.pk).annotate(_rank=rank).values_list("_rank", flat=True).first() or 0.0
    ranked = queryset.annotate(_rank=rank)
    same_rank, same_time = Q(_rank=current), Q(_rank=current, created_at=asset.created_at)
    after = (
        Q(_rank__lt=current)
        | (same_rank & Q(created_at__lt=asset.created_at))
        | (same_time & Q(id__lt=asset.pk))
    )
    before = (
        Q(_rank__gt=current)
        | (same_rank & Q(created_at__gt=asset.created_at))
        | (same_time & Q(id__gt=asset.pk))
    )
    following = ranked.filter(after).order_by("-_rank", "-created_at", "-id").first()
    preceding = ranked.filter(before).order_by("_rank", "created_at", "id").first()
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
