"""Shared fixtures. Media goes to a temp dir; CI=true turns missing services into failures."""

import io
import os
import shutil

import pytest
from PIL import Image
from rest_framework.test import APIClient

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(what: str, reason: str):
    """Skip locally, but fail under CI, when a service a test needs is missing."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI: {reason}")
    pytest.skip(f"{what} not available: {reason}")


@pytest.fixture
def require_postgres():
    """For tests of what only PostgreSQL does (search tiers, spelling): skipped on SQLite
    locally, a failure under CI=true. Mark them `postgres` too (make test-sqlite leaves
    those out)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://...")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def user(db):
    from assets.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from assets.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    client.user = user
    return client


@pytest.fixture
def other_api(other_user):
    client = APIClient()
    client.force_authenticate(other_user)
    client.user = other_user
    return client


def asset_url(asset_or_id, action: str = "") -> str:
    """An asset's address in the API (api.md, "Assets"), or one of its actions':
    `asset_url(asset)`, `asset_url(asset.pk, "download")`."""
    pk = getattr(asset_or_id, "pk", asset_or_id)
    return f"/api/v1/assets/{pk}/{action}/" if action else f"/api/v1/assets/{pk}/"


def collection_url(collection_or_id, action: str = "") -> str:
    """A collection's address in the API (api.md, "Collections"), or one of its actions':
    `collection_url(collection, "assets/remove")`."""
    pk = getattr(collection_or_id, "pk", collection_or_id)
    return f"/api/v1/collections/{pk}/{action}/" if action else f"/api/v1/collections/{pk}/"


@pytest.fixture
def asset_detail(api):
    """`asset_detail(asset_or_id)`: GET /assets/{id}/ as `api`'s user; the JSON of a 200."""

    def get(asset_or_id) -> dict:
        response = api.get(asset_url(asset_or_id))
        assert response.status_code == 200, response.content[:300]
        return response.json()

    return get


def make_image_bytes(fmt="PNG", size=(64, 48), color=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def png_bytes():
    return make_image_bytes()


# --- Object storage: a real S3 HTTP server (moto's standalone server), never a mock ---------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of moto's S3 server on 127.0.0.1: one started by .ci/run (S3_TEST_ENDPOINT)
    or, when that is not set, one started here for the session. A missing or broken moto
    skips the S3 tests locally and fails them under CI=true."""
    import subprocess
    import sys
    import time
    import urllib.request

    endpoint = os.environ.get("S3_TEST_ENDPOINT", "")
    process = None
    if not endpoint:
        port = _free_port()
        endpoint = f"http://127.0.0.1:{port}"
        try:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            require_service("S3 (moto server)", str(exc))
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1).close()  # noqa: S310 - our local endpoint
            break
        except OSError:
            if time.monotonic() > deadline or (process is not None and process.poll() is not None):
                if process is not None:
                    process.kill()
                require_service("S3 (moto server)", f"nothing answers at {endpoint} (pip install 'moto[server]')")
            time.sleep(0.1)
    yield endpoint
    if process is not None:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_storage(s3_server, settings):
    """Files in a bucket of the S3 server for this test (a fresh key prefix, so tests never
    see each other's objects): settings as AWS_STORAGE_BUCKET_NAME and friends make them.
    Yields a boto3 client of the same bucket, to look at what is really stored."""
    import uuid

    import boto3
    from botocore.config import Config

    bucket = "asset-library-tests"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=Config(signature_version="s3v4"))
    try:
        client.create_bucket(Bucket=bucket)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    options = {
        "bucket_name": bucket, "endpoint_url": s3_server, "region_name": "us-east-1", "access_key": "test",
        "secret_key": "test", "location": prefix, "default_acl": None, "querystring_auth": True,
        "querystring_expire": settings.FILE_URL_EXPIRE_SECONDS, "file_overwrite": False,
        "max_memory_size": 8 * 1024 * 1024,
        "client_config": Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"}),
    }
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage",
                                                         "OPTIONS": options}}
    client.bucket, client.prefix = bucket, prefix
    yield client


def stored_keys(client) -> list[str]:
    """Every object key under the test's prefix, without the prefix."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=client.bucket, Prefix=client.prefix + "/")
    return sorted(item["Key"][len(client.prefix) + 1:] for page in pages for item in page.get("Contents", []))


@pytest.fixture(params=["disk", "s3"])
def storage_backend(request):
    """Run the test on both backends: local disk, and the S3 server (s3_storage)."""
    if request.param == "s3":
        return request.getfixturevalue("s3_storage")
    return None
