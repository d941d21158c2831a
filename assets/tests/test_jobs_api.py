"""Jobs: POST /assets/bulk/download/ and permanent /assets/bulk/delete/ queue a job; GET /jobs/...
shows it and streams the zip. Only the caller's own assets are ever touched."""

import csv
import datetime as dt
import io
import uuid
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from assets import jobs
from assets.models import Asset, AssetType, Job, JobKind, JobStatus
from assets.tasks import run_job
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

BULK_DOWNLOAD = "/api/v1/assets/bulk/download/"
BULK_DELETE = "/api/v1/assets/bulk/delete/"
JOBS = "/api/v1/jobs/"

JOB_FIELDS = {"id", "kind", "status", "total", "done", "download_url", "created_at", "finished_at"}


def post_job(client, url, body, capture):
    with capture(execute=True):
        response = client.post(url, body, format="json")
    assert response.status_code == 202, response.content
    return response.json()


def job_detail(client, job_id):
    response = client.get(f"{JOBS}{job_id}/")
    assert response.status_code == 200, response.content
    return response.json()


def fetch_zip(client, job_id) -> zipfile.ZipFile:
    response = client.get(f"{JOBS}{job_id}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def manifest(archive) -> dict:
    rows = csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8")))
    return {row["id"]: row for row in rows}


def download(client, capture, **body):
    job = post_job(client, BULK_DOWNLOAD, body, capture)
    return job, fetch_zip(client, job["id"])


def test_bulk_download_zip_contents(api, django_capture_on_commit_callbacks):
    me = api.user
    first = AssetFactory(owner=me, title="Name")
    second = AssetFactory(owner=me, title="Name")
    text = AssetFactory(owner=me, type=AssetType.TEXT, title="Poem", text_content="Grüße — ünïcödé ✓\nline two")
    sneaky = AssetFactory(owner=me, title="../../etc/passwd/..")
    ids = [str(a.pk) for a in (first, second, text, sneaky)]

    job = post_job(api, BULK_DOWNLOAD, {"ids": ids}, django_capture_on_commit_callbacks)
    assert JOB_FIELDS <= set(job)
    assert job["kind"] == "download"
    assert job["total"] == 4

    detail = job_detail(api, job["id"])
    assert detail["status"] == "succeeded"
    assert detail["done"] == 4
    assert detail["finished_at"]
    assert detail["download_url"] and detail["download_url"].endswith(f"/api/v1/jobs/{job['id']}/download/")

    archive = fetch_zip(api, job["id"])
    names = archive.namelist()
    assert len(names) == 5  # four assets + manifest
    assert {"Name.png", "Name (2).png", "Poem.txt", "manifest.csv"} <= set(names)
    for name in names:
        parts = name.replace("\\", "/").split("/")
        assert len(parts) == 1 and ".." not in parts and not name.startswith(".")
    assert archive.read("Poem.txt") == "Grüße — ünïcödé ✓\nline two".encode()
    assert archive.read("Name.png") == b"\x89PNG fake"
    for info in archive.infolist():
        if info.filename != "manifest.csv":
            assert info.compress_type == zipfile.ZIP_STORED, info.filename

    rows = manifest(archive)
    assert set(rows) == set(ids)
    assert all(row["status"] == "included" for row in rows.values())
    assert {row["file"] for row in rows.values()} == set(names) - {"manifest.csv"}


def test_missing_file_is_reported_and_job_succeeds(api, django_capture_on_commit_callbacks):
    present = AssetFactory(owner=api.user, title="Here")
    gone = AssetFactory(owner=api.user, title="Gone")
    default_storage.delete(gone.file.name)

    job, archive = download(api, django_capture_on_commit_callbacks, ids=[str(present.pk), str(gone.pk)])
    assert job_detail(api, job["id"])["status"] == "succeeded"
    assert set(archive.namelist()) == {"Here.png", "manifest.csv"}
    rows = manifest(archive)
    assert rows[str(gone.pk)]["status"] == "missing"
    assert rows[str(present.pk)]["status"] == "included"
    assert Asset.objects.get(pk=gone.pk).download_count == 0  # nothing was handed out


def test_download_counts_once_and_rerun_is_skipped(api, django_capture_on_commit_callbacks):
    assets = [AssetFactory(owner=api.user), AssetFactory(owner=api.user, type=AssetType.TEXT)]
    job, _archive = download(api, django_capture_on_commit_callbacks, ids=[str(a.pk) for a in assets])
    for asset in assets:
        assert Asset.objects.get(pk=asset.pk).download_count == 1

    assert run_job(job["id"]) == "skipped"
    for asset in assets:
        assert Asset.objects.get(pk=asset.pk).download_count == 1
    assert Job.objects.get(pk=job["id"]).status == JobStatus.SUCCEEDED


def test_download_by_filter_zips_only_matches(api, django_capture_on_commit_callbacks):
    image = AssetFactory(owner=api.user, title="Picture")
    AssetFactory(owner=api.user, type=AssetType.TEXT, title="Words")
    AssetFactory(owner=api.user, title="Binned", trashed=True)

    job, archive = download(api, django_capture_on_commit_callbacks, filter={"type": "image"})
    assert job["total"] == 1
    assert set(archive.namelist()) == {"Picture.png", "manifest.csv"}
    assert set(manifest(archive)) == {str(image.pk)}


def test_other_owners_assets_and_jobs(api, other_api, django_capture_on_commit_callbacks):
    mine = AssetFactory(owner=api.user, title="Mine")
    theirs = AssetFactory(owner=other_api.user, title="Theirs")

    job, archive = download(api, django_capture_on_commit_callbacks, ids=[str(mine.pk), str(theirs.pk)])
    assert job["total"] == 1
    assert set(archive.namelist()) == {"Mine.png", "manifest.csv"}
    assert str(theirs.pk) not in manifest(archive)
    assert Asset.objects.get(pk=theirs.pk).download_count == 0

    # Only their ids: nothing to download.
    response = api.post(BULK_DOWNLOAD, {"ids": [str(theirs.pk)]}, format="json")
    assert response.status_code == 400
    assert not Job.objects.filter(owner=api.user).exclude(pk=job["id"]).exists()

    assert other_api.get(f"{JOBS}{job['id']}/").status_code == 404
    assert other_api.get(f"{JOBS}{job['id']}/download/").status_code == 404
    assert api.get(f"{JOBS}not-a-uuid/").status_code == 404
    assert api.get(f"{JOBS}not-a-uuid/download/").status_code == 404
    assert api.get(f"{JOBS}{uuid.uuid4()}/").status_code == 404

    listed = api.get(JOBS)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()] == [job["id"]]
    assert other_api.get(JOBS).json() == []


def test_expired_export_is_gone_and_unfinished_is_conflict(api, django_capture_on_commit_callbacks):
    asset = AssetFactory(owner=api.user)
    job, _archive = download(api, django_capture_on_commit_callbacks, ids=[str(asset.pk)])

    Job.objects.filter(pk=job["id"]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get(f"{JOBS}{job['id']}/download/").status_code == 410
    assert job_detail(api, job["id"])["download_url"] is None

    queued = Job.objects.create(owner=api.user, kind=JobKind.DOWNLOAD, asset_ids=[str(asset.pk)], total=1)
    Job.objects.filter(pk=queued.pk).update(status=JobStatus.QUEUED)
    assert api.get(f"{JOBS}{queued.pk}/download/").status_code == 409
    assert job_detail(api, queued.pk)["download_url"] is None


def test_permanent_bulk_delete_by_ids(api, other_api, django_capture_on_commit_callbacks):
    doomed = [AssetFactory(owner=api.user), AssetFactory(owner=api.user, trashed=True)]
    kept = AssetFactory(owner=api.user)
    theirs = AssetFactory(owner=other_api.user)
    files = [a.file.name for a in doomed]
    assert all(default_storage.exists(name) for name in files)

    job = post_job(api, BULK_DELETE, {"ids": [str(a.pk) for a in doomed] + [str(theirs.pk)], "permanent": True},
                   django_capture_on_commit_callbacks)
    assert job["kind"] == "delete"
    assert job["total"] == 2
    assert job_detail(api, job["id"])["status"] == "succeeded"

    assert not Asset.objects.filter(pk__in=[a.pk for a in doomed]).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert Asset.objects.filter(pk=kept.pk).exists() and default_storage.exists(kept.file.name)
    assert Asset.objects.filter(pk=theirs.pk).exists() and default_storage.exists(theirs.file.name)


def test_empty_trash_deletes_only_trashed(api, other_api, django_capture_on_commit_callbacks):
    trashed = [AssetFactory(owner=api.user, trashed=True) for _ in range(2)]
    live = AssetFactory(owner=api.user)
    their_trash = AssetFactory(owner=other_api.user, trashed=True)

    job = post_job(api, BULK_DELETE, {"filter": {"in_trash": True}, "permanent": True},
                   django_capture_on_commit_callbacks)
    assert job["total"] == 2
    assert not Asset.objects.filter(pk__in=[a.pk for a in trashed]).exists()
    assert Asset.objects.filter(pk__in=[live.pk, their_trash.pk]).count() == 2


def test_job_never_touches_another_owners_asset(user, other_user, django_capture_on_commit_callbacks):
    theirs = AssetFactory(owner=other_user)
    mine = AssetFactory(owner=user, title="Own")

    with django_capture_on_commit_callbacks(execute=True):
        delete_job = jobs.job_create(owner=user, kind=JobKind.DELETE, asset_ids=[theirs.pk])
    assert Job.objects.get(pk=delete_job.pk).status == JobStatus.SUCCEEDED
    assert Asset.objects.filter(pk=theirs.pk).exists()
    assert default_storage.exists(theirs.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        download_job = jobs.job_create(owner=user, kind=JobKind.DOWNLOAD, asset_ids=[theirs.pk, mine.pk])
    download_job.refresh_from_db()
    assert download_job.status == JobStatus.SUCCEEDED
    with download_job.result_file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert set(archive.namelist()) == {"Own.png", "manifest.csv"}
    assert str(theirs.pk) not in manifest(archive)
    assert Asset.objects.get(pk=theirs.pk).download_count == 0
