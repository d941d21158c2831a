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
