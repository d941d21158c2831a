"""Upkeep: the work behind the cleanup commands and their scheduled Celery tasks.

Each function takes `dry_run`, acts through the same services as everything else, and
returns a summary dict that the command prints and the task logs.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from assets import services, storage
from assets.file_deletions import file_deletions_process, files_schedule_deletion
from assets.models import MEDIA_TYPES, Asset, AssetStatus, FileDeletion, Job, JobKind

logger = logging.getLogger(__name__)

STORED_FOLDERS = ("assets", "thumbnails")


def purge_trash(*, older_than_days: int | None = None, dry_run: bool = False) -> dict:
    """Delete for good what has been in the trash longer than the retention period."""
    days = settings.TRASH_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    due = Asset.objects.trashed().filter(deleted_at__lt=cutoff)
    summary = {"older_than_days": days, "assets": due.count(), "purged": 0}
    if dry_run:
        return summary
    for owner in get_user_model().objects.filter(pk__in=due.values("owner_id")):
        ids = list(due.filter(owner=owner).values_list("pk", flat=True))
        for start in range(0, len(ids), settings.PURGE_CHUNK_SIZE):
            summary["purged"] += services.assets_delete_permanently(
                owner=owner, ids=ids[start : start + settings.PURGE_CHUNK_SIZE], source="api"
            )
    summary["files_deleted"] = file_deletions_process()
    return summary


def cleanup_exports(*, dry_run: bool = False) -> dict:
    """Remove expired zip exports, and export files that no job owns."""
    now = timezone.now()
    expired = Job.objects.filter(kind=JobKind.DOWNLOAD, expires_at__lt=now).exclude(result_file="")
    summary = {"expired_exports": expired.count(), "stray_files": 0}
    owned = set(Job.objects.exclude(result_file="").values_list("result_file", flat=True))
    stray = [name for name, modified in _walk("exports") if name not in owned and now - modified > _orphan_grace()]
    summary["stray_files"] = len(stray)
    if dry_run:
        return summary
    with transaction.atomic():
        names = list(expired.values_list("result_file", flat=True))
        expired.update(result_file="")
        files_schedule_deletion(names + stray)
    return summary


def cleanup_orphans(*, dry_run: bool = False) -> dict:
    """Files with no row (deleted), and completed media rows whose file is missing (reported)."""
    now = timezone.now()
    summary = {"pending_deletions": FileDeletion.objects.count()}
    if not dry_run:
        summary["pending_deletions_done"] = file_deletions_process()
    referenced = set()
    for file, thumbnail in Asset.objects.values_list("file", "thumbnail").iterator(chunk_size=5000):
        referenced.update(name for name in (file, thumbnail) if name)
    # One listing of the stored files (a bucket: a page of 1,000 keys at a time), which
    # answers both questions: files no row holds, and rows whose file is gone.
    stored = {name: modified for folder in STORED_FOLDERS for name, modified in _walk(folder)}
    orphans = [name for name, modified in stored.items() if name not in referenced and now - modified > _orphan_grace()]
    summary["orphan_files"] = len(orphans)

    def gone(name: str) -> bool:
        in_listed_folder = name.split("/", 1)[0] in STORED_FOLDERS
        return name not in stored if in_listed_folder else not default_storage.exists(name)

    missing = [
        str(pk)
        for pk, name in Asset.objects.filter(type__in=MEDIA_TYPES).exclude(file="").values_list("pk", "file")
        .iterator(chunk_size=5000)
        if gone(name)
    ]
    summary["rows_missing_file"] = len(missing)
    summary["rows_missing_file_ids"] = missing[:50]
    if not dry_run and orphans:
        for name in orphans:
            default_storage.delete(name)
        summary["orphan_files_deleted"] = len(orphans)
    return summary


def fail_stuck_assets(*, minutes: int | None = None, dry_run: bool = False) -> dict:
    """Pending or processing for longer than `minutes`: failed, with an error_message saying why."""
    minutes = settings.STUCK_ASSET_MINUTES if minutes is None else minutes
    cutoff = timezone.now() - dt.timedelta(minutes=minutes)
    stuck = Asset.objects.filter(
        status__in=[AssetStatus.PENDING, AssetStatus.PROCESSING], updated_at__lt=cutoff
    )
    ids = list(stuck.values_list("pk", flat=True))
    summary = {"minutes": minutes, "stuck": len(ids), "failed": 0}
    if not dry_run and ids:
        summary["failed"] = services.assets_mark_failed(
            ids=ids, error_message=f"No progress for {minutes} minutes: marked failed by fail_stuck_assets."
        )
    return summary


def _orphan_grace():
    # Files younger than this are never called orphans: their row may still be on its way.
    return dt.timedelta(seconds=settings.ORPHAN_GRACE_SECONDS)


def _walk(folder: str):
    """(name, modified) of every file stored under `folder`, recursively."""
    if not storage.on_disk():
        yield from storage.listed(folder)
        return
    try:
        directories, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        path = f"{folder}/{name}"
        try:
            modified = default_storage.get_modified_time(path)
        except (OSError, NotImplementedError):
            modified = timezone.now()
        yield path, modified
    for directory in directories:
        yield from _walk(f"{folder}/{directory}")




def tag_counts_rebuild() -> bool:
    """Count every tag's live assets again (TagCount; PostgreSQL, where triggers keep them):
    for repairs, as `rebuild_stats` does for the statistics. Writes to assets and links
    wait meanwhile. False where no counts are kept (SQLite)."""
    from django.db import connection, transaction

    from assets import sql

    if connection.vendor != "postgresql":
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE assets_asset, assets_taggedasset IN SHARE MODE")
        for statement in sql.TAG_COUNTS_REBUILD.split("; "):
            cursor.execute(statement)
    return True
