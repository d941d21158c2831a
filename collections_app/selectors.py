"""Every read of collections on behalf of a user goes through here."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from assets.models import Asset, AssetType
from collections_app.models import Collection, CollectionItem
from config.api_errors import NotFound

ORDERINGS = {
    "name": (Lower("name").asc(), "id"),
    "-name": (Lower("name").desc(), "-id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
}
DEFAULT_ORDERING = "name"
MAX_QUERY_LENGTH = 200

# What the cover can show: its thumbnail, else (images) the file itself, else nothing.
COVER_PREVIEW_THUMBNAIL = "thumbnail"
COVER_PREVIEW_FILE = "file"


def with_asset_count(queryset: QuerySet) -> QuerySet:
    """Annotate `asset_count`: the collection's assets outside the trash.

    A correlated subquery rather than a JOIN + GROUP BY, so that the list's COUNT and
    ORDER BY stay on the collection table and the number of queries does not grow with
    the number of collections.
    """
    live_items = CollectionItem.objects.filter(collection=OuterRef("pk"), asset__deleted_at__isnull=True)
    count = live_items.order_by().values("collection").annotate(n=Count("pk")).values("n")
    return queryset.annotate(asset_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))


def with_summary(queryset: QuerySet) -> QuerySet:
    """Annotate what the API shows of a collection besides its own columns.

    `asset_count` (see with_asset_count); `effective_cover_id`: the chosen cover while it
    is outside the trash, else the newest live asset in the collection; `cover_preview`:
    which picture of that cover exists ("thumbnail", "file" or ""). All computed by the
    database in the one query that reads the collections.
    """
    newest_live = (
        CollectionItem.objects.filter(collection=OuterRef("pk"), asset__deleted_at__isnull=True)
        .order_by("-asset__created_at", "-asset_id")
        .values("asset_id")[:1]
    )
    chosen_is_live = Exists(Asset.objects.filter(pk=OuterRef("cover_asset_id"), deleted_at__isnull=True))
    preview = (
        Asset.objects.filter(pk=OuterRef("effective_cover_id"))
        .annotate(
            preview=Case(
                When(~Q(thumbnail=""), then=Value(COVER_PREVIEW_THUMBNAIL)),
                When(Q(type=AssetType.IMAGE) & ~Q(file=""), then=Value(COVER_PREVIEW_FILE)),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values("preview")[:1]
    )
    return (
        with_asset_count(queryset)
        .annotate(
            effective_cover_id=Case(
                When(chosen_is_live, then=F("cover_asset_id")),
                default=Subquery(newest_live),
                output_field=UUIDField(),
            )
        )
        .annotate(cover_preview=Coalesce(Subquery(preview, output_field=CharField()), Value("")))
    )


def collection_list(*, owner, params=None) -> QuerySet:
    """The owner's collections with their summary, ordered as asked (by name by default).

    `params`: `ordering` (one of ORDERINGS) and `q` (part of the name, any case). A bad
    value is a ValidationError naming the parameter.
    """
    params = params or {}
    ordering = params.get("ordering") or DEFAULT_ORDERING
    if ordering not in ORDERINGS:
        raise ValidationError({"ordering": [f"'{ordering}' is not one of: {', '.join(ORDERINGS)}."]})
    queryset = Collection.objects.owned_by(owner)
    query = (params.get("q") or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError({"q": [f"Use at most {MAX_QUERY_LENGTH} characters."]})
    if "\x00" in query:
        raise ValidationError({"q": ["Null characters are not allowed."]})
    if query:
        queryset = queryset.filter(name__icontains=query)
    return with_summary(queryset).order_by(*ORDERINGS[ordering])


def collection_name_taken(*, owner, name: str, exclude_pk=None) -> bool:
    """Whether another of the owner's collections has this name, compared the way the
    database's unique constraint compares it (Lower on both sides, in SQL)."""
    return (
        Collection.objects.owned_by(owner)
        .exclude(pk=exclude_pk)
        .alias(lower_name=Lower("name"))
        .filter(lower_name=Lower(Value(name)))
        .exists()
    )


def collection_get(*, owner, collection_id) -> Collection:
    """One of the owner's collections, with its summary; anything else is NotFound."""
    try:
        collection_id = uuid.UUID(str(collection_id))
    except ValueError:
        raise NotFound("No such collection.") from None
    collection = with_summary(Collection.objects.owned_by(owner)).filter(pk=collection_id).first()
    if collection is None:
        raise NotFound("No such collection.")
    return collection
