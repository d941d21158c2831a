"""POST /api/v1/assets/: every type by JSON and multipart, derived metadata, idempotency,
duplicate files, and every bad input answered with a 400 (or 413) that stores nothing."""

import hashlib
import io
import json
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from assets.models import Asset
from assets.tests.factories import AssetFactory
from assets.tests.samples import (
    FFMPEG_SAMPLES,
    elf_bytes,
    html_bytes,
    make_image_bytes,
    stored_files,
    svg_with_script_bytes,
    truncated_png_bytes,
    wav_bytes,
)

URL = "/api/v1/assets/"

pytestmark = pytest.mark.django_db


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_file(client, content, name="upload.bin", **fields):
    return client.post(URL, {"source_module": "upload", **fields, "file": upload(name, content)}, format="multipart")


def fetch_file(client, body) -> bytes:
    response = client.get(body["file_url"])
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- creating each type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_create_image_by_multipart_derives_metadata_from_content(api, fmt, mime):
    content = make_image_bytes(fmt, size=(40, 30))

    response = post_file(api, content, name="whatever.bin", source_module="image_studio", title="Red")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["type"] == "image"
    assert body["status"] == "completed"
    assert body["mime_type"] == mime
    assert body["file_size"] == len(content)
    assert body["checksum_sha256"] == hashlib.sha256(content).hexdigest()
    assert (body["width"], body["height"]) == (40, 30)
    assert body["duplicate"] is False
    assert fetch_file(api, body) == content
    assert Asset.objects.get(pk=body["id"]).owner == api.user


def test_create_wav_audio_by_multipart(api):
    content = wav_bytes()

    response = post_file(api, content, name="tone.wav", source_module="podcast_maker", type="audio")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["type"], body["mime_type"]) == ("audio", "audio/wav")
    assert body["file_size"] == len(content)
    assert body["checksum_sha256"] == hashlib.sha256(content).hexdigest()
    assert body["width"] is None and body["height"] is None
    assert fetch_file(api, body) == content


@pytest.mark.parametrize("ext", sorted(FFMPEG_SAMPLES))
def test_create_video_and_audio_by_multipart(api, ffmpeg_sample, ext):
    content = ffmpeg_sample(ext)
    _args, asset_type, mime = FFMPEG_SAMPLES[ext]

    response = post_file(api, content, name=f"clip.{ext}", source_module="video_studio", type=asset_type)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["type"], body["mime_type"]) == (asset_type, mime)
    assert body["file_size"] == len(content)
    assert body["checksum_sha256"] == hashlib.sha256(content).hexdigest()
    assert fetch_file(api, body) == content


def test_create_text_by_json(api):
    text = "Chapter 1\n\nIt was a dark and stormy night — é ✓."

    response = api.post(
        URL,
        {"type": "text", "source_module": "story_writer", "title": "Story", "text_content": text},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["type"] == "text"
    assert body["status"] == "completed"
    assert body["text_content"] == text
    assert body["mime_type"] == "text/plain"
    assert body["file_size"] == len(text.encode("utf-8"))
    assert body["checksum_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert body["file_url"] is not None


def test_create_text_by_multipart_file(api):
    text = "A blog post about lighthouses.\nSecond line.\n"

    response = post_file(api, text.encode(), name="post.txt", source_module="blog_writer")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["type"] == "text"
    assert body["text_content"] == text
    assert body["checksum_sha256"] == hashlib.sha256(text.encode()).hexdigest()


def test_create_text_by_multipart_fields(api):
    response = api.post(
        URL,
        {"type": "text", "source_module": "linkedin_writer", "text_content": "Hello, network!", "tags": "a,b"},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["text_content"] == "Hello, network!"
    assert body["tags"] == ["a", "b"]


@pytest.mark.parametrize("asset_type", ["image", "video", "audio", "text"])
@pytest.mark.parametrize("status", ["pending", "processing"])
def test_create_unfinished_asset_without_content_by_json(api, asset_type, status):
    response = api.post(
        URL, {"type": asset_type, "status": status, "source_module": "image_studio", "prompt": "a cat"}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["type"], body["status"]) == (asset_type, status)
    assert body["file_url"] is None
    assert body["mime_type"] == "" and body["file_size"] is None


def test_create_by_json_with_every_descriptive_field(api):
    parent = AssetFactory(owner=api.user)
    payload = {
        "type": "image",
        "status": "pending",
        "source_module": "image_studio",
        "external_id": "gen-123",
        "title": "Sunset",
        "description": "Over the sea",
        "prompt": "a sunset over the sea",
        "model": "ideogram-v3-turbo",
        "provider": "ideogram",
        "tags": ["sunset", "campaign-q3"],
        "is_favorite": True,
        "cost": "0.04",
        "metadata": {"seed": 42, "style": "photo"},
        "parent": str(parent.pk),
    }

    response = api.post(URL, payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    for key in ("type", "status", "source_module", "external_id", "title", "description", "prompt", "model",
                "provider", "is_favorite", "metadata", "parent"):
        assert body[key] == payload[key], key
    assert body["tags"] == ["campaign-q3", "sunset"]
    assert body["cost"] == "0.0400"
    assert body["source_module_label"] == "Image Studio"
    assert body["download_count"] == 0 and body["share_count"] == 0
    assert body["deleted_at"] is None


def test_create_with_multipart_metadata_and_json_tags(api, png_bytes):
    response = post_file(
        api, png_bytes, name="a.png", metadata=json.dumps({"seed": 7}), tags=json.dumps(["x", "y"]), cost="1.5"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["metadata"] == {"seed": 7, "original_filename": "a.png"}
    assert body["tags"] == ["x", "y"]
    assert body["cost"] == "1.5000"


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("2024", ["2024"]),
        ("true", ["true"]),
        ("null", ["null"]),
        ("sunset, sea", ["sea", "sunset"]),
        ('["one, two", "three"]', ["one, two", "three"]),
        (["a", "b"], ["a", "b"]),
        ("", []),
    ],
)
def test_multipart_tags_are_a_json_list_or_comma_separated_names(api, sent, expected):
    response = api.post(
        URL, {"type": "image", "status": "pending", "source_module": "upload", "tags": sent}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["tags"] == expected


# --- derived, read-only fields ---------------------------------------------------------


def test_client_sent_file_facts_are_ignored_for_uploads(api, png_bytes):
    response = post_file(
        api,
        png_bytes,
        name="evil.html",
        mime_type="text/html",
        file_size="1",
        checksum_sha256="0" * 64,
        width="9999",
        height="9999",
        download_count="50",
        share_count="9",
    )

    assert response.status_code == 201, response.json()
    asset = Asset.objects.get(pk=response.json()["id"])
    assert asset.mime_type == "image/png"
    assert asset.file_size == len(png_bytes)
    assert asset.checksum_sha256 == hashlib.sha256(png_bytes).hexdigest()
    assert (asset.width, asset.height) == (64, 48)
    assert (asset.download_count, asset.share_count) == (0, 0)
    assert asset.file.name.endswith(".png")


def test_client_sent_file_facts_are_ignored_for_json(api, other_user):
    response = api.post(
        URL,
        {
            "type": "image", "status": "pending", "source_module": "image_studio",
            "mime_type": "image/png", "file_size": 10, "checksum_sha256": "a" * 64, "width": 5, "height": 5,
            "owner": other_user.pk, "id": "00000000-0000-0000-0000-000000000001", "deleted_at": "2020-01-01T00:00Z",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    asset = Asset.objects.get(pk=response.json()["id"])
    assert str(asset.pk) != "00000000-0000-0000-0000-000000000001"
    assert asset.owner == api.user
    assert asset.mime_type == "" and asset.file_size is None and asset.checksum_sha256 == ""
    assert asset.width is None and asset.height is None and asset.deleted_at is None


# --- idempotency and duplicate files -----------------------------------------------------


def test_same_external_id_returns_the_existing_asset(api):
    payload = {"type": "image", "status": "pending", "source_module": "image_studio", "external_id": "gen-1"}
    first = api.post(URL, payload, format="json")
    second = api.post(URL, {**payload, "title": "changed"}, format="json")

    assert first.status_code == 201
    assert second.status_code == 200, second.json()
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["duplicate"] is False
    assert Asset.objects.count() == 1


def test_same_external_id_with_a_file_stores_nothing_new(api, png_bytes, settings):
    first = post_file(api, png_bytes, external_id="gen-2")
    files = stored_files(settings.MEDIA_ROOT)
    second = post_file(api, make_image_bytes(color=(1, 2, 3)), external_id="gen-2")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert Asset.objects.count() == 1
    assert stored_files(settings.MEDIA_ROOT) == files


def test_a_concurrent_registration_of_the_same_external_id_returns_the_winner(user, monkeypatch, settings):
    """Two requests with a file both find no asset for gen-1; the one that inserts second
    gets the first's asset, and the file it stored meanwhile is removed."""
    from assets import services

    winner = AssetFactory(owner=user, source_module="image_studio", external_id="gen-1", pending=True)
    lookups = []
    real_lookup = services._registered

    def lookup_that_loses_the_race(*args):
        lookups.append(args)
        return None if len(lookups) == 1 else real_lookup(*args)

    monkeypatch.setattr(services, "_registered", lookup_that_loses_the_race)

    result = services.asset_create(
        owner=user, source_module="image_studio", status="completed", external_id="gen-1",
        file=SimpleUploadedFile("late.png", make_image_bytes(), content_type="image/png"),
    )

    assert result.created is False
    assert result.asset.pk == winner.pk
    assert Asset.objects.count() == 1
    assert len(lookups) == 2
    assert stored_files(settings.MEDIA_ROOT) == set()


def test_a_json_repeat_is_found_by_its_insert(user):
    """Without a file, a registration does not look its external id up first: the insert
    meets the unique index, and only then is the existing asset read."""
    from assets import services

    first = services.asset_create(owner=user, source_module="image_studio", type="image", status="pending",
                                  external_id="gen-2")
    again = services.asset_create(owner=user, source_module="image_studio", type="image", status="pending",
                                  external_id="gen-2", title="changed")

    assert (first.created, again.created, again.asset.pk) == (True, False, first.asset.pk)
    assert Asset.objects.get(pk=first.asset.pk).title == ""


def test_same_external_id_under_another_module_or_owner_is_a_new_asset(api, other_api):
    payload = {"type": "image", "status": "pending", "source_module": "image_studio", "external_id": "gen-1"}
    first = api.post(URL, payload, format="json")
    other_module = api.post(URL, {**payload, "source_module": "video_studio", "type": "video"}, format="json")
    other_owner = other_api.post(URL, payload, format="json")

    assert (first.status_code, other_module.status_code, other_owner.status_code) == (201, 201, 201)
    assert len({first.json()["id"], other_module.json()["id"], other_owner.json()["id"]}) == 3
    assert Asset.objects.count() == 3


def test_duplicate_file_returns_the_existing_asset(api, png_bytes, settings):
    first = post_file(api, png_bytes, name="a.png", title="first")
    files = stored_files(settings.MEDIA_ROOT)
    second = post_file(api, png_bytes, name="b.png", title="second", source_module="image_studio")

    assert first.status_code == 201
    assert second.status_code == 200, second.json()
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["duplicate"] is True
    assert second.json()["title"] == "first"
    assert Asset.objects.count() == 1
    assert stored_files(settings.MEDIA_ROOT) == files


def test_same_file_of_another_owner_is_not_a_duplicate(api, other_api, png_bytes):
    first = post_file(api, png_bytes)
    second = post_file(other_api, png_bytes)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["duplicate"] is False
    assert Asset.objects.count() == 2


def test_text_content_is_never_deduplicated(api):
    payload = {"type": "text", "source_module": "story_writer", "text_content": "Same words."}
    first = api.post(URL, payload, format="json")
    second = api.post(URL, payload, format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert second.json()["duplicate"] is False
    assert Asset.objects.count() == 2


# --- bad input: 400 naming the field, nothing stored -------------------------------------

PENDING_IMAGE = {"type": "image", "status": "pending", "source_module": "image_studio"}


@pytest.fixture
def nothing_stored(settings, db):
    """Asserts, after the test body, that no row and no file was added."""
    before_rows = Asset.objects.count()
    before_files = stored_files(settings.MEDIA_ROOT)
    yield
    assert Asset.objects.count() == before_rows
    assert stored_files(settings.MEDIA_ROOT) == before_files


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "document"}, "type"),
        ({"status": "done"}, "status"),
        ({"source_module": "Image Studio"}, "source_module"),
        ({"source_module": "a/b"}, "source_module"),
        ({"source_module": ""}, "source_module"),
        ({"source_module": "x" * 51}, "source_module"),
        ({"cost": "-0.01"}, "cost"),
        ({"cost": "cheap"}, "cost"),
        ({"cost": "NaN"}, "cost"),
        ({"title": "t" * 501}, "title"),
        ({"metadata": [1, 2]}, "metadata"),
        ({"metadata": "seed=1"}, "metadata"),
        ({"tags": [1, 2]}, "tags"),
        ({"tags": "x"}, "tags"),
        ({"tags": [""]}, "tags"),
        ({"tags": ["t" * 101]}, "tags"),
        ({"parent": "00000000-0000-0000-0000-000000000000"}, "parent"),
        ({"parent": "not-a-uuid"}, "parent"),
        ({"status": "completed"}, "file"),
        ({"status": "failed"}, "error_message"),
        ({"type": "text", "status": "completed"}, "text_content"),
        ({"type": "text", "status": "completed", "text_content": ""}, "text_content"),
        ({"text_content": "only text assets carry this"}, "text_content"),
        ({"type": "text", "text_content": "nul \x00 byte"}, "text_content"),
        ({"title": "nul \x00 byte"}, "title"),
        ({"tags": ["nul \x00 byte"]}, "tags"),
        ({"metadata": {"seed": "nul \x00 byte"}}, "metadata"),
        ({"metadata": {"nul \x00 key": 1}}, "metadata"),
        ({"metadata": {"nested": [{"deep": "\x00"}]}}, "metadata"),
    ],
)
def test_bad_json_input_is_a_400_naming_the_field(api, nothing_stored, changes, field):
    response = api.post(URL, {**PENDING_IMAGE, **changes}, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_missing_type_without_a_file_is_a_400(api, nothing_stored):
    response = api.post(URL, {"source_module": "upload", "status": "pending"}, format="json")

    assert response.status_code == 400
    assert "type" in response.json()


def test_missing_source_module_is_a_400(api, nothing_stored):
    response = api.post(URL, {"type": "image", "status": "pending"}, format="json")

    assert response.status_code == 400
    assert "source_module" in response.json()


def test_a_body_that_is_not_an_object_is_a_400(api, nothing_stored):
    response = api.post(URL, [PENDING_IMAGE], format="json")

    assert response.status_code == 400


def test_another_owners_parent_is_a_400(api, other_user):
    foreign = AssetFactory(owner=other_user)

    response = api.post(URL, {**PENDING_IMAGE, "parent": str(foreign.pk)}, format="json")

    assert response.status_code == 400
    assert "parent" in response.json()
    assert Asset.objects.count() == 1


def test_another_owners_parent_with_a_file_stores_nothing(api, other_user, png_bytes, settings):
    foreign = AssetFactory(owner=other_user)
    rows, files = Asset.objects.count(), stored_files(settings.MEDIA_ROOT)

    response = post_file(api, png_bytes, parent=str(foreign.pk))

    assert response.status_code == 400
    assert "parent" in response.json()
    assert Asset.objects.count() == rows
    assert stored_files(settings.MEDIA_ROOT) == files


@pytest.mark.parametrize(
    ("name", "content", "fields"),
    [
        ("empty.png", b"", {}),
        ("red.png", make_image_bytes(), {"type": "audio"}),
        ("red.png", make_image_bytes(), {"type": "text"}),
        ("tone.wav", wav_bytes(), {"type": "image"}),
        ("drawing.svg", svg_with_script_bytes(), {}),
        ("drawing.png", svg_with_script_bytes(), {"type": "image"}),
        ("page.html", html_bytes(), {}),
        ("page.txt", html_bytes(), {"type": "text"}),
        ("photo.png", elf_bytes(), {}),
        ("broken.png", truncated_png_bytes(), {}),
        ("latin1.txt", "café".encode("latin-1") * 20, {}),
        ("nul.txt", b"hello\n" * 100 + b"\x00", {}),
    ],
)
def test_bad_file_is_a_400_naming_file(api, nothing_stored, name, content, fields):
    response = post_file(api, content, name=name, **fields)

    assert response.status_code == 400
    assert "file" in response.json(), response.json()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "nope"}, "type"),
        ({"status": "done"}, "status"),
        ({"source_module": "Image Studio"}, "source_module"),
        ({"cost": "-1"}, "cost"),
        ({"cost": "abc"}, "cost"),
        ({"title": "t" * 501}, "title"),
        ({"metadata": "[1, 2]"}, "metadata"),
        ({"metadata": "not json"}, "metadata"),
        ({"tags": "[1, 2]"}, "tags"),
        ({"tags": json.dumps([""])}, "tags"),
        ({"tags": "[oops"}, "tags"),
        ({"parent": "00000000-0000-0000-0000-000000000000"}, "parent"),
        ({"status": "failed"}, "error_message"),
    ],
)
def test_bad_multipart_field_with_a_valid_file_stores_nothing(api, nothing_stored, png_bytes, fields, field):
    response = post_file(api, png_bytes, name="ok.png", **fields)

    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_file_over_the_type_limit_is_a_413(api, nothing_stored, settings, png_bytes):
    settings.MAX_UPLOAD_SIZE_BY_TYPE = {**settings.MAX_UPLOAD_SIZE_BY_TYPE, "image": len(png_bytes) - 1}

    response = post_file(api, png_bytes, name="big.png")

    assert response.status_code == 413
    assert "file" in response.json()


def test_file_over_the_general_limit_is_a_413(api, nothing_stored, settings):
    settings.MAX_UPLOAD_SIZE = 100
    settings.MAX_UPLOAD_SIZE_BY_TYPE = {"image": 100, "video": 100, "audio": 100, "text": 100}

    response = post_file(api, b"x" * 2_000_000, name="big.txt")

    assert response.status_code == 413


@pytest.mark.parametrize("pixel_limit", [1000, 2000])
def test_image_over_the_pixel_limit_is_a_400(api, nothing_stored, settings, png_bytes, pixel_limit):
    settings.MAX_IMAGE_PIXELS = pixel_limit  # the sample has 64 x 48 = 3072 pixels

    response = post_file(api, png_bytes, name="bomb.png")

    assert response.status_code == 400
    assert "file" in response.json()


def test_large_upload_spooled_to_disk_is_stored_byte_for_byte(api):
    from PIL import Image

    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    content = buffer.getvalue()
    assert len(content) > 2_621_440  # past FILE_UPLOAD_MAX_MEMORY_SIZE

    response = post_file(api, content, name="noise.png")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["width"], body["height"], body["file_size"]) == (1000, 1000, len(content))
    assert fetch_file(api, body) == content


def test_file_at_the_limit_is_accepted(api, settings, png_bytes):
    settings.MAX_UPLOAD_SIZE_BY_TYPE = {**settings.MAX_UPLOAD_SIZE_BY_TYPE, "image": len(png_bytes)}

    assert post_file(api, png_bytes).status_code == 201


def test_service_refuses_an_oversized_file_with_413(user, settings, png_bytes, nothing_stored):
    from assets import services
    from config.api_errors import FileTooLarge

    settings.MAX_UPLOAD_SIZE_BY_TYPE = {**settings.MAX_UPLOAD_SIZE_BY_TYPE, "image": 10}

    with pytest.raises(FileTooLarge) as caught:
        services.asset_create(owner=user, source_module="upload", file=upload("a.png", png_bytes))
    assert caught.value.status_code == 413


def test_unauthenticated_create_is_a_401(nothing_stored, png_bytes):
    client = APIClient()

    json_response = client.post(URL, PENDING_IMAGE, format="json")
    file_response = post_file(client, png_bytes)

    assert json_response.status_code == 401
    assert file_response.status_code == 401


def test_cost_keeps_four_decimals(api):
    response = api.post(URL, {**PENDING_IMAGE, "cost": "12.3456"}, format="json")

    assert response.status_code == 201
    assert Asset.objects.get(pk=response.json()["id"]).cost == Decimal("12.3456")


@pytest.mark.parametrize(("sent", "kept"), [(0.04, "0.0400"), (3, "3.0000"), (0.123456, "0.1234"), (0, "0.0000")])
def test_a_cost_sent_as_a_json_number_is_taken_to_four_places(api, sent, kept):
    response = api.post(URL, {**PENDING_IMAGE, "cost": sent}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["cost"] == kept


@pytest.mark.parametrize("sent", [True, -0.5, 1e8, 1.1e308, 10**30, 10**400, [1], {"a": 1}, "cheap", "1e3"])
def test_a_cost_that_is_no_amount_is_a_400_naming_cost(api, sent):
    response = api.post(URL, {**PENDING_IMAGE, "cost": sent}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["cost"]
