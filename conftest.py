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
