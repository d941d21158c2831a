"""Every write to a Collection (and to what it holds) and to a ShareLink goes through here.

Views, the admin, tasks and the web UI call these functions. The rules they keep:
names are trimmed, 1-200 characters and unique per owner whatever their case; a
collection holds only its owner's assets, and a chosen cover is one of the owner's
assets outside the trash; deleting a collection never touches the assets in it.

Share links show only their owner's assets outside the trash; making one counts a share
for each asset it shows at that moment; a link that has ended (revoked or expired)
never opens again.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from analytics.models import UsageEventKind, UsageSource
from analytics.services import usage_event_record
from assets.models import Asset
from assets.services import asset_record_download, assets_record_shared
from collections_app import share_passwords
from collections_app.models import Collection, CollectionItem, ShareKind, ShareLink, ShareLinkItem
from collections_app.selectors import collection_name_taken
from common.chunks import id_chunks
from config.api_errors import DomainError, NotFound

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


# --- Share links ------------------------------------------------------------------------

MAX_SHARE_DAYS = 365
MAX_SHARE_TITLE_LENGTH = 200
SHARE_DELETE_BATCH = 1_000


class NothingToShare(DomainError):
    """None of the chosen assets can be shared (none of the owner's, outside the trash)."""


def share_link_create_for_asset(*, owner, asset: Asset, source: str = UsageSource.API, **options) -> ShareLink:
    """A link to one of the owner's assets outside the trash. Counts one share for it.

    `options`: see _share_link_create (allow_download, expires_at or expires_in_days,
    password, title; the title defaults to the asset's).
    """
    if asset.owner_id != owner.pk:
        raise NotFound("No such asset.")
    if asset.deleted_at is not None:
        raise NothingToShare("This asset is in the trash: restore it to share it.")
    if options.get("title") is None:
        options["title"] = asset.title
    return _share_link_create(
        owner=owner, kind=ShareKind.ASSET, assets=Asset.objects.filter(pk=asset.pk), source=source, **options
    )


def share_link_create_for_selection(
    *, owner, assets: QuerySet, source: str = UsageSource.API, **options
) -> ShareLink:
    """A link to the owner's live assets among `assets` (e.g. from resolve_bulk_selection),
    frozen now: assets added to the library later are not part of it. Counts one share
    for each. NothingToShare when none of them qualifies."""
    return _share_link_create(owner=owner, kind=ShareKind.SELECTION, assets=assets, source=source, **options)


def share_link_create_for_collection(
    *, owner, collection: Collection, source: str = UsageSource.API, **options
) -> ShareLink:
    """A live link to a collection: it always shows the collection's current assets outside
    the trash. Counts one share for each asset in it now (an empty collection may be
    shared). The title defaults to the collection's name."""
    if collection.owner_id != owner.pk:
        raise NotFound("No such collection.")
    if options.get("title") is None:
        options["title"] = collection.name
    return _share_link_create(owner=owner, kind=ShareKind.COLLECTION, collection=collection, source=source, **options)


def _share_link_create(
    *,
    owner,
    kind: str,
    source: str,
    assets: QuerySet | None = None,
    collection: Collection | None = None,
    allow_download: bool = True,
    expires_at=None,
    expires_in_days: int | None = None,
    password: str | None = None,
    title: str | None = None,
) -> ShareLink:
    now = timezone.now()
    share_link = ShareLink(
        owner=owner,
        kind=kind,
        collection=collection,
        title=_clean_share_title(title),
        allow_download=_boolean(allow_download, "allow_download"),
        expires_at=_share_expiry(expires_at=expires_at, expires_in_days=expires_in_days, now=now),
        password_hash=share_passwords.password_hash_for(password),
        created_at=now,
    )
    share_link.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        if kind == ShareKind.COLLECTION:
            _lock(collection)
            members = CollectionItem.objects.filter(collection_id=collection.pk).values("asset_id")
            asset_ids = _lock_live_assets(owner, Asset.objects.filter(pk__in=members))
        else:
            asset_ids = _lock_live_assets(owner, assets)
            if not asset_ids:
                raise NothingToShare("None of these assets can be shared (yours, outside the trash).")
        share_link.save(force_insert=True)
        if kind != ShareKind.COLLECTION:
            ShareLinkItem.objects.bulk_create(
                [ShareLinkItem(share_link_id=share_link.pk, asset_id=asset_id) for asset_id in asset_ids],
                batch_size=INSERT_BATCH_SIZE,
            )
        assets_record_shared(owner=owner, asset_ids=asset_ids, source=source, share_link_id=share_link.pk)
    return share_link


def _lock_live_assets(owner, assets: QuerySet) -> list:
    """The ids of the owner's live assets among `assets`, locked until the transaction ends.

    Locked so that the frozen items and the share counts cover exactly the same assets
    even if some of them are trashed meanwhile.
    """
    requested = list(dict.fromkeys(assets.order_by().values_list("pk", flat=True)))
    locked = []
    for chunk in id_chunks(requested):
        locked += (
            Asset.objects.owned_by(owner).alive().filter(pk__in=chunk).select_for_update().values_list("pk", flat=True)
        )
    return locked


def _boolean(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError({field: ["Use true or false."]})
    return value


def _clean_share_title(title) -> str:
    title = (title or "").strip()
    if len(title) > MAX_SHARE_TITLE_LENGTH:
        title = title[: MAX_SHARE_TITLE_LENGTH - 1].rstrip() + "…"  # defaults come from longer asset titles
    if "\x00" in title:
        raise ValidationError({"title": ["Null characters are not allowed."]})
    return title


def _share_expiry(*, expires_at, expires_in_days, now):
    """When a new link ends: at `expires_at` (in the future), after `expires_in_days` (1-365),
    never both; with neither, after SHARE_LINK_DEFAULT_DAYS (0: never)."""
    if expires_at is not None and expires_in_days is not None:
        raise ValidationError({NON_FIELD_ERRORS: ["Send either expires_at or expires_in_days, not both."]})
    if expires_in_days is not None:
        if isinstance(expires_in_days, bool) or not isinstance(expires_in_days, int) or not (
            1 <= expires_in_days <= MAX_SHARE_DAYS
        ):
            raise ValidationError({"expires_in_days": [f"Use a whole number of days from 1 to {MAX_SHARE_DAYS}."]})
        return now + dt.timedelta(days=expires_in_days)
    if expires_at is not None:
        if not isinstance(expires_at, dt.datetime) or timezone.is_naive(expires_at):
            raise ValidationError({"expires_at": ["Use an ISO 8601 date and time with a time zone."]})
        if expires_at <= now:
            raise ValidationError({"expires_at": ["Use a time in the future."]})
        return expires_at
    default_days = settings.SHARE_LINK_DEFAULT_DAYS
    return now + dt.timedelta(days=default_days) if default_days > 0 else None


def share_link_revoke(*, share_link: ShareLink) -> ShareLink:
    """End the link now. Idempotent: a link that has ended keeps the time it ended."""
    share_links_revoke(queryset=ShareLink.objects.filter(pk=share_link.pk))
    share_link.refresh_from_db(fields=["revoked_at"])
    return share_link


def share_links_revoke(*, queryset: QuerySet) -> int:
    """End every link of `queryset` that still opens (the admin's action). Expired ones keep
    their expiry as the time they ended. Returns how many were open."""
    now = timezone.now()
    with transaction.atomic():
        scope = ShareLink.objects.filter(pk__in=queryset.order_by().values("pk"), revoked_at__isnull=True)
        share_links_expire(now=now, queryset=scope)
        return scope.update(revoked_at=now)


def share_link_record_view(*, share_link: ShareLink) -> None:
    """One view of the public page: the counter (in SQL, no lost updates) and a 'viewed'
    event for the owner (no asset), in one transaction: two cheap statements."""
    with transaction.atomic():
        ShareLink.objects.filter(pk=share_link.pk).update(view_count=F("view_count") + 1)
        usage_event_record(
            asset=None,
            owner=share_link.owner,
            kind=UsageEventKind.VIEWED,
            source=UsageSource.SHARE,
            share_link_id=share_link.pk,
        )


def share_link_record_download(*, share_link: ShareLink, asset: Asset) -> None:
    """One download of a shared asset through the link: counted on the asset, with the link."""
    asset_record_download(asset=asset, source=UsageSource.SHARE, share_link_id=share_link.pk)


def share_links_expire(*, now=None, queryset: QuerySet | None = None) -> int:
    """Mark links past their expiry as ended at their expiry (revoked_at = expires_at).

    The links stopped opening at expires_at already; this records it, so that the
    sweep of old ended links finds them. Idempotent.
    """
    now = now or timezone.now()
    scope = ShareLink.objects.all() if queryset is None else queryset
    return scope.filter(revoked_at__isnull=True, expires_at__lte=now).update(revoked_at=F("expires_at"))


def share_links_delete_ended(*, before) -> int:
    """Delete links that ended (revoked_at) before `before`, with their items, in batches.

    The assets are untouched; usage events keep the link's id. Returns the links deleted.
    """
    deleted = 0
    while True:
        ids = list(ShareLink.objects.filter(revoked_at__lt=before).values_list("pk", flat=True)[:SHARE_DELETE_BATCH])
        if not ids:
            return deleted
        with transaction.atomic():
            ShareLinkItem.objects.filter(share_link_id__in=ids).delete()
            _, per_model = ShareLink.objects.filter(pk__in=ids).delete()
        deleted += per_model.get(ShareLink._meta.label, 0)
