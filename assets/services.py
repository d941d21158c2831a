"""Every write to an Asset goes through here.

Views, tasks, commands and admin actions call these functions; none of them saves an
Asset directly. Each service runs in one transaction, validates before it writes, and
only touches stored files once the database has agreed (new files are removed again if
the row cannot be written; old files are deleted after commit).
"""

import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assets import tagging
from assets.file_inspection import FileInfo, inspect_upload
from assets.models import MEDIA_TYPES, Asset, AssetStatus, AssetType

logger = logging.getLogger(__name__)

# Which status may follow which. Setting the same status again is always allowed.
STATUS_TRANSITIONS = {
    AssetStatus.PENDING: {AssetStatus.PROCESSING, AssetStatus.COMPLETED, AssetStatus.FAILED},
    AssetStatus.PROCESSING: {AssetStatus.COMPLETED, AssetStatus.FAILED},
    AssetStatus.FAILED: {AssetStatus.PENDING, AssetStatus.PROCESSING},
    AssetStatus.COMPLETED: set(),
}

USER_EDITABLE_FIELDS = {"title", "description", "is_favorite"}
MODULE_EDITABLE_FIELDS = {
    "status", "error_message", "cost", "metadata", "prompt", "model", "provider", "text_content",
}


@dataclass(frozen=True)
class CreateResult:
    asset: Asset
    created: bool
    duplicate_of_file: bool = False


def _delete_files_on_commit(*names):
    """Delete stored files once (and only if) the surrounding transaction commits."""
    from django.core.files.storage import default_storage

    def delete():
        for name in names:
            if name:
                try:
                    default_storage.delete(name)
                except OSError:
                    logger.warning("Could not delete %s; cleanup_orphans will find it", name)

    transaction.on_commit(delete)


def _check_lifecycle(asset: Asset):
    """The rules that tie status to content: completed assets have something to show."""
    errors = {}
    if asset.status == AssetStatus.COMPLETED:
        if asset.type in MEDIA_TYPES and not asset.file:
            errors["file"] = [f"A completed {asset.type} asset needs a file."]
        if asset.type == AssetType.TEXT and not (asset.text_content or asset.file):
            errors["text_content"] = ["A completed text asset needs text_content."]
    if asset.status == AssetStatus.FAILED and not asset.error_message.strip():
        errors["error_message"] = ["A failed asset needs an error_message."]
    if asset.type != AssetType.TEXT and asset.text_content is not None:
        errors["text_content"] = ["Only text assets carry text_content."]
    if errors:
        raise ValidationError(errors)


def _check_parent(asset: Asset, parent_id):
    if parent_id is None:
        asset.parent = None
        return
    parent = Asset.objects.owned_by(asset.owner).filter(pk=parent_id).first()
    if parent is None or parent.pk == asset.pk:
        raise ValidationError({"parent": ["No such asset."]})
    asset.parent = parent


def _apply_file_info(asset: Asset, info: FileInfo):
    if asset.type and asset.type != info.type:
        raise ValidationError(
            {"file": [f"The file's content is {info.mime_type}, which does not fit a {asset.type} asset."]}
        )
    asset.type = info.type
    asset.mime_type = info.mime_type
    asset.file_size = info.size
    asset.checksum_sha256 = info.checksum_sha256
    asset.width = info.width
    asset.height = info.height
    if info.type == AssetType.TEXT:
        asset.text_content = info.text


def _apply_text(asset: Asset, text: str):
    encoded = text.encode("utf-8")
    asset.text_content = text
    asset.mime_type = asset.mime_type or "text/plain"
    asset.file_size = len(encoded)
    asset.checksum_sha256 = hashlib.sha256(encoded).hexdigest()


def _store_file(asset: Asset, upload, info: FileInfo):
    """Write the upload to storage under a server-chosen name; returns the stored name."""
    asset.file.save(f"upload.{info.extension}", upload, save=False)
    return asset.file.name


def asset_create(
    *,
    owner,
    source_module: str,
    type: str | None = None,  # noqa: A002 - the contract's field name
    status: str = AssetStatus.COMPLETED,
    file=None,
    tags: list[str] | None = None,
    parent=None,
    text_content: str | None = None,
    **fields,
) -> CreateResult:
    """Register an asset for `owner`.

    Idempotent on (owner, source_module, external_id): a repeat returns the existing asset
    with created=False. An uploaded file whose checksum the owner already has (outside the
    trash) returns that asset too, flagged as a duplicate. A file's type, mime, size,
    checksum and image dimensions come from its content, never from the client.
    """
    external_id = fields.get("external_id")
    if external_id:
        existing = _registered(owner, source_module, external_id)
        if existing is not None:
            return CreateResult(existing, created=False)

    asset = Asset(owner=owner, source_module=source_module, type=type or "", status=status, **fields)
    info = None
    if file is not None:
        info = inspect_upload(file, name=getattr(file, "name", "") or "")
        _apply_file_info(asset, info)
        duplicate = Asset.objects.owned_by(owner).alive().filter(checksum_sha256=info.checksum_sha256).first()
        if duplicate is not None:
            return CreateResult(duplicate, created=False, duplicate_of_file=True)
    elif text_content is not None:
        _apply_text(asset, text_content)
    if not asset.type:
        raise ValidationError({"type": ["This field is required when no file is sent."]})
    if asset.cost is None:
        asset.cost = Decimal("0")
    _check_parent(asset, parent)

    stored_name = None
    try:
        with transaction.atomic():
            if info is not None:
                # Validate the row before the file is written, then write, then insert.
                asset.full_clean(exclude=["file", "thumbnail"])
                _check_lifecycle_with_pending_file(asset)
                stored_name = _store_file(asset, file, info)
            asset.full_clean(validate_unique=False)
            _check_lifecycle(asset)
            asset.save(force_insert=True)
            if tags:
                tagging.set_manual_tags(asset, tags)
    except IntegrityError:
        _discard(stored_name)
        if external_id:
            # A concurrent request registered the same external_id first.
            existing = _registered(owner, source_module, external_id)
            if existing is not None:
                return CreateResult(existing, created=False)
        raise
    except BaseException:
        _discard(stored_name)
        raise
    _after_create(asset)
    return CreateResult(asset, created=True)


def _registered(owner, source_module, external_id):
    return Asset.objects.owned_by(owner).filter(source_module=source_module, external_id=external_id).first()


def _check_lifecycle_with_pending_file(asset: Asset):
    # The file is about to be stored: judge the lifecycle as if it were.
    asset.file.name = "pending"
    try:
        _check_lifecycle(asset)
    finally:
        asset.file.name = ""


def _discard(name):
    if name:
        from django.core.files.storage import default_storage

        default_storage.delete(name)


def _after_create(asset: Asset):
    """Work that follows a new asset, scheduled once the row is committed."""


def asset_update(*, asset: Asset, file=None, tags: list[str] | None = None, **changes) -> Asset:
    """Edit an asset. Status moves only along STATUS_TRANSITIONS; a new file replaces the old."""
    allowed = USER_EDITABLE_FIELDS | MODULE_EDITABLE_FIELDS
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})

    new_status = changes.get("status")
    if new_status and new_status != asset.status and new_status not in STATUS_TRANSITIONS[asset.status]:
        raise ValidationError({"status": [f"An asset cannot go from {asset.status} to {new_status}."]})
    for name, value in changes.items():
        setattr(asset, name, value)
    if changes.get("text_content") is not None:
        _apply_text(asset, changes["text_content"])

    old_file = asset.file.name if file is not None else None
    old_thumbnail = asset.thumbnail.name if file is not None else None
    stored_name = None
    try:
        with transaction.atomic():
            if file is not None:
                info = inspect_upload(file, name=getattr(file, "name", "") or "")
                _apply_file_info(asset, info)
                asset.full_clean(exclude=["file", "thumbnail"])
                stored_name = _store_file(asset, file, info)
                asset.thumbnail = ""
            asset.full_clean(validate_unique=False)
            _check_lifecycle(asset)
            asset.save()
            if tags is not None:
                tagging.set_manual_tags(asset, tags)
            if old_file and old_file != stored_name:
                _delete_files_on_commit(old_file, old_thumbnail)
    except BaseException:
        _discard(stored_name)
        asset.refresh_from_db()
        raise
    return asset


def assets_trash(*, owner, ids) -> int:
    """Move the owner's live assets among `ids` to the trash in one UPDATE."""
    return Asset.objects.owned_by(owner).alive().filter(pk__in=list(ids)).update(
        deleted_at=timezone.now(), updated_at=timezone.now()
    )


def assets_restore(*, owner, ids) -> int:
    """Bring the owner's trashed assets among `ids` back into the library."""
    return Asset.objects.owned_by(owner).trashed().filter(pk__in=list(ids)).update(
        deleted_at=None, updated_at=timezone.now()
    )


def asset_trash(*, asset: Asset) -> Asset:
    assets_trash(owner=asset.owner, ids=[asset.pk])
    asset.refresh_from_db()
    return asset


def asset_restore(*, asset: Asset) -> Asset:
    assets_restore(owner=asset.owner, ids=[asset.pk])
    asset.refresh_from_db()
    return asset


def asset_set_favorite(*, asset: Asset, value: bool) -> Asset:
    if asset.is_favorite != value:
        Asset.objects.filter(pk=asset.pk).update(is_favorite=value, updated_at=timezone.now())
        asset.refresh_from_db()
    return asset


def asset_delete_permanently(*, asset: Asset) -> None:
    """Delete the row, then (after commit) its files."""
    with transaction.atomic():
        names = (asset.file.name, asset.thumbnail.name)
        asset.delete()
        _delete_files_on_commit(*names)


def assets_mark_failed(*, ids, error_message: str) -> int:
    """Operators and the stuck-asset sweep: unfinished assets among `ids` become failed."""
    return Asset.objects.filter(
        pk__in=list(ids), status__in=[AssetStatus.PENDING, AssetStatus.PROCESSING]
    ).update(status=AssetStatus.FAILED, error_message=error_message, updated_at=timezone.now())
