"""Every read of assets on behalf of a user goes through here."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from assets.filters import AssetFilterSet
from assets.keyset import ordering_terms
from assets.models import Asset, TaggedAsset
from assets.search import relevance_ordering
from config.api_errors import NotFound

DEFAULT_ORDERING = ("-created_at", "-id")


def with_list_relations(queryset: QuerySet) -> QuerySet:
    """What the serializer reads for each asset, fetched in a fixed number of queries."""
    from collections_app.models import CollectionItem

    return queryset.defer("search_vector").prefetch_related(
        Prefetch("tagged_items", queryset=TaggedAsset.objects.select_related("tag").order_by("tag__name")),
        Prefetch("collection_items", queryset=CollectionItem.objects.only("id", "asset_id", "collection_id")),
    )


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
        return queryset.order_by(*ordering_terms(ordering))
    return queryset.order_by(*(relevance_ordering(filterset.form.cleaned_data.get("q") or "") or DEFAULT_ORDERING))


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

    Other owners' use of the same tag never shows or counts.
    """
    from django.db.models import Count

    links = TaggedAsset.objects.filter(content_object__owner_id=owner.pk, content_object__deleted_at__isnull=True)
    q = " ".join(q.split())
    if q:
        links = links.filter(tag__name__icontains=q)
    rows = (
        links.values("tag__name").annotate(count=Count("content_object_id")).order_by("-count", "tag__name")[:limit]
    )
    return [{"name": row["tag__name"], "count": row["count"]} for row in rows]
