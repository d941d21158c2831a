"""Every write to an Asset goes through here.

Views, tasks, commands and admin actions call these functions; none of them saves an
Asset directly. Each service runs in one transaction, validates before it writes, and
only touches stored files once the database has agreed (new files are removed again if
the row cannot be written; old files are deleted after commit).
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from assets import access, extensions, sql, tagging
from assets.extensions import AssetChange
from assets.file_deletions import files_schedule_deletion
from assets.file_inspection import FileInfo, inspect_upload
from assets.file_names import clean_original_name
from assets.models import MEDIA_TYPES, Asset, AssetStatus, AssetType, FileDeletion
from common.chunks import id_chunks
from common.plain_values import plain_key
from common.request_source import RequestSource
from config.api_errors import DomainError, FileTooLarge

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


# Statements take ids in chunks: PostgreSQL allows at most 65,535 parameters in one.


@dataclass(frozen=True)
class CreateResult:
    asset: Asset
    created: bool
    duplicate_of_file: bool = False
    # A new asset's tag names, in list order (a new asset has no others): its answer needs
    # no second look.
    tag_names: list[str] | None = None


def _delete_files_on_commit(*names):
    """Delete stored files once (and only if) the surrounding transaction commits."""
    files_schedule_deletion(names)


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
    if info.duration_seconds is not None or not asset._state.adding:
        # (Without ffprobe a new asset keeps a duration its trusted caller gave, e.g. seed_demo.)
        asset.duration_seconds = info.duration_seconds
    if info.type == AssetType.TEXT:
        asset.text_content = info.text


def _remember_original_name(asset: Asset, upload):
    """The client's file name, cleaned, for people to read; stored files get server-chosen names."""
    name = clean_original_name(getattr(upload, "name", "") or "")
    if name:
        asset.metadata = {**(asset.metadata or {}), "original_filename": name}


def _apply_text(asset: Asset, text: str):
    encoded = text.encode("utf-8")
    limit = settings.MAX_UPLOAD_SIZE_BY_TYPE["text"]
    if len(encoded) > limit:
        raise FileTooLarge(f"Text may be at most {limit} bytes of UTF-8.", field="text_content")
    asset.text_content = text
    asset.mime_type = asset.mime_type or "text/plain"
    asset.file_size = len(encoded)
    asset.checksum_sha256 = hashlib.sha256(encoded).hexdigest()


def _store_file(asset: Asset, upload, info: FileInfo):
    """Write the upload to storage under a server-chosen name; returns the stored name."""
    asset.file.save(f"upload.{info.extension}", upload, save=False)
    # A name can come round again once its old file is gone; a deletion still recorded for
    # it (from a crash before cleanup) must not take the new file with it.
    FileDeletion.objects.filter(name=asset.file.name).delete()
    return asset.file.name


class _AlreadyRegistered(Exception):
    """The asset's (owner, module, external id) is registered already: its INSERT wrote nothing."""


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
    source: str = RequestSource.API,
    **fields,
) -> CreateResult:
    """Register an asset for `owner`.

    Idempotent on (owner, source_module, external_id): a repeat returns the existing asset
    with created=False. An uploaded file whose checksum the owner already has (outside the
    trash) returns that asset too, flagged as a duplicate. A file's type, mime, size,
    checksum and image dimensions come from its content, never from the client.
    """
    external_id = fields.get("external_id")
    if external_id and file is not None:
        # Before reading and storing a file. Without one, the insert itself finds a repeat
        # (the unique index; handled below): one query less for every new registration.
        existing = _registered(owner, source_module, external_id)
        if existing is not None:
            return CreateResult(existing, created=False)

    asset = Asset(owner=owner, source_module=source_module, type=type or "", status=status, **fields)
    info = None
    if file is not None:
        info = inspect_upload(file, name=getattr(file, "name", "") or "")
        _apply_file_info(asset, info)
        _remember_original_name(asset, file)
        duplicate = Asset.objects.owned_by(owner).alive().filter(checksum_sha256=info.checksum_sha256).first()
        if duplicate is not None:
            return CreateResult(duplicate, created=False, duplicate_of_file=True)
    elif text_content is not None:
        _apply_text(asset, text_content)
    _complete(asset, parent)

    stored_name = None
    try:
        with transaction.atomic():
            # Constraints are left to the database: a concurrent registration of the same
            # external_id must surface as the IntegrityError handled below, not as a 400.
            # (The check constraints repeat the field validators, which do run.)
            if info is not None:
                # Validate the row before the file is written, then write, then insert.
                asset.full_clean(exclude=["file", "thumbnail"], validate_constraints=False)
                _check_lifecycle_with_pending_file(asset)
                stored_name = _store_file(asset, file, info)
            _check_row(asset)
            if not sql.insert_rows(Asset, [asset], on_conflict=sql.SKIP_REGISTERED):
                raise _AlreadyRegistered  # nothing else written: leave the transaction
            tag_names = tagging.link_new_asset(asset, tags) if tags else []
            extensions.record_change(
                owner_id=owner.pk, asset_ids=[asset.pk], change=AssetChange.CREATED, source=source
            )
    except (IntegrityError, _AlreadyRegistered) as error:
        _discard(stored_name)
        if external_id:
            # A concurrent request registered the same external_id first (or, with no file,
            # any earlier one: the insert itself finds it).
            existing = _registered(owner, source_module, external_id)
            if existing is not None:
                return CreateResult(existing, created=False)
        if isinstance(error, _AlreadyRegistered):  # and deleted since, in between
            raise IntegrityError("The external_id's asset was deleted while this one was registered.") from None
        raise
    except BaseException:
        _discard(stored_name)
        raise
    _after_create(asset)
    return CreateResult(asset, created=True, tag_names=tag_names)


def assets_register(*, owner, registrations: list[dict], source: str = RequestSource.API) -> list:
    """Register many JSON assets (no files) of `owner` at once: a CreateResult, or a
    ValidationError for a registration that is not valid, for each, in order.

    The same rules and idempotency as asset_create, written together: one query finds or
    makes their tags and one links them, one INSERT writes the new assets (the search rows,
    statistics and tag counts follow per statement) and leaves out those whose external id
    is registered already (a repeat within the batch is the first one's), one records their
    creation, and tagging is queued in chunks after the commit. The ones left out lose the
    links just made for them and answer with the asset registered before (read afterwards;
    on SQLite, one query finds them first). Should an INSERT fail otherwise, the batch is
    registered one by one instead (asset_create).
    """
    results: list = [None] * len(registrations)
    # PostgreSQL's INSERT leaves out what is registered already (and says which); elsewhere
    # one query finds them first.
    existing = {} if sql.inserts_skip_conflicts() else _registered_among(owner, registrations)
    check_row = _RowChecks()
    fresh: list[tuple[int, Asset, list[str]]] = []
    first_of: dict[tuple[str, str], int] = {}
    for index, fields in enumerate(registrations):
        fields = dict(fields)
        key = (fields.get("source_module"), fields.get("external_id"))
        if key[1] and key in existing:
            results[index] = CreateResult(existing[key], created=False)
            continue
        if key[1] and key in first_of:
            results[index] = first_of[key]  # resolved below, to the first one's result
            continue
        if fields.get("file") is not None:
            return _register_one_by_one(owner, registrations, source)
        try:
            asset, tags = _new_asset(owner, fields, check_row=check_row)
        except ValidationError as error:
            results[index] = error
            continue
        fresh.append((index, asset, tags))
        if key[1]:
            first_of[key] = index
    if fresh:
        try:
            with transaction.atomic():
                # The links first (their foreign keys are checked at commit): the assets'
                # search rows are then written with their tags at once, not written and
                # rewritten (the tag counts follow the assets' insert).
                tagging.link_new_assets([(asset, tags) for _index, asset, tags in fresh if tags])
                written = sql.insert_rows(Asset, [asset for _index, asset, _tags in fresh],
                                          on_conflict=sql.SKIP_REGISTERED)
                registered = [(index, asset) for index, asset, _tags in fresh if asset.pk not in written]
                if registered:  # their links go with them (checked at commit, they would fail it)
                    tagging.unlink_all([asset.pk for _index, asset in registered])
                extensions.record_change(owner_id=owner.pk, asset_ids=list(written),
                                         change=AssetChange.CREATED, source=source)
        except IntegrityError:
            return _register_one_by_one(owner, registrations, source)
        for index, asset, _tags in fresh:
            if asset.pk in written:
                results[index] = CreateResult(asset, created=True)
        if registered:
            found = _registered_among(owner, [registrations[index] for index, _asset in registered])
            for index, _asset in registered:
                fields = registrations[index]
                existing_asset = found.get((fields.get("source_module"), fields.get("external_id")))
                results[index] = (CreateResult(existing_asset, created=False) if existing_asset is not None
                                  else _register_one_by_one(owner, [fields], source)[0])
        assets_schedule_autotag(asset_ids=[asset.pk for _index, asset, _tags in fresh if asset.pk in written])
    for index, result in enumerate(results):
        if isinstance(result, int):  # a repeat of an earlier registration in the batch
            first = results[result]
            results[index] = CreateResult(first.asset, created=False) if isinstance(first, CreateResult) else first
    return results


def _registered_among(owner, registrations) -> dict:
    """The owner's assets already registered under the batch's (module, external id)s."""
    keys = {(r.get("source_module"), r.get("external_id")) for r in registrations if r.get("external_id")}
    if not keys:
        return {}
    found = Asset.objects.owned_by(owner).filter(  # the (owner, module, external id) index
        source_module__in={module for module, _e in keys}, external_id__in={external_id for _m, external_id in keys}
    )
    return {
        (asset.source_module, asset.external_id): asset
        for asset in found
        if (asset.source_module, asset.external_id) in keys
    }


def _new_asset(owner, fields: dict, *, check_row=None) -> tuple[Asset, list[str]]:
    """An unsaved asset for one JSON registration, checked as asset_create checks it (by
    `check_row`, _check_row by default), and its tags (normalised)."""
    tags = tagging.normalise_tag_names(fields.pop("tags", None) or [])
    parent = fields.pop("parent", None)
    text_content = fields.pop("text_content", None)
    fields.pop("file", None)
    asset = Asset(owner=owner, status=fields.pop("status", AssetStatus.COMPLETED), **fields)
    asset.type = asset.type or ""
    if text_content is not None:
        _apply_text(asset, text_content)
    _complete(asset, parent)
    (check_row or _check_row)(asset)
    return asset, tags


def _complete(asset: Asset, parent_id) -> None:
    """What a registration must say, or gets by default: its type (from the file, else the
    client), a cost of 0, and its parent (one of the owner's assets)."""
    if not asset.type:
        raise ValidationError({"type": ["This field is required when no file is sent."]})
    if asset.cost is None:
        asset.cost = Decimal("0")
    _check_parent(asset, parent_id)


_CHECKED_BEFORE = {"owner", "parent"}


def _check_row(asset: Asset, *, exclude=()) -> None:
    """The new row's fields and lifecycle rules. The owner is the caller and the parent was
    checked (_check_parent): no query finds either again. `exclude`: fields known valid."""
    asset.full_clean(exclude=_CHECKED_BEFORE | set(exclude), validate_unique=False, validate_constraints=False)
    _check_lifecycle(asset)


# The fields whose plain values' check never depends on the row (nor changes them, once passed).
_PLAIN_FIELDS = {"CharField", "TextField", "SlugField", "BooleanField", "IntegerField", "PositiveIntegerField",
                 "BigIntegerField", "FloatField", "DecimalField", "UUIDField"}


class _RowChecks:
    """_check_row for the new rows of one batch: a field's value that an earlier row passed
    with, unchanged, is not checked again (a batch's variants repeat most of theirs: type,
    status, module, prompt, model, cost). Any other value is checked as for one row."""

    def __init__(self):
        # The fields whose values may be plain and repeat (not the primary key, files, JSON, dates).
        self.fields = [field for field in Asset._meta.concrete_fields
                       if field.name not in _CHECKED_BEFORE and not field.primary_key
                       and field.get_internal_type() in _PLAIN_FIELDS]
        self.passed: set = set()

    def __call__(self, asset: Asset) -> None:
        values = {field: plain_key(getattr(asset, field.attname)) for field in self.fields}
        known = {field.name for field, key in values.items() if key is not None and (field.name, key) in self.passed}
        _check_row(asset, exclude=known)
        for field, key in values.items():
            if key is not None and field.name not in known and plain_key(getattr(asset, field.attname)) == key:
                self.passed.add((field.name, key))


def _register_one_by_one(owner, registrations, source) -> list:
    results = []
    for fields in registrations:
        try:
            results.append(asset_create(owner=owner, source=source, **fields))
        except (ValidationError, DomainError) as error:
            results.append(error)
    return results


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
    assets_schedule_autotag(asset_ids=[asset.pk])
    if asset.file and asset.type in MEDIA_TYPES:
        assets_schedule_thumbnails(asset_ids=[asset.pk])


AUTOTAG_CHUNK = 500


def assets_schedule_autotag(*, asset_ids) -> int:
    """Queue automatic tagging for these assets, in chunks, once the transaction commits."""
    from assets.tasks import autotag_assets

    ids = [str(pk) for pk in asset_ids]
    for start in range(0, len(ids), AUTOTAG_CHUNK):
        chunk = ids[start : start + AUTOTAG_CHUNK]
        transaction.on_commit(lambda chunk=chunk: autotag_assets.delay(chunk))
    return len(ids)


THUMBNAIL_CHUNK = 50


def assets_schedule_thumbnails(*, asset_ids) -> int:
    """Queue thumbnails for these assets once the transaction commits (assets.thumbnails).

    `robust`: a thumbnail is never worth failing the request that already committed its asset.
    """
    from assets.tasks import make_thumbnails

    ids = [str(pk) for pk in asset_ids]
    for start in range(0, len(ids), THUMBNAIL_CHUNK):
        chunk = ids[start : start + THUMBNAIL_CHUNK]
        transaction.on_commit(lambda chunk=chunk: make_thumbnails.delay(chunk), robust=True)
    return len(ids)


def asset_set_thumbnail(*, asset: Asset, data: bytes, checksum: str) -> bool:
    """Store `data` (WebP) as the thumbnail of `asset`, made from its file with sha256 `checksum`.

    Thumbnails are made outside any transaction and take a while: meanwhile the file may
    have been replaced or the asset deleted. So the row is locked and its checksum compared
    first, and a stale thumbnail is dropped (returns False). A thumbnail it replaces is
    deleted after commit.
    """
    from django.core.files.base import ContentFile

    from assets.models import FileDeletion

    stored_name = None
    try:
        with transaction.atomic():
            row = Asset.objects.select_for_update().filter(pk=asset.pk).first()
            if row is None or not row.file or row.checksum_sha256 != checksum:
                return False
            old_thumbnail = row.thumbnail.name
            row.thumbnail.save("thumbnail.webp", ContentFile(data), save=False)
            stored_name = row.thumbnail.name
            row.clean_fields(exclude=[field.name for field in Asset._meta.fields if field.name != "thumbnail"])
            row.save(update_fields=["thumbnail", "updated_at"])
            # Thumbnail names repeat ({id}.webp): a deletion still recorded for this name is
            # stale (its file is gone, or storage would have picked another name) and must not
            # delete the new thumbnail.
            FileDeletion.objects.filter(name=stored_name).delete()
            if old_thumbnail and old_thumbnail != stored_name:
                _delete_files_on_commit(old_thumbnail)
    except BaseException:
        _discard(stored_name)
        raise
    asset.thumbnail.name, asset.updated_at = row.thumbnail.name, row.updated_at
    return True


def assets_autotag(*, asset_ids) -> int:
    """Add the derived tags each asset lacks, as automatic links. Manual tags are never touched.

    Idempotent: a tag the asset already has (manual or automatic, in any case) is skipped,
    and nothing is added past the per-asset limit. Returns the number of links added.
    """
    from assets import autotag

    added = 0
    assets = Asset.objects.filter(pk__in=list(asset_ids)).prefetch_related("tagged_items__tag")
    for asset in assets:
        names = autotag.derive_tags(asset, image_file=None)
        if asset.type == AssetType.IMAGE and asset.file:
            try:
                with asset.file.open("rb") as handle:
                    names = autotag.derive_tags(asset, image_file=handle)
            except (OSError, ValueError, SyntaxError):
                logger.warning("Could not read the image of %s for automatic tags", asset.pk)
        added += tagging.add_auto_tags(asset, names)
    return added


def asset_update(
    *, asset: Asset, file=None, tags: list[str] | None = None, source: str = RequestSource.API, **changes
) -> Asset:
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
                _remember_original_name(asset, file)
                asset.full_clean(exclude=["file", "thumbnail"])
                stored_name = _store_file(asset, file, info)
                asset.thumbnail = ""
            asset.full_clean(validate_unique=False)
            _check_lifecycle(asset)
            asset.save()
            if tags is not None:
                tagging.set_manual_tags(asset, tags)
            if changes or file is not None or tags is not None:
                extensions.record_change(
                    owner_id=asset.owner_id, asset_ids=[asset.pk], change=AssetChange.EDITED, source=source
                )
            if old_file and old_file != stored_name:
                _delete_files_on_commit(old_file, old_thumbnail)
            if stored_name and asset.type in MEDIA_TYPES:
                assets_schedule_thumbnails(asset_ids=[asset.pk])
            if stored_name:
                # New content to derive from (a module's pending image gets its file late).
                assets_schedule_autotag(asset_ids=[asset.pk])
    except BaseException:
        _discard(stored_name)
        asset.refresh_from_db()
        raise
    return asset


def assets_trash(*, owner, ids, source: str = RequestSource.API) -> int:
    """Move the owner's live assets among `ids` (a list of ids or a queryset of assets) to the trash."""
    return len(assets_trash_returning_ids(owner=owner, ids=ids, source=source))


def assets_trash_returning_ids(*, owner, ids, source: str = RequestSource.API) -> list[uuid.UUID]:
    """As assets_trash, returning the ids it trashed (for an exact undo).

    One UPDATE ... RETURNING, so that a 'deleted' event is recorded for exactly the assets
    this call trashed (not those already in the trash, nor trashed meanwhile).
    """
    now = timezone.now()
    with transaction.atomic():
        scope = _owned_among(owner, ids).alive()
        trashed_ids = _update_recording_events(
            scope, owner=owner, kind=AssetChange.DELETED, source=source, deleted_at=now, updated_at=now
        )
    return trashed_ids


def assets_restore(*, owner, ids, source: str = RequestSource.API) -> int:
    """Bring the owner's trashed assets among `ids` back into the library (events as in assets_trash)."""
    with transaction.atomic():
        scope = _owned_among(owner, ids).trashed()
        restored_ids = _update_recording_events(
            scope, owner=owner, kind=AssetChange.RESTORED, source=source, deleted_at=None,
            updated_at=timezone.now(),
        )
    return len(restored_ids)


def _owned_among(owner, ids) -> QuerySet:
    """The owner's assets among `ids`: a list of ids, or a queryset of assets (a bulk selection).

    A queryset's own terms are used as they are, not as `pk IN (<the selection>)`: a planner
    without fresh statistics (a library just imported) can turn that self-join into a nested
    loop that rescans the selection for every row, minutes instead of a second for 10,000.
    """
    if isinstance(ids, QuerySet) and ids.model is Asset and not ids.query.values_select:
        return ids.owned_by(owner).order_by()
    return Asset.objects.owned_by(owner).filter(pk__in=ids)


def _lock_ids(queryset) -> list:
    return list(queryset.select_for_update().values_list("pk", flat=True))


def _update_recording_events(queryset, *, owner, kind: str, source: str, **assignments) -> list[uuid.UUID]:
    """Set fields on every row of `queryset` in one UPDATE, record `kind` for each row it
    changed, and return their ids (on PostgreSQL the events are written by the same
    statement: assets.sql.update_returning_ids)."""

    def in_statement(ids_from):
        return extensions.change_sql(owner_id=owner.pk, ids_from=ids_from, change=kind, source=source)

    ids, recorded = sql.update_returning_ids(queryset, assignments, record=in_statement)
    if not recorded:
        extensions.record_change(owner_id=owner.pk, asset_ids=ids, change=kind, source=source)
    return ids


def asset_trash(*, asset: Asset, source: str = RequestSource.API) -> Asset:
    assets_trash(owner=asset.owner, ids=[asset.pk], source=source)
    asset.refresh_from_db()
    return asset


def asset_restore(*, asset: Asset, source: str = RequestSource.API) -> Asset:
    assets_restore(owner=asset.owner, ids=[asset.pk], source=source)
    asset.refresh_from_db()
    return asset


def asset_record_download(*, asset: Asset, source: str = RequestSource.API, share_link_id=None) -> None:
    """Count one download: the counter and its 'downloaded' event move together.

    `share_link_id`: the share link it came through (public share pages), kept on the event.
    """
    with transaction.atomic():
        Asset.objects.filter(pk=asset.pk).update(download_count=F("download_count") + 1)
        extensions.record_change(
            owner_id=asset.owner_id, asset_ids=[asset.pk], change=AssetChange.DOWNLOADED, source=source,
            share_link_id=share_link_id,
        )


def assets_record_downloads(*, owner, asset_ids, source: str = RequestSource.API) -> int:
    """Count one download for each of these assets that `owner` (who downloaded them: a zip
    export) may see: counters and events together, each event in its asset's owner's
    statistics (a member's download of a shared asset counts for the asset's owner)."""
    with transaction.atomic():
        by_owner: dict[int, list] = {}
        for chunk in id_chunks(list(asset_ids)):
            rows = list(access.visible_assets(owner).filter(pk__in=chunk).select_for_update(of=("self",))
                        .values_list("pk", "owner_id"))
            Asset.objects.filter(pk__in=[pk for pk, _owner in rows]).update(download_count=F("download_count") + 1)
            for pk, asset_owner in rows:
                by_owner.setdefault(asset_owner, []).append(pk)
        for asset_owner, ids in sorted(by_owner.items()):
            extensions.record_change(owner_id=asset_owner, asset_ids=ids, change=AssetChange.DOWNLOADED,
                                     source=source)
    return sum(len(ids) for ids in by_owner.values())


def assets_record_shared(*, owner, asset_ids, source: str = RequestSource.API, share_link_id=None) -> int:
    """Count one share for each of the owner's live assets among `asset_ids` (share links call this).

    One UPDATE for the counters and one batch of 'shared' events, for the same locked ids.
    """
    with transaction.atomic():
        shared_ids = []
        for chunk in id_chunks(list(asset_ids)):
            shared_ids += _lock_ids(Asset.objects.owned_by(owner).alive().filter(pk__in=chunk))
        count = 0
        for chunk in id_chunks(shared_ids):
            count += Asset.objects.filter(pk__in=chunk).update(share_count=F("share_count") + 1)
        extensions.record_change(
            owner_id=owner.pk, asset_ids=shared_ids, change=AssetChange.SHARED, source=source,
            share_link_id=share_link_id,
        )
    return count


def asset_set_favorite(*, asset: Asset, value: bool) -> Asset:
    if asset.is_favorite != value:
        Asset.objects.filter(pk=asset.pk).update(is_favorite=value, updated_at=timezone.now())
        asset.refresh_from_db()
    return asset


def asset_delete_permanently(*, asset: Asset, source: str = RequestSource.API) -> None:
    """Delete the row, then (after commit) its files.

    An asset deleted straight from the library leaves a 'deleted' event (one from the
    trash has it already); its events outlive it with no asset.
    """
    with transaction.atomic():
        if asset.deleted_at is None:
            extensions.record_change(
                owner_id=asset.owner_id, asset_ids=[asset.pk], change=AssetChange.DELETED, source=source
            )
        names = (asset.file.name, asset.thumbnail.name)
        asset.delete()
        _delete_files_on_commit(*names)


def assets_delete_permanently(*, owner, ids, source: str = RequestSource.API) -> int:
    """Delete the owner's assets among `ids` (at most a chunk's worth) for good, in one transaction.

    Rows go first; their files are recorded for deletion in the same transaction and
    deleted after it commits (assets.file_deletions). Safe to repeat: ids already gone
    are skipped.
    """
    with transaction.atomic():
        rows = list(
            Asset.objects.owned_by(owner).filter(pk__in=list(ids)).select_for_update().values_list(
                "pk", "file", "thumbnail", "deleted_at"
            )
        )
        if not rows:
            return 0
        live = [pk for pk, _file, _thumb, deleted_at in rows if deleted_at is None]
        extensions.record_change(owner_id=owner.pk, asset_ids=live, change=AssetChange.DELETED, source=source)
        Asset.objects.filter(pk__in=[row[0] for row in rows]).delete()
        files_schedule_deletion([name for _pk, file, thumb, _d in rows for name in (file, thumb)])
    return len(rows)


def assets_mark_failed(*, ids, error_message: str) -> int:
    """Operators and the stuck-asset sweep: unfinished assets among `ids` become failed."""
    return Asset.objects.filter(
        pk__in=list(ids), status__in=[AssetStatus.PENDING, AssetStatus.PROCESSING]
    ).update(status=AssetStatus.FAILED, error_message=error_message, updated_at=timezone.now())


def assets_bulk_update(
    *,
    owner,
    assets,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
    **changes,
) -> int:
    """Apply the same edit to many of the owner's assets, all or nothing.

    `assets` is a queryset of the owner's assets (from resolve_bulk_selection). Fields are
    set in one UPDATE, tags added with batched INSERT ... ON CONFLICT DO NOTHING and
    removed with one DELETE, so 10,000 assets cost a handful of statements, not 10,000
    round trips. A tag added by hand that was already there as an automatic tag becomes a
    manual one.
    """
    unknown = set(changes) - {"title", "description", "is_favorite"}
    if unknown:
        raise ValidationError({name: ["This field cannot be changed in bulk."] for name in sorted(unknown)})
    add = tagging.normalise_tag_names(add_tags or [], field="add_tags")
    remove = tagging.normalise_tag_names(remove_tags or [], field="remove_tags")
    if not (add or remove or changes):
        raise ValidationError({"non_field_errors": ["Send at least one change (add_tags, remove_tags, title, "
                                                    "description or is_favorite)."]})
    probe = Asset(owner=owner, type=AssetType.TEXT, source_module="upload", **changes)
    probe.full_clean(exclude=[f.name for f in Asset._meta.fields if f.name not in changes], validate_unique=False,
                     validate_constraints=False)
    scope = _owned_among(owner, assets)
    with transaction.atomic():
        ids = list(scope.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        now = timezone.now()
        for chunk in id_chunks(ids):
            tagging.bulk_remove_tags(chunk, remove, owner_id=owner.pk)
            tagging.bulk_add_tags(chunk, add, owner_id=owner.pk)
            Asset.objects.filter(pk__in=chunk).update(updated_at=now, **changes)
    return len(ids)
