"""Previews answer byte ranges, so that video and audio players can seek."""

import pytest
from django.core.files.base import ContentFile

from assets.tests.factories import AssetFactory

PAYLOAD = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def video_file():
    """The stored file of a video: PAYLOAD."""
    return ContentFile(PAYLOAD, name="v.mp4")


def _body(response):
    return b"".join(response.streaming_content)


def test_a_range_gives_206_with_exactly_those_bytes(api, video_file):
    asset = AssetFactory(owner=api.user, video=True, file=video_file)
    response = api.get(f"/api/v1/assets/{asset.pk}/file/", HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(PAYLOAD)}"
    assert response["Content-Length"] == "100"
    assert _body(response) == PAYLOAD[100:200]
    assert "sandbox" in response["Content-Security-Policy"]


def test_open_ended_and_suffix_ranges(api, video_file):
    asset = AssetFactory(owner=api.user, video=True, file=video_file)
    tail = api.get(f"/api/v1/assets/{asset.pk}/file/", HTTP_RANGE="bytes=10000-")
    assert tail.status_code == 206 and _body(tail) == PAYLOAD[10000:]
    suffix = api.get(f"/api/v1/assets/{asset.pk}/file/", HTTP_RANGE="bytes=-40")
    assert suffix.status_code == 206 and _body(suffix) == PAYLOAD[-40:]


def test_a_range_past_the_end_is_416(api, video_file):
    asset = AssetFactory(owner=api.user, video=True, file=video_file)
    response = api.get(f"/api/v1/assets/{asset.pk}/file/", HTTP_RANGE=f"bytes={len(PAYLOAD)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PAYLOAD)}"


def test_no_or_unsupported_range_gives_the_whole_file(api, video_file):
    asset = AssetFactory(owner=api.user, video=True, file=video_file)
    whole = api.get(f"/api/v1/assets/{asset.pk}/file/")
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and _body(whole) == PAYLOAD
    several = api.get(f"/api/v1/assets/{asset.pk}/file/", HTTP_RANGE="bytes=0-1,5-6")
    assert several.status_code == 200 and _body(several) == PAYLOAD


def test_another_owners_file_is_404_even_with_a_range(api, other_user, video_file):
    asset = AssetFactory(owner=other_user, video=True, file=video_file)
    assert api.get(f"/api/v1/assets/{asset.pk}/file/", HTTP_RANGE="bytes=0-9").status_code == 404
