"""The cleanup commands (purge_trash, cleanup_exports, cleanup_orphans, fail_stuck_assets) and
the assets.upkeep functions behind them."""

import datetime as dt
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from assets import jobs, upkeep
from assets.models import Asset, AssetStatus, AssetType, FileDeletion, Job, JobKind, JobStatus
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def run(command, *args) -> tuple[str, dict]:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    text = out.getvalue().strip()
    return text, json.loads(text.split(f"{command}: ", 1)[1])


def trashed_days_ago(owner, days):
    asset = AssetFactory(owner=owner)
    Asset.objects.filter(pk=asset.pk).update(deleted_at=timezone.now() - dt.timedelta(days=days))
    return asset


def exists(asset):
    return Asset.objects.filter(pk=asset.pk).exists()


# purge_trash

def test_purge_trash_older_than(user, other_user, django_capture_on_commit_callbacks):
    old = [trashed_days_ago(user, 10), trashed_days_ago(other_user, 8)]
    recent = trashed_days_ago(user, 2)
    live = AssetFactory(owner=user)

    text, summary = run("purge_trash", "--older-than", "7", "--dry-run")
    assert text.startswith("[dry run]")
    assert summary["assets"] == 2 and summary["purged"] == 0
    assert all(exists(a) and default_storage.exists(a.file.name) for a in old)

    with django_capture_on_commit_callbacks(execute=True):
        _text, summary = run("purge_trash", "--older-than", "7")
    assert summary["assets"] == 2 and summary["purged"] == 2
    assert not any(exists(a) for a in old)
    assert not any(default_storage.exists(a.file.name) for a in old)
    for kept in (recent, live):
        assert exists(kept) and default_storage.exists(kept.file.name)
    assert not FileDeletion.objects.exists()


def test_purge_trash_defaults_to_retention_setting(user, settings, django_capture_on_commit_callbacks):
    settings.TRASH_RETENTION_DAYS = 3
    old = trashed_days_ago(user, 4)
    recent = trashed_days_ago(user, 2)

    with django_capture_on_commit_callbacks(execute=True):
        summary = upkeep.purge_trash()
    assert summary["older_than_days"] == 3 and summary["purged"] == 1
    assert not exists(old) and exists(recent)


# cleanup_exports

def make_export(owner, capture) -> Job:
    asset = AssetFactory(owner=owner)
    with capture(execute=True):
        job = jobs.job_create(owner=owner, kind=JobKind.DOWNLOAD, asset_ids=[asset.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and default_storage.exists(job.result_file.name)
    return job


def test_cleanup_exports_removes_expired(user, django_capture_on_commit_callbacks):
    expired = make_export(user, django_capture_on_commit_callbacks)
    fresh = make_export(user, django_capture_on_commit_callbacks)
    Job.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    name = expired.result_file.name

    _text, summary = run("cleanup_exports", "--dry-run")
    assert summary["expired_exports"] == 1
    assert default_storage.exists(name)
    assert Job.objects.get(pk=expired.pk).result_file.name == name

    with django_capture_on_commit_callbacks(execute=True):
        _text, summary = run("cleanup_exports")
    assert summary["expired_exports"] == 1
    assert not default_storage.exists(name)
    assert Job.objects.get(pk=expired.pk).result_file.name == ""
    assert default_storage.exists(fresh.result_file.name)
    assert Job.objects.get(pk=fresh.pk).result_file.name == fresh.result_file.name


# cleanup_orphans

def test_cleanup_orphans(user, settings, django_capture_on_commit_callbacks):
    settings.ORPHAN_GRACE_SECONDS = 0
    referenced = AssetFactory(owner=user)
    broken = AssetFactory(owner=user)
    default_storage.delete(broken.file.name)
    stray = default_storage.save(f"assets/{user.pk}/stray.png", ContentFile(b"nobody's"))
    leftover = default_storage.save("assets/leftover.png", ContentFile(b"to delete"))
    FileDeletion.objects.create(name=leftover)

    _text, summary = run("cleanup_orphans", "--dry-run")
    assert summary["orphan_files"] == 2  # nothing processed yet: the recorded leftover counts too
    assert summary["rows_missing_file"] == 1
    assert default_storage.exists(stray) and default_storage.exists(leftover)
    assert FileDeletion.objects.count() == 1

    _text, summary = run("cleanup_orphans")
    assert summary["pending_deletions"] == 1 and summary["pending_deletions_done"] == 1
    assert not FileDeletion.objects.exists()
    assert not default_storage.exists(leftover)
    assert summary["orphan_files"] == 1 and summary["orphan_files_deleted"] == 1
    assert not default_storage.exists(stray)
    assert default_storage.exists(referenced.file.name)
    assert summary["rows_missing_file"] == 1
    assert summary["rows_missing_file_ids"] == [str(broken.pk)]
    assert exists(broken)  # reported, not deleted


def test_cleanup_orphans_respects_grace(user, settings):
    settings.ORPHAN_GRACE_SECONDS = 3600
    stray = default_storage.save("assets/young.png", ContentFile(b"just written"))
    summary = upkeep.cleanup_orphans()
    assert summary["orphan_files"] == 0
    assert default_storage.exists(stray)


# fail_stuck_assets

def test_fail_stuck_assets(user):
    old = timezone.now() - dt.timedelta(minutes=45)
    stuck = AssetFactory(owner=user, pending=True)
    processing = AssetFactory(owner=user, pending=True)
    fresh = AssetFactory(owner=user, pending=True)
    done = AssetFactory(owner=user, type=AssetType.TEXT)
    Asset.objects.filter(pk=processing.pk).update(status=AssetStatus.PROCESSING)
    Asset.objects.filter(pk__in=[stuck.pk, processing.pk, done.pk]).update(updated_at=old)

    _text, summary = run("fail_stuck_assets", "--minutes", "30", "--dry-run")
    assert summary["stuck"] == 2 and summary["failed"] == 0
    assert Asset.objects.get(pk=stuck.pk).status == AssetStatus.PENDING

    _text, summary = run("fail_stuck_assets", "--minutes", "30")
    assert summary["stuck"] == 2 and summary["failed"] == 2
    for asset in (stuck, processing):
        row = Asset.objects.get(pk=asset.pk)
        assert row.status == AssetStatus.FAILED
        assert row.error_message.strip()
    assert Asset.objects.get(pk=fresh.pk).status == AssetStatus.PENDING
    row = Asset.objects.get(pk=done.pk)
    assert row.status == AssetStatus.COMPLETED and row.error_message == ""
