"""Celery tasks for assets. Each takes ids, re-reads the rows and calls a service.

All are idempotent: a repeat (a retry, a redelivery after a worker died) finds the work
done or redoes it from a clean start.
"""

import datetime as dt
import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assets import jobs, services
from assets.file_deletions import file_deletions_process
from assets.models import JobKind, job_result_path
from common.request_source import RequestSource

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def autotag_assets(asset_ids: list[str]) -> int:
    """Derive and store automatic tags for these assets. Safe to run any number of times."""
    return services.assets_autotag(asset_ids=asset_ids)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def make_thumbnails(asset_ids: list[str]) -> int:
    """Make the thumbnails these assets lack (assets.thumbnails). Safe to run any number of times."""
    from assets.thumbnails import make_missing_thumbnails

    return make_missing_thumbnails(asset_ids=asset_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=3)
def run_job(job_id: str) -> str:
    """Run a job from the start. Nothing happens if it is done or another worker holds it."""
    job = jobs.job_claim(job_id=job_id)
    if job is None:
        return "skipped"
    try:
        if job.kind == JobKind.DOWNLOAD:
            _run_download(job)
        elif job.kind == JobKind.DELETE:
            _run_delete(job)
    except OSError:
        raise  # retried; the claim above takes the job back once its heartbeat is stale
    except Exception as exc:
        logger.exception("Job %s failed", job_id)
        jobs.job_fail(job=job, error=f"{type(exc).__name__}: {exc}")
        return "failed"
    return "succeeded"


def _run_download(job):
    progress = jobs.Progress(job)
    target = job_result_path(job, "export.zip")
    included, size = services_zip(job, target, progress)
    with transaction.atomic():
        finished = jobs.job_finish(
            job=job, result_file=target, result_size=size,
            expires_at=timezone.now() + dt.timedelta(seconds=settings.EXPORT_TTL),
        )
        if finished:
            services.assets_record_downloads(owner=job.owner, asset_ids=included, source=job.source)


def services_zip(job, target, progress):
    from assets.zip_export import build_zip

    return build_zip(owner=job.owner, asset_ids=job.asset_ids, target_name=target, progress=progress,
                     public=job.source == RequestSource.SHARE)


def _run_delete(job):
    file_deletions_process()  # what an earlier, interrupted attempt left
    progress = jobs.Progress(job)
    ids = job.asset_ids
    size = settings.PURGE_CHUNK_SIZE
    for start in range(0, len(ids), size):
        services.assets_delete_permanently(owner=job.owner, ids=ids[start : start + size], source=job.source)
        progress(min(start + size, len(ids)))
    jobs.job_finish(job=job)


@shared_task
def recover_stale_jobs() -> int:
    return jobs.jobs_recover_stale()


@worker_ready.connect
def _recover_on_start(sender=None, **kwargs):
    try:
        jobs.jobs_recover_stale()
    except Exception:  # noqa: BLE001 - a worker must start even if this fails
        logger.exception("Could not recover stale jobs at start-up")


@shared_task
def purge_trash() -> dict:
    from assets import upkeep

    return upkeep.purge_trash()


@shared_task
def cleanup_exports() -> dict:
    from assets import upkeep

    return upkeep.cleanup_exports()


@shared_task
def cleanup_orphans() -> dict:
    from assets import upkeep

    return upkeep.cleanup_orphans()


@shared_task
def fail_stuck_assets() -> dict:
    from assets import upkeep

    return upkeep.fail_stuck_assets()
