"""Every read of assets on behalf of a user goes through here."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from assets.filters import AssetFilterSet
from assets.models import Asset, TaggedAsset
from config.api_errors import NotFound

DEFAULT_ORDERING = ("-created_at", "-id")


def with_list_relations(queryset: QuerySet) -> QuerySet:
    """What the serializer reads for each asset, fetched in a fixed number of queries."""
    from collections_app.models import CollectionItem

    return queryset.prefetch_related(
        Prefetch("tagged_items", queryset=TaggedAsset.objects.select_related("tag").order_by("tag__name")),
        Prefetch("collection_items", queryset=CollectionItem.objects.only("id", "asset_id", "collection_id")),
    )


def asset_filterset(*, owner, params) -> AssetFilterSet:
    filterset = AssetFilterSet(data=params, queryset=Asset.objects.owned_by(owner))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset


def asset_list(*, owner, params=None) -> QuerySet:
    """The owner's assets matching the list parameters, ordered as asked (newest first)."""
    filterset = asset_filterset(owner=owner, params=params or {})
    queryset = filterset.qs
    ordering = filterset.ordering_value()
    if ordering:
        tiebreak = "-id" if ordering.startswith("-") else "id"
        queryset = queryset.order_by(ordering, tiebreak)
    else:
        queryset = queryset.order_by(*DEFAULT_ORDERING)
    return queryset


def asset_get(*, owner, asset_id, include_trashed=True) -> Asset:
    """One of the owner's assets; anything else (another owner's, unknown) is NotFound."""
    queryset = Asset.objects.owned_by(owner)
    if not include_trashed:
        queryset = queryset.alive()
    asset = with_list_relations(queryset).filter(pk=asset_id).first()
    if asset is None:
        raise NotFound("No such asset.")
    return asset
