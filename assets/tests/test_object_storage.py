"""Files on both backends: this machine's disk, and an S3 bucket on a real S3 HTTP server
(moto's standalone server; conftest.s3_server). Uploads land in the bucket and nowhere
else; every file URL stays an app URL checked on each request, which on S3 answers with a
302 to a presigned URL living at most 5 minutes; zips and purges work on the objects."""

import io
import re
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assets.models import Asset
from collections_app import services as collection_services
from conftest import asset_url, make_image_bytes, stored_keys

pytestmark = pytest.mark.django_db


def fetch(response) -> tuple[bytes, dict]:
    """The body a client finally gets for a file response (following S3's redirect), and
    the headers it came with (lower-case names)."""
    if response.status_code == 302:
        with urllib.request.urlopen(response["Location"], timeout=10) as remote:  # noqa: S310 - the test server
            return remote.read(), {name.lower(): value for name, value in remote.headers.items()}
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, {name.lower(): value for name, value in response.headers.items()}


def upload(api, content: bytes, name="pic.png", **fields):
    response = api.post("/api/v1/assets/", {"file": SimpleUploadedFile(name, content), "source_module": "upload",
                                            **fields}, format="multipart")
    assert response.status_code == 201, response.content
    return Asset.objects.get(pk=response.json()["id"])


def nothing_on_disk(settings) -> bool:
    media = Path(settings.MEDIA_ROOT)
    return not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_an_upload_is_stored_once_and_served_through_the_app(api, storage_backend, settings):
    png = make_image_bytes(size=(64, 48))
    asset = upload(api, png, title="Harbour")

    response = api.get(asset_url(asset, "file"))
    body, headers = fetch(response)
    assert body == png and headers["content-type"] == "image/png"
    download, download_headers = fetch(api.get(asset_url(asset, "download")))
    assert download == png and download_headers["content-disposition"].startswith("attachment")
    assert "Harbour.png" in download_headers["content-disposition"]
    if storage_backend is not None:
        assert response.status_code == 302
        query = parse_qs(urlparse(response["Location"]).query)
        assert int(query["X-Amz-Expires"][0]) <= 300  # presigned, short-lived
        assert response["Cache-Control"] == "private, no-store"
        assert stored_keys(storage_backend) == [asset.file.name]
        assert nothing_on_disk(settings)  # nothing under the local media folder


def test_the_bucket_itself_stays_private(api, s3_storage, s3_server):
    asset = upload(api, make_image_bytes())
    with pytest.raises(urllib.error.HTTPError) as refused:  # the object's plain URL, unsigned
        urllib.request.urlopen(f"{s3_server}/{s3_storage.bucket}/{s3_storage.prefix}/{asset.file.name}", timeout=10)  # noqa: S310
    assert refused.value.code == 403


def test_other_owners_get_a_404_not_a_url(api, storage_backend, other_user):
    from rest_framework.test import APIClient

    asset = upload(api, make_image_bytes())
    stranger = APIClient()
    stranger.force_authenticate(other_user)
    for action in ("file", "download", "thumbnail"):
        response = stranger.get(asset_url(asset, action))
        assert response.status_code == 404 and "Location" not in response


def test_a_missing_object_is_a_404(api, storage_backend):
    from django.core.files.storage import default_storage

    asset = upload(api, make_image_bytes())
    default_storage.delete(asset.file.name)
    assert api.get(asset_url(asset, "file")).status_code == 404


def test_a_share_link_serves_the_file_the_same_way(api, client, storage_backend):
    png = make_image_bytes(color=(10, 200, 10))
    asset = upload(api, png, title="Shared")
    link = collection_services.share_link_create_for_asset(owner=asset.owner, asset=asset)

    body, headers = fetch(client.get(f"/s/{link.token}/assets/{asset.pk}/download/"))
    assert body == png and headers["content-disposition"].startswith("attachment")
    assert fetch(client.get(f"/s/{link.token}/assets/{asset.pk}/file/"))[0] == png


def test_a_zip_export_is_written_to_and_served_from_the_store(api, storage_backend,
                                                              django_capture_on_commit_callbacks):
    first = upload(api, make_image_bytes(color=(1, 2, 3)), title="One")
    second = upload(api, b"Once upon a time.", name="story.txt", title="Two")
    with django_capture_on_commit_callbacks(execute=True):
        job = api.post("/api/v1/assets/bulk/download/", {"ids": [str(first.pk), str(second.pk)]}, format="json")
    assert job.status_code == 202

    body, headers = fetch(api.get(f"/api/v1/jobs/{job.json()['id']}/download/"))
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert sorted(names) == ["One.png", "Two.txt", "manifest.csv"]
    if storage_backend is not None:
        assert any(re.fullmatch(r"exports/\d+/[0-9a-f-]+\.zip", key) for key in stored_keys(storage_backend))


def test_a_permanent_delete_removes_the_object_after_the_commit(api, storage_backend,
                                                                django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    asset = upload(api, make_image_bytes())
    name = asset.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(asset_url(asset) + "?permanent=true").status_code == 204
    assert not default_storage.exists(name)
    if storage_backend is not None:
        assert stored_keys(storage_backend) == []


def test_thumbnails_are_made_from_and_stored_in_the_store(api, storage_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asset = upload(api, make_image_bytes(size=(900, 600)), title="Wide")
    asset.refresh_from_db()
    assert asset.thumbnail.name
    body, headers = fetch(api.get(asset_url(asset, "thumbnail")))
    assert body[:4] == b"RIFF" and body[8:12] == b"WEBP" and headers["content-type"] == "image/webp"
    if storage_backend is not None:
        assert sorted(stored_keys(storage_backend)) == sorted([asset.file.name, asset.thumbnail.name])


def test_healthz_asks_the_bucket(client, s3_storage, settings):
    from botocore.config import Config

    assert client.get("/healthz").json()["storage"] == "ok"

    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    options = {**settings.STORAGES["default"]["OPTIONS"], "endpoint_url": closed,
               "client_config": Config(connect_timeout=1, read_timeout=1, retries={"max_attempts": 1})}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"] == "down"


def test_the_orphan_sweep_lists_the_store_and_removes_what_no_row_holds(api, storage_backend, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from assets import upkeep

    settings.ORPHAN_GRACE_SECONDS = 0
    kept = upload(api, make_image_bytes(color=(5, 5, 5)))
    lost = upload(api, make_image_bytes(color=(6, 6, 6)))
    stray = default_storage.save("assets/stray/left-behind.png", ContentFile(b"nobody's"))
    default_storage.delete(lost.file.name)

    summary = upkeep.cleanup_orphans()

    assert summary["orphan_files"] == 1 and summary["orphan_files_deleted"] == 1
    assert summary["rows_missing_file_ids"] == [str(lost.pk)]
    assert not default_storage.exists(stray) and default_storage.exists(kept.file.name)
    if storage_backend is not None:
        assert stored_keys(storage_backend) == [kept.file.name]


@pytest.mark.parametrize("what", ["hostile", "duplicate", "too big"])
def test_a_refused_upload_leaves_no_object(api, storage_backend, settings, what):
    png = make_image_bytes(color=(9, 9, 9))
    first = upload(api, png)
    if what == "hostile":
        content, name = b"<html><script>alert(1)</script></html>", "page.png"
    elif what == "duplicate":
        content, name = png, "again.png"
    else:
        settings.MAX_UPLOAD_SIZE_BY_TYPE = {**settings.MAX_UPLOAD_SIZE_BY_TYPE, "image": 1000}
        content, name = make_image_bytes(size=(400, 400)), "big.png"
    response = api.post("/api/v1/assets/", {"file": SimpleUploadedFile(name, content), "source_module": "upload"},
                        format="multipart")
    if what == "duplicate":
        assert response.status_code == 200 and response.json()["id"] == str(first.pk)
    else:
        assert response.status_code in (400, 413)
    if storage_backend is not None:
        assert stored_keys(storage_backend) == [first.file.name]
    assert Asset.objects.count() == 1


# --- manage.py migrate_storage ---------------------------------------------------------------


def migrate(*args) -> str:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("migrate_storage", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_migrate_storage_copies_every_file_to_the_bucket_checked_and_resumable(
        api, request, django_capture_on_commit_callbacks):
    from assets.models import StorageCopy

    first_png, second_png = make_image_bytes(color=(1, 50, 1)), make_image_bytes(color=(2, 60, 2))
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(api, first_png, title="First")  # with its thumbnail
    second = upload(api, second_png, title="Second")
    first.refresh_from_db()
    bucket = request.getfixturevalue("s3_storage")  # the settings now name the bucket

    stopped = migrate("--to", "s3", "--limit", "1")
    assert "1 copied to the S3 bucket" in stopped and "Stopped at the limit" in stopped
    assert StorageCopy.objects.filter(target="s3").count() == 1
    assert "2 of 3 files are still to copy" in migrate("--to", "s3", "--dry-run")

    resumed = migrate("--to", "s3")
    assert "2 copied to the S3 bucket" in resumed and "1 there already" in resumed and "Every file is in" in resumed
    assert stored_keys(bucket) == sorted([first.file.name, first.thumbnail.name, second.file.name])
    response = api.get(asset_url(second, "file"))
    assert response.status_code == 302 and fetch(response)[0] == second_png
    assert "0 copied" in migrate("--to", "s3")  # nothing left


def test_migrate_storage_brings_files_back_to_disk(api, s3_storage, settings):
    png = make_image_bytes(color=(3, 3, 90))
    asset = upload(api, png)

    assert "1 copied to the local media folder" in migrate("--to", "local")

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert (Path(settings.MEDIA_ROOT) / asset.file.name).read_bytes() == png
    assert fetch(api.get(asset_url(asset, "file")))[0] == png


def test_migrate_storage_refuses_a_file_that_does_not_match_its_checksum(api, request, settings):
    from django.core.management.base import CommandError

    from assets.models import StorageCopy

    asset = upload(api, make_image_bytes(color=(7, 7, 7)))
    (Path(settings.MEDIA_ROOT) / asset.file.name).write_bytes(b"changed on disk since")
    request.getfixturevalue("s3_storage")

    with pytest.raises(CommandError, match="could not be copied"):
        migrate("--to", "s3")
    assert not StorageCopy.objects.exists()


def test_migrate_storage_needs_a_bucket(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No bucket is configured"):
        migrate("--to", "s3")


def test_a_zip_goes_to_the_bucket_in_parts_and_a_failed_one_leaves_nothing(s3_storage, monkeypatch):
    import os

    from assets import storage

    monkeypatch.setattr(storage, "PART_SIZE", 5 * 1024 * 1024)  # S3's smallest part but the last
    pieces = [os.urandom(1024 * 1024) for _ in range(12)]  # 12 MiB: three parts
    assert storage.write_streamed("exports/1/whole.zip", iter(pieces)) == 12 * 1024 * 1024
    assert b"".join(storage.object_chunks("exports/1/whole.zip")) == b"".join(pieces)

    def breaking():
        yield from pieces[:7]
        raise OSError("the worker lost its source half-way")

    with pytest.raises(OSError):
        storage.write_streamed("exports/1/broken.zip", breaking())
    assert stored_keys(s3_storage) == ["exports/1/whole.zip"]
    uploads = s3_storage.list_multipart_uploads(Bucket=s3_storage.bucket, Prefix=s3_storage.prefix)
    assert not uploads.get("Uploads")  # aborted: no parts left to pay for


@pytest.mark.parametrize("sizes", [
    [700 * 1024] * 53,  # pieces straddling the parts; seven parts, so every buffer is reused
    [5 * 1024 * 1024, 5 * 1024 * 1024],  # exactly two parts, no remainder
    [3, 0, 5],  # smaller than one part
    [],  # nothing at all: an empty object
], ids=["straddling", "exact", "tiny", "empty"])
def test_parts_are_cut_exactly_whatever_the_pieces(s3_storage, monkeypatch, sizes):
    import os

    from assets import storage

    monkeypatch.setattr(storage, "PART_SIZE", 5 * 1024 * 1024)
    pieces = [os.urandom(size) for size in sizes]
    assert storage.write_streamed("exports/1/cut.zip", iter(pieces)) == sum(sizes)
    assert b"".join(storage.object_chunks("exports/1/cut.zip")) == b"".join(pieces)


# --- faults: a small proxy in front of the S3 server fails or delays some requests ------------


class FaultyProxy:
    """An HTTP proxy to the S3 server that answers every `fail_every`-th request with a 503
    SlowDown and holds every `delay_every`-th one for `delay` seconds before passing it on.
    Presigned URLs (a client fetching a file) pass untouched."""

    def __init__(self, upstream: str, *, fail_every: int = 0, delay_every: int = 0, delay: float = 0.0):
        import http.client
        import threading
        import time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        target = urlparse(upstream)
        proxy = self
        self.requests = self.failed = self.delayed = 0
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                presigned = "X-Amz-Signature=" in self.path
                with proxy.lock:
                    proxy.requests += 1
                    number = proxy.requests
                if not presigned and fail_every and number % fail_every == 0:
                    with proxy.lock:
                        proxy.failed += 1
                    error = b"<Error><Code>SlowDown</Code><Message>Injected by the test</Message></Error>"
                    self.send_response(503)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(error)))
                    self.end_headers()
                    self.wfile.write(error)
                    return
                if not presigned and delay_every and number % delay_every == 0:
                    with proxy.lock:
                        proxy.delayed += 1
                    time.sleep(delay)
                upstream_conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                headers = {name: value for name, value in self.headers.items() if name.lower() != "connection"}
                upstream_conn.request(self.command, self.path, body=body, headers=headers)
                answer = upstream_conn.getresponse()
                data = answer.read()
                upstream_conn.close()
                try:
                    self.send_response(answer.status)
                    for name, value in answer.getheaders():
                        if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # a held request the client gave up on (its read timeout): it retried

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def faulty_s3(s3_storage, s3_server, settings):
    """The bucket reached through FaultyProxy (a 503 every 3rd request, every 7th held 1.5 s
    against a 1 s read timeout), with the app's retries on."""
    from botocore.config import Config

    proxy = FaultyProxy(s3_server, fail_every=3, delay_every=7, delay=1.5)
    options = {**settings.STORAGES["default"]["OPTIONS"], "endpoint_url": proxy.url, "client_config": Config(
        signature_version="s3v4", read_timeout=1, connect_timeout=2,
        retries={"max_attempts": 6, "mode": "standard"}, request_checksum_calculation="when_required")}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    yield proxy
    proxy.close()


def test_s3_errors_and_timeouts_are_retried(api, faulty_s3, s3_storage, django_capture_on_commit_callbacks):
    png = make_image_bytes(size=(300, 200), color=(120, 30, 200))
    with django_capture_on_commit_callbacks(execute=True):
        asset = upload(api, png, title="Through the storm")  # the file, then its thumbnail
    asset.refresh_from_db()
    assert asset.thumbnail.name
    assert fetch(api.get(asset_url(asset, "file")))[0] == png

    with django_capture_on_commit_callbacks(execute=True):
        job = api.post("/api/v1/assets/bulk/download/", {"ids": [str(asset.pk)]}, format="json").json()
    body, _headers = fetch(api.get(f"/api/v1/jobs/{job['id']}/download/"))
    assert zipfile.ZipFile(io.BytesIO(body)).read("Through the storm.png") == png

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(asset_url(asset) + "?permanent=true").status_code == 204
    assert stored_keys(s3_storage) == [f"exports/{asset.owner_id}/{job['id']}.zip"]
    assert faulty_s3.failed >= 3 and faulty_s3.delayed >= 1  # the faults really happened


def test_the_trash_purge_and_expired_exports_remove_their_objects(api, storage_backend, settings,
                                                                   django_capture_on_commit_callbacks):
    import datetime as dt

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from assets import upkeep
    from assets.models import Job

    old, recent = upload(api, make_image_bytes(color=(40, 1, 1))), upload(api, make_image_bytes(color=(41, 1, 1)))
    with django_capture_on_commit_callbacks(execute=True):
        job = api.post("/api/v1/assets/bulk/download/", {"ids": [str(recent.pk)]}, format="json").json()
    export = Job.objects.get(pk=job["id"]).result_file.name
    Asset.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - dt.timedelta(days=45))
    Asset.objects.filter(pk=recent.pk).update(deleted_at=timezone.now())
    Job.objects.filter(pk=job["id"]).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert upkeep.purge_trash()["purged"] == 1
        assert upkeep.cleanup_exports()["expired_exports"] == 1
    upkeep.cleanup_orphans()  # runs the deletions the commits queued, if any are left

    assert not default_storage.exists(old.file.name) and not default_storage.exists(export)
    assert default_storage.exists(recent.file.name)  # in the trash, not yet due
    if storage_backend is not None:
        assert stored_keys(storage_backend) == [recent.file.name]
