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


def make_image_bytes(fmt="PNG", size=(64, 48), color=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def png_bytes():
    return make_image_bytes()
