"""Every write to a Collection (and to what it holds) goes through here.

Views, the admin, tasks and the web UI call these functions. The rules they keep:
names are trimmed, 1-200 characters and unique per owner whatever their case; a
collection holds only its owner's assets, and a chosen cover is one of the owner's
assets outside the trash; deleting a collection never touches the assets in it.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from assets.models import Asset
from collections_app.models import Collection, CollectionItem
from collections_app.selectors import collection_name_taken
from config.api_errors import NotFound

MAX_DESCRIPTION_LENGTH = 20_000
INSERT_BATCH_SIZE = 1_000


class _Unset:
    def __repr__(self):
        return "UNSET"


UNSET = _Unset()  # "leave this field as it is" in collection_update


def collection_create(*, owner, name: str, description: str = "", cover_asset_id=None) -> Collection:
    """Create a collection for `owner`. `cover_asset_id`: one of the owner's live assets, or None
    for "the newest asset in the collection"."""
    collection = Collection(owner=owner, name=_clean_name(name), description=description or "")
    collection.cover_asset = _cover_asset(owner, cover_asset_id)
    _validate_and_save(collection)
    return collection


def collection_update(
    *, collection: Collection, name=UNSET, description=UNSET, cover_asset_id=UNSET
) -> Collection:
    """Change any of name, description and cover (None resets the cover to the default).

    On failure the instance is reloaded, so a caller never holds half-applied changes.
    """
    try:
        if name is not UNSET:
            collection.name = _clean_name(name)
        if description is not UNSET:
            collection.description = description or ""
        if cover_asset_id is not UNSET:
            collection.cover_asset = _cover_asset(collection.owner, cover_asset_id)
        _validate_and_save(collection)
    except BaseException:
        collection.refresh_from_db(fields=["name", "description", "cover_asset"])
        raise
    return collection


def collection_delete(*, collection: Collection) -> None:
    """Delete the collection and its memberships; the assets stay where they are."""
    with transaction.atomic():
        collection.delete()


def collection_add_assets(*, collection: Collection, assets: QuerySet) -> int:
    """Add `assets` (a queryset, e.g. from resolve_bulk_selection) to the collection.

    Only the collection owner's assets are ever added. Assets already in the collection
    are left as they are and not counted: the answer is the number of new memberships.
    All or nothing: one transaction, with the collection row locked so that concurrent
    adds to the same collection count exactly. Two queries read, then batched INSERTs.
    """
    with transaction.atomic():
        _lock(collection)
        already_in = CollectionItem.objects.filter(collection_id=collection.pk, asset_id=OuterRef("pk"))
        new_ids = list(
            dict.fromkeys(
                assets.filter(owner_id=collection.owner_id)
                .exclude(Exists(already_in))
                .order_by()
                .values_list("pk", flat=True)
            )
        )
        CollectionItem.objects.bulk_create(
            [CollectionItem(collection_id=collection.pk, asset_id=asset_id) for asset_id in new_ids],
            ignore_conflicts=True,
            batch_size=INSERT_BATCH_SIZE,
        )
        if new_ids:
            _touch(collection)
    return len(new_ids)


def collection_remove_assets(*, collection: Collection, assets: QuerySet) -> int:
    """Take `assets` out of the collection in one DELETE; returns how many were in it.

    The assets themselves are untouched. An explicitly chosen cover stays chosen even if
    it leaves the collection (a cover may be any of the owner's assets).
    """
    with transaction.atomic():
        _lock(collection)
        asset_ids = assets.filter(owner_id=collection.owner_id).order_by().values("pk")
        removed, _ = CollectionItem.objects.filter(collection_id=collection.pk, asset_id__in=asset_ids).delete()
        if removed:
            _touch(collection)
    return removed


def _clean_name(name) -> str:
    return (name or "").strip()


def _cover_asset(owner, cover_asset_id) -> Asset | None:
    if cover_asset_id is None:
        return None
    try:
        cover_asset_id = uuid.UUID(str(cover_asset_id))
    except ValueError:
        raise ValidationError({"cover_asset": ["Use an asset id (a UUID)."]}) from None
    asset = Asset.objects.owned_by(owner).alive().filter(pk=cover_asset_id).first()
    if asset is None:
        raise ValidationError({"cover_asset": ["No such asset in your library (outside the trash)."]})
    return asset


def _name_taken(collection: Collection) -> bool:
    return collection_name_taken(owner=collection.owner, name=collection.name, exclude_pk=collection.pk)


def name_taken_message(name: str) -> str:
    return f"You already have a collection named '{name}'."


def _name_taken_error(collection: Collection) -> ValidationError:
    return ValidationError({"name": [name_taken_message(collection.name)]})


def _validate_and_save(collection: Collection) -> None:
    if len(collection.description) > MAX_DESCRIPTION_LENGTH:
        raise ValidationError({"description": [f"Use at most {MAX_DESCRIPTION_LENGTH:,} characters."]})
    for field in ("name", "description"):
        if "\x00" in getattr(collection, field):  # PostgreSQL cannot store it
            raise ValidationError({field: ["Null characters are not allowed."]})
    # The unique name rule is checked here, with a message naming the field; the database
    # constraint behind it catches a concurrent request that got in between.
    collection.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        if _name_taken(collection):
            raise _name_taken_error(collection)
        try:
            with transaction.atomic():
                collection.save()
        except IntegrityError:
            if _name_taken(collection):
                raise _name_taken_error(collection) from None
            raise


def _lock(collection: Collection) -> None:
    """Lock the collection row for the rest of the transaction (NotFound if it is gone)."""
    if not Collection.objects.select_for_update().filter(pk=collection.pk).exists():
        raise NotFound("No such collection.")


def _touch(collection: Collection) -> None:
    now = timezone.now()
    Collection.objects.filter(pk=collection.pk).update(updated_at=now)
    collection.updated_at = now
