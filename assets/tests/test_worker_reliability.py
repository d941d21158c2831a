"""Jobs survive a worker killed half-way, on real Redis with real worker processes."""

import io
import os
import time
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assets import jobs
from assets.models import Asset, Job, JobKind, JobStatus
from assets.tests.factories import AssetFactory
from assets.tests.worker import real_workers, wait_for
from assets.upkeep import cleanup_orphans

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

STALE = 2  # seconds without a heartbeat before a job is taken over


def _job(pk):
    return Job.objects.get(pk=pk)


def _assets_with_files(owner, count, size):
    assets = []
    for index in range(count):
        payload = os.urandom(size)
        assets.append(AssetFactory(owner=owner, title=f"Frame {index:03d}",
                                   file=ContentFile(payload, name="frame.png")))
    return assets


def _bucket_env(request) -> dict:
    """The worker's settings for this test's bucket (conftest.s3_storage)."""
    client = request.getfixturevalue("s3_storage")
    return {"AWS_STORAGE_BUCKET_NAME": client.bucket, "AWS_S3_ENDPOINT_URL": client.meta.endpoint_url,
            "AWS_S3_REGION_NAME": "us-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_LOCATION": client.prefix}


@pytest.mark.parametrize("backend", ["disk", "s3"])
def test_a_zip_job_completes_after_its_worker_is_killed(user, settings, request, backend):
    settings.JOB_STALE_SECONDS = STALE
    bucket = _bucket_env(request) if backend == "s3" else {}
    assets = _assets_with_files(user, 40, 64 * 1024)
    with real_workers(JOB_ITEM_DELAY_SECONDS=0.1, JOB_STALE_SECONDS=STALE, **bucket) as start_worker:
        first = start_worker()
        job = jobs.job_create(owner=user, kind=JobKind.DOWNLOAD, asset_ids=[a.pk for a in assets])
        wait_for(lambda: 5 <= _job(job.pk).done < 40, message="the job to be half-way")
        first.kill()
        assert _job(job.pk).status == JobStatus.RUNNING
        time.sleep(STALE + 0.5)
        start_worker()  # recovers stalled jobs as it starts
        done = wait_for(lambda: _job(job.pk).status == JobStatus.SUCCEEDED and _job(job.pk), timeout=90,
                        message="the job to succeed on the second worker")
    assert done.attempts == 2
    with default_storage.open(done.result_file.name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert archive.testzip() is None
    names = archive.namelist()
    assert len(names) == 41 and names[-1] == "manifest.csv"
    for asset in assets:
        with asset.file.open("rb") as original:
            assert archive.read(f"{asset.title}.png") == original.read()
    counts = set(Asset.objects.filter(pk__in=[a.pk for a in assets]).values_list("download_count", flat=True))
    assert counts == {1}  # counted once, by the attempt that finished


def test_a_permanent_delete_killed_half_way_loses_no_file(user, settings):
    settings.JOB_STALE_SECONDS = STALE
    settings.ORPHAN_GRACE_SECONDS = 0
    assets = _assets_with_files(user, 60, 1024)
    ids = [a.pk for a in assets]
    with real_workers(JOB_ITEM_DELAY_SECONDS=0.15, JOB_STALE_SECONDS=STALE, PURGE_CHUNK_SIZE=4) as start_worker:
        first = start_worker()
        job = jobs.job_create(owner=user, kind=JobKind.DELETE, asset_ids=ids)
        wait_for(lambda: 8 <= _job(job.pk).done < 60, message="the purge to be half-way")
        first.kill()
        survivors = list(Asset.objects.filter(pk__in=ids))
        assert 0 < len(survivors) < 60
        for asset in survivors:  # no surviving row lost its file
            assert default_storage.exists(asset.file.name), asset.pk
        time.sleep(STALE + 0.5)
        start_worker()
        wait_for(lambda: _job(job.pk).status == JobStatus.SUCCEEDED, timeout=90,
                 message="the purge to finish on the second worker")
    assert not Asset.objects.filter(pk__in=ids).exists()
    leftovers = cleanup_orphans(dry_run=True)
    assert leftovers["pending_deletions"] == 0
    assert leftovers["orphan_files"] == 0
    assert leftovers["rows_missing_file"] == 0
