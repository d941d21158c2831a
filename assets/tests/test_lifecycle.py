"""Status moves pending -> processing -> completed|failed, and a completed asset has content."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assets import services
from assets.models import Asset, AssetStatus, AssetType
from assets.tests.factories import AssetFactory
from assets.tests.samples import stored_files, wav_bytes
from conftest import asset_url

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"


def create_pending(client, asset_type="image", **extra):
    response = client.post(
        LIST, {"type": asset_type, "status": "pending", "source_module": "image_studio", **extra}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_pending_to_processing_to_completed_with_a_later_file(api, png_bytes):
    asset = create_pending(api, external_id="job-7")

    processing = api.patch(asset_url(asset["id"]), {"status": "processing"}, format="json")
    completed = api.patch(
        asset_url(asset["id"]),
        {"status": "completed", "file": SimpleUploadedFile("out.png", png_bytes), "cost": "0.08"},
        format="multipart",
    )

    assert processing.status_code == 200 and processing.json()["status"] == "processing"
    assert completed.status_code == 200, completed.json()
    body = completed.json()
    assert body["status"] == "completed"
    assert body["mime_type"] == "image/png" and (body["width"], body["height"]) == (64, 48)
    assert body["cost"] == "0.0800"
    assert body["file_url"] is not None
    response = api.get(body["file_url"])
    assert b"".join(response.streaming_content) == png_bytes


def test_pending_audio_completed_with_a_wav(api):
    asset = create_pending(api, "audio")

    response = api.patch(
        asset_url(asset["id"]), {"status": "completed", "file": SimpleUploadedFile("a.wav", wav_bytes())},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["mime_type"] == "audio/wav"


def test_pending_text_completed_with_text_content(api):
    asset = create_pending(api, "text", source_module="blog_writer")

    response = api.patch(asset_url(asset["id"]), {"status": "completed", "text_content": "Done."}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["text_content"], body["file_size"]) == ("completed", "Done.", 5)


def test_completing_a_media_asset_without_a_file_is_400(api):
    asset = create_pending(api)

    response = api.patch(asset_url(asset["id"]), {"status": "completed"}, format="json")

    assert response.status_code == 400
    assert "file" in response.json()
    assert Asset.objects.get(pk=asset["id"]).status == AssetStatus.PENDING


def test_completing_text_without_text_content_is_400(api):
    asset = create_pending(api, "text")

    response = api.patch(asset_url(asset["id"]), {"status": "completed"}, format="json")

    assert response.status_code == 400
    assert "text_content" in response.json()
    assert Asset.objects.get(pk=asset["id"]).status == AssetStatus.PENDING


def test_failing_needs_an_error_message(api):
    asset = create_pending(api)

    without = api.patch(asset_url(asset["id"]), {"status": "failed"}, format="json")
    blank = api.patch(asset_url(asset["id"]), {"status": "failed", "error_message": "   "}, format="json")
    with_message = api.patch(
        asset_url(asset["id"]), {"status": "failed", "error_message": "provider timeout"}, format="json"
    )

    assert without.status_code == 400 and "error_message" in without.json()
    assert blank.status_code == 400 and "error_message" in blank.json()
    assert with_message.status_code == 200
    assert with_message.json()["error_message"] == "provider timeout"


def test_failed_asset_can_be_retried(api):
    asset = create_pending(api, status="failed", error_message="boom")

    response = api.patch(asset_url(asset["id"]), {"status": "processing"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "processing"


@pytest.mark.parametrize("target", ["pending", "processing", "failed"])
def test_completed_asset_cannot_go_back(api, target):
    asset = AssetFactory(owner=api.user)

    response = api.patch(asset_url(asset.pk), {"status": target, "error_message": "x"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.COMPLETED
    assert asset.error_message == ""


def test_processing_cannot_go_back_to_pending(api):
    asset = create_pending(api, status="processing")

    response = api.patch(asset_url(asset["id"]), {"status": "pending"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()


def test_completed_asset_can_be_set_completed_again(api):
    asset = AssetFactory(owner=api.user)

    response = api.patch(asset_url(asset.pk), {"status": "completed", "title": "x"}, format="json")

    assert response.status_code == 200


def test_a_refused_file_on_completion_stores_nothing(api, settings):
    asset = create_pending(api)
    files = stored_files(settings.MEDIA_ROOT)

    response = api.patch(
        asset_url(asset["id"]), {"status": "completed", "file": SimpleUploadedFile("a.wav", wav_bytes())},
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.json()
    assert stored_files(settings.MEDIA_ROOT) == files
    assert Asset.objects.get(pk=asset["id"]).status == AssetStatus.PENDING


# --- the services directly -------------------------------------------------------------------


def test_service_create_validates_before_writing(user):
    with pytest.raises(ValidationError) as caught:
        services.asset_create(owner=user, source_module="image_studio", type=AssetType.IMAGE)
    assert "file" in caught.value.message_dict
    assert not Asset.objects.exists()


def test_service_update_refuses_unknown_fields(user):
    asset = AssetFactory(owner=user)

    with pytest.raises(ValidationError) as caught:
        services.asset_update(asset=asset, owner_id=999, download_count=5)
    assert set(caught.value.message_dict) == {"download_count", "owner_id"}


def test_service_update_refuses_illegal_transition(user):
    asset = AssetFactory(owner=user)

    with pytest.raises(ValidationError) as caught:
        services.asset_update(asset=asset, status=AssetStatus.PENDING)
    assert "status" in caught.value.message_dict
    asset.refresh_from_db()
    assert asset.status == AssetStatus.COMPLETED


def test_mark_failed_only_touches_unfinished_assets(user):
    pending = AssetFactory(owner=user, pending=True)
    completed = AssetFactory(owner=user)

    count = services.assets_mark_failed(ids=[pending.pk, completed.pk], error_message="stuck")

    assert count == 1
    pending.refresh_from_db()
    completed.refresh_from_db()
    assert (pending.status, pending.error_message) == (AssetStatus.FAILED, "stuck")
    assert completed.status == AssetStatus.COMPLETED


def test_trash_and_restore_only_touch_the_owners_assets(user, other_user):
    mine = AssetFactory(owner=user)
    theirs = AssetFactory(owner=other_user)

    assert services.assets_trash(owner=user, ids=[mine.pk, theirs.pk]) == 1
    assert services.assets_restore(owner=user, ids=[mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.deleted_at is None
