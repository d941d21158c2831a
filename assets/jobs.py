"""Jobs: long work (zip exports, permanent deletes) recorded in the database, run by workers.

The web request only records a Job and returns it; the task is dispatched once that row
is committed. A worker claims a job with one conditional UPDATE, so two deliveries of
the same task never run it at once, reports progress at least every 2% or every second
(which is also its heartbeat), and finishes it in one transaction. A running job whose
heartbeat stops (its worker died) is dispatched again by `jobs_recover_stale`, which the
beat schedule and every starting worker run; the task then restarts it from scratch.
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from assets import access
from assets.models import Asset, Job, JobKind, JobStatus
from common.lookups import by_id
from common.request_source import RequestSource
from config.api_errors import NotFound

logger = logging.getLogger(__name__)


def job_create(*, owner, kind: str, asset_ids, source: str = "api") -> Job:
    """Record a job over these (already owner-checked) asset ids and queue it after commit."""
    ids = [str(pk) for pk in asset_ids]
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, asset_ids=ids, total=len(ids), source=source)
        job_dispatch(job=job)
    return job


def job_dispatch(*, job: Job) -> None:
    from assets.tasks import run_job

    transaction.on_commit(lambda: run_job.delay(str(job.pk)))


def _own_jobs(owner):
    # A share link's "Download all" zips are the owner's jobs too (their files, their
    # assets), but visitors asked for them: they are reached through the link, not here.
    return Job.objects.owned_by(owner).exclude(source=RequestSource.SHARE)


def job_get(*, owner, job_id) -> Job:
    """One of the owner's jobs; anything else (another owner's, unknown, malformed id) is NotFound."""
    return by_id(_own_jobs(owner), job_id, missing=lambda: NotFound("No such job."))


def job_still_allowed(job: Job) -> bool:
    """Whether the job's owner may still see every asset of someone else's in it (those of
    a collection shared with them): a revoked grant, a team left or an asset trashed by its
    owner ends access to an export made before, as to everything else."""
    others = Asset.objects.filter(pk__in=job.asset_ids).exclude(owner_id=job.owner_id)
    return not others.exclude(access.visible_q(job.owner)).exists()


def job_list(*, owner):
    return _own_jobs(owner).order_by("-created_at")


def _stale_before():
    return timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)


def job_claim(*, job_id) -> Job | None:
    """Take a queued job, or a running one whose worker stopped beating. None if taken or done."""
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=_stale_before())
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, done=0, attempts=F("attempts") + 1, error=""
    )
    return Job.objects.get(pk=job_id) if claimed else None


class Progress:
    """Writes `done` (and the heartbeat) at least every 2% of the total or every second."""

    def __init__(self, job: Job):
        self.job = job
        self.step = max(1, job.total // 50)
        self.last_done = 0
        self.last_time = time.monotonic()

    def __call__(self, done: int, *, force: bool = False):
        now = time.monotonic()
        if force or done - self.last_done >= self.step or now - self.last_time >= 1.0:
            Job.objects.filter(pk=self.job.pk, attempts=self.job.attempts).update(
                done=done, heartbeat_at=timezone.now()
            )
            self.last_done, self.last_time = done, now
        delay = settings.JOB_ITEM_DELAY_SECONDS
        if delay:
            time.sleep(delay)  # fault injection for the reliability tests only


def job_finish(*, job: Job, **fields) -> bool:
    """Mark the job succeeded with `fields`, unless another attempt has taken it over."""
    now = timezone.now()
    updated = Job.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING).update(
        status=JobStatus.SUCCEEDED, done=job.total, finished_at=now, heartbeat_at=now, **fields
    )
    return bool(updated)


def job_fail(*, job: Job, error: str) -> None:
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
        status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def jobs_recover_stale() -> int:
    """Dispatch again every job that was queued or running but shows no sign of life."""
    stale = _stale_before()
    jobs = list(
        Job.objects.filter(
            Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale) | Q(status=JobStatus.QUEUED, created_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    from assets.tasks import run_job

    for pk in jobs:
        logger.warning("Job %s stalled; dispatching it again", pk)
        run_job.delay(str(pk))
    return len(jobs)


def job_download_ready(job: Job) -> bool:
    return (
        job.kind == JobKind.DOWNLOAD
        and job.status == JobStatus.SUCCEEDED
        and bool(job.result_file)
        and (job.expires_at is None or job.expires_at > timezone.now())
    )
