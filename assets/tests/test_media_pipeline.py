"""Manual upload through POST /api/v1/assets/ (source_module `upload`) and the media pipeline
behind it: type by content, metadata from Pillow and ffprobe, duplicates, module files that
arrive later by PATCH, and every hostile file answered with a clean 4xx that stores nothing."""

import hashlib
import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from assets import services
from assets.models import Asset
from assets.tests.factories import AssetFactory
from assets.tests.media_samples import (
    FFMPEG_SAMPLES,
    animated_gif_bytes,
    image_bytes,
    pe_bytes,
    photo_like,
    png_bomb_bytes,
    sample_info,
    truncated,
    wav_bytes,
)
from assets.tests.samples import elf_bytes, html_bytes, stored_files, svg_with_script_bytes

URL = "/api/v1/assets/"

pytestmark = pytest.mark.django_db


def post_file(client, content, name="upload.bin", **fields):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(URL, {"source_module": "upload", **fields, "file": upload}, format="multipart")


@pytest.fixture
def nothing_stored(settings, db):
    """Asserts, after the test body, that no row and no file was added."""
    rows, files = Asset.objects.count(), stored_files(settings.MEDIA_ROOT)
    yield
    assert Asset.objects.count() == rows
    assert stored_files(settings.MEDIA_ROOT) == files


# --- every allowed format, detected by content ---------------------------------------------

IMAGES = {
    "png": (lambda: image_bytes("PNG", (64, 48)), "image/png", (64, 48)),
    "jpeg": (lambda: image_bytes("JPEG", image=photo_like((320, 240))), "image/jpeg", (320, 240)),
    "webp": (lambda: image_bytes("WEBP", (50, 70)), "image/webp", (50, 70)),
    "gif": (lambda: animated_gif_bytes((60, 40)), "image/gif", (60, 40)),
}


@pytest.mark.parametrize("kind", sorted(IMAGES))
def test_an_uploaded_image_gets_its_type_and_size_from_pillow(api, kind):
    make, mime, (width, height) = IMAGES[kind]
    content = make()

    response = post_file(api, content, name=f"holiday.{kind}")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["type"], body["mime_type"], body["source_module"]) == ("image", mime, "upload")
    assert (body["width"], body["height"], body["duration_seconds"]) == (width, height, None)
    assert body["file_size"] == len(content)
    assert body["checksum_sha256"] == hashlib.sha256(content).hexdigest()
    assert body["metadata"] == {"original_filename": f"holiday.{kind}"}


@pytest.mark.parametrize("name", [*sorted(FFMPEG_SAMPLES), "rotated.mov"])
def test_uploaded_video_and_audio_get_type_size_and_duration_from_ffprobe(api, ffmpeg_media, name):
    content = ffmpeg_media(name)
    expected = sample_info(name)

    response = post_file(api, content, name=f"clip.{expected.ext}")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["type"], body["mime_type"]) == (expected.type, expected.mime)
    assert (body["width"], body["height"]) == (expected.width, expected.height)
    assert body["duration_seconds"] == pytest.approx(expected.duration, abs=0.1)
    assert body["checksum_sha256"] == hashlib.sha256(content).hexdigest()
    stored = Asset.objects.get(pk=body["id"]).file.name
    assert stored.endswith({"audio/mp4": ".m4a"}.get(expected.mime, f".{expected.ext}"))


def test_an_uploaded_wav_gets_its_duration(api, ffmpeg_media):
    ffmpeg_media("mp3")  # ffprobe ships with ffmpeg
    content = wav_bytes(1.5)

    response = post_file(api, content, name="tone.wav")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["type"], body["mime_type"]) == ("audio", "audio/wav")
    assert (body["width"], body["height"]) == (None, None)
    assert body["duration_seconds"] == pytest.approx(1.5, abs=0.01)


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("notes.txt", "Plain words, é ✓.\n".encode(), "text/plain"),
        ("README.md", b"# Title\n\nSome *markdown* text.\n", "text/markdown"),
    ],
)
def test_an_uploaded_text_file_becomes_a_text_asset(api, name, content, mime):
    response = post_file(api, content, name=name)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["type"], body["mime_type"]) == ("text", mime)
    assert body["text_content"] == content.decode()
    assert (body["width"], body["height"], body["duration_seconds"]) == (None, None, None)


def test_the_type_comes_from_the_content_never_the_name(api, ffmpeg_media):
    png = image_bytes("PNG")
    mp3 = ffmpeg_media("mp3")

    as_mp3 = post_file(api, png, name="song.mp3")
    as_png = post_file(api, mp3, name="picture.png")

    assert (as_mp3.status_code, as_png.status_code) == (201, 201)
    assert (as_mp3.json()["type"], as_mp3.json()["mime_type"]) == ("image", "image/png")
    assert (as_png.json()["type"], as_png.json()["mime_type"]) == ("audio", "audio/mpeg")
    assert Asset.objects.get(pk=as_mp3.json()["id"]).file.name.endswith(".png")
    assert Asset.objects.get(pk=as_png.json()["id"]).file.name.endswith(".mp3")


def test_sound_in_a_video_container_cannot_be_registered_as_video(api, ffmpeg_media, nothing_stored):
    response = post_file(api, ffmpeg_media("audio.mp4"), name="clip.mp4", type="video", source_module="video_studio")

    assert response.status_code == 400
    assert "file" in response.json()


def test_without_ffprobe_media_is_accepted_with_empty_metadata_and_a_warning(api, ffmpeg_media, settings,
                                                                             monkeypatch, caplog):
    content = ffmpeg_media("mp4")
    settings.FFPROBE_PATH = "/nonexistent/ffprobe"
    monkeypatch.setattr("assets.media_probe.shutil.which", lambda name: None)

    with caplog.at_level(logging.WARNING, logger="assets.media_probe"):
        response = post_file(api, content, name="clip.mp4")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["type"], body["mime_type"]) == ("video", "video/mp4")
    assert (body["width"], body["height"], body["duration_seconds"]) == (None, None, None)
    assert any("ffprobe is not installed" in record.getMessage() for record in caplog.records)


# --- duplicates -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["image", "video"])
def test_a_file_the_owner_already_has_returns_the_existing_asset(api, ffmpeg_media, settings, kind):
    content = image_bytes("PNG") if kind == "image" else ffmpeg_media("mp4")
    first = post_file(api, content, name="first.bin", title="first")
    files = stored_files(settings.MEDIA_ROOT)

    again = post_file(api, content, name="second.bin", title="second", source_module="video_studio")

    assert first.status_code == 201
    assert again.status_code == 200, again.json()
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["duplicate"] is True
    assert again.json()["title"] == "first"
    assert Asset.objects.count() == 1
    assert stored_files(settings.MEDIA_ROOT) == files


def test_the_same_file_for_another_owner_is_a_new_asset(api, other_api):
    content = image_bytes("PNG")

    mine, theirs = post_file(api, content), post_file(other_api, content)

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["duplicate"] is False
    assert mine.json()["id"] != theirs.json()["id"]


# --- module files through the same pipeline ---------------------------------------------------


def test_a_module_file_that_arrives_later_by_patch_goes_through_the_pipeline(api, ffmpeg_media):
    created = api.post(
        URL, {"type": "video", "status": "processing", "source_module": "video_studio", "external_id": "job-9"},
        format="json",
    )
    content = ffmpeg_media("mp4")

    response = api.patch(
        f"{URL}{created.json()['id']}/",
        {"status": "completed", "file": SimpleUploadedFile("render.mp4", content)},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["type"], body["mime_type"], body["status"]) == ("video", "video/mp4", "completed")
    assert (body["width"], body["height"]) == (160, 90)
    assert body["duration_seconds"] == pytest.approx(1.0, abs=0.1)
    assert body["checksum_sha256"] == hashlib.sha256(content).hexdigest()
    assert body["metadata"]["original_filename"] == "render.mp4"


def test_a_replaced_file_replaces_the_derived_facts(api, ffmpeg_media):
    created = post_file(api, ffmpeg_media("mp4"), name="v1.mp4", source_module="video_studio")

    response = api.patch(
        f"{URL}{created.json()['id']}/", {"file": SimpleUploadedFile("v2.mov", ffmpeg_media("mov"))},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["mime_type"], body["width"], body["height"]) == ("video/quicktime", 96, 64)
    assert body["metadata"]["original_filename"] == "v2.mov"


@pytest.mark.parametrize(
    ("name", "content"),
    [("drawing.svg", svg_with_script_bytes()), ("photo.png", elf_bytes()), ("b.png", truncated(image_bytes("PNG")))],
)
def test_a_hostile_file_sent_by_patch_is_refused_and_the_old_file_stays(api, settings, name, content):
    original = image_bytes("PNG")
    created = post_file(api, original, name="ok.png", source_module="image_studio")
    files = stored_files(settings.MEDIA_ROOT)

    response = api.patch(
        f"{URL}{created.json()['id']}/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in response.json()
    asset = Asset.objects.get(pk=created.json()["id"])
    assert asset.checksum_sha256 == hashlib.sha256(original).hexdigest()
    assert stored_files(settings.MEDIA_ROOT) == files


# --- hostile input: a clean 4xx and nothing stored --------------------------------------------

HOSTILE = {
    "svg with script": ("drawing.svg", svg_with_script_bytes),
    "svg with script named png": ("drawing.png", svg_with_script_bytes),
    "html with script": ("page.html", html_bytes),
    "html named txt": ("page.txt", html_bytes),
    "ELF executable named png": ("photo.png", elf_bytes),
    "PE executable named png": ("photo.png", pe_bytes),
    "truncated png": ("cut.png", lambda: truncated(image_bytes("PNG", image=photo_like((256, 256))))),
    "truncated jpeg": ("cut.jpg", lambda: truncated(image_bytes("JPEG", image=photo_like((256, 256))))),
    "truncated gif": ("cut.gif", lambda: truncated(animated_gif_bytes((200, 200)), 0.6)),
    "truncated webp": ("cut.webp", lambda: truncated(image_bytes("WEBP", image=photo_like((256, 256))))),
    "png signature then garbage": ("noise.png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20),
    "jpeg header then garbage": ("noise.jpg", lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x13" * 3000),
    "empty file": ("empty.png", lambda: b""),
    "decompression bomb (12000 x 12000)": ("bomb.png", lambda: png_bomb_bytes(12_000)),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_is_a_clean_400_that_stores_nothing(api, nothing_stored, case):
    name, make = HOSTILE[case]

    response = post_file(api, make(), name=name)

    assert response.status_code == 400, response.content
    assert "file" in response.json(), response.json()


def test_an_image_between_the_pixel_limit_and_twice_it_is_refused_too(api, nothing_stored, settings):
    """Pillow only warns below twice MAX_IMAGE_PIXELS; the warning is an error here."""
    settings.MAX_IMAGE_PIXELS = 50_000_000  # the sample has 81 million pixels

    response = post_file(api, png_bomb_bytes(9_000), name="big.png")

    assert response.status_code == 400
    assert "pixels" in response.json()["file"][0]


@pytest.mark.parametrize(
    ("name", "mime"),
    [("mp4", "video/mp4"), ("mov", "video/quicktime"), ("webm", "video/webm"), ("m4a", "audio/mp4"),
     ("ogg", "audio/ogg")],
)
def test_a_truncated_video_or_audio_file_is_a_400(api, ffmpeg_media, nothing_stored, name, mime):
    content = ffmpeg_media(name)
    cut = content[:200] if name != "ogg" else content[:60]

    response = post_file(api, cut, name=f"cut.{name}")

    assert response.status_code == 400, response.json()
    assert "file" in response.json()


def test_an_executable_in_a_multipart_upload_with_an_image_content_type_is_refused(api, nothing_stored):
    upload = SimpleUploadedFile("photo.png", elf_bytes(), content_type="image/png")

    response = api.post(URL, {"source_module": "upload", "type": "image", "file": upload}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


# --- over the limit: 413 while streaming in ----------------------------------------------------


class CountingBody:
    """A request body produced on the fly (never held whole) that counts what the server reads."""

    def __init__(self, parts, total: int):
        self._parts = iter(parts)
        self._buffer = b""
        self.total = total
        self.bytes_read = 0

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            part = next(self._parts, None)
            if part is None:
                break
            self._buffer += part
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        self.bytes_read += len(data)
        return data

    readline = read


def multipart_stream(file_head: bytes, file_size: int, *, name="big.png", boundary="xXbOuNdArYXx"):
    """(parts, total length) of a multipart body whose file is `file_head` padded to `file_size`."""
    before = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="source_module"\r\n\r\nupload\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    after = f"\r\n--{boundary}--\r\n".encode()

    def parts():
        yield before + file_head
        remaining = file_size - len(file_head)
        while remaining > 0:
            step = min(remaining, 1 << 20)
            yield b"\0" * step
            remaining -= step
        yield after

    return parts(), len(before) + file_size + len(after)


def post_stream(client, body: CountingBody, *, boundary="xXbOuNdArYXx"):
    return client.generic(
        "POST", URL, "", content_type=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(body.total),
        **{"wsgi.input": body},
    )


def test_a_file_over_its_type_limit_is_refused_while_it_streams_in(api, nothing_stored, settings):
    settings.MAX_UPLOAD_SIZE_BY_TYPE = {**settings.MAX_UPLOAD_SIZE_BY_TYPE, "image": 1_000_000}
    parts, total = multipart_stream(image_bytes("PNG"), 60_000_000)
    body = CountingBody(parts, total)

    response = post_stream(api, body)

    assert response.status_code == 413, response.content
    assert "file" in response.json()
    # Stopped a chunk or two past the limit: the other ~59 MB were never read.
    assert body.bytes_read < 2_000_000, body.bytes_read


def test_a_request_declaring_more_than_any_limit_is_refused_before_reading_the_body(api, nothing_stored, settings):
    settings.MAX_UPLOAD_SIZE = 5_000_000
    settings.MAX_UPLOAD_SIZE_BY_TYPE = {"image": 1_000_000, "video": 5_000_000, "audio": 5_000_000, "text": 100}
    parts, total = multipart_stream(image_bytes("PNG"), 50_000_000)
    body = CountingBody(parts, total)

    response = post_stream(api, body)

    assert response.status_code == 413
    assert body.bytes_read == 0


def test_a_streamed_file_within_the_limit_is_stored(api, settings):
    """The same streaming path accepts a file under the limit (the 413 above is about size)."""
    content = wav_bytes(0.5)
    parts, total = multipart_stream(content, len(content), name="tone.wav")

    response = post_stream(api, CountingBody(parts, total))

    assert response.status_code == 201, response.content
    assert response.json()["mime_type"] == "audio/wav"


def test_each_type_has_its_own_limit(api, nothing_stored, settings):
    png, text = image_bytes("PNG"), b"short text\n"
    settings.MAX_UPLOAD_SIZE_BY_TYPE = {**settings.MAX_UPLOAD_SIZE_BY_TYPE, "image": len(png) - 1, "text": 5}

    assert post_file(api, png, name="a.png").status_code == 413
    assert post_file(api, text, name="a.txt").status_code == 413


# --- file names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd\x07.png", "passwd.png"),
        ("report\x1b[0m final\x7f.png", "report[0m final.png"),
        ("photo\u202egnp.exe.png", "photognp.exe.png"),
        (".htaccess.png", "htaccess.png"),
    ],
)
def test_a_dangerous_file_name_is_cleaned_and_never_used_as_a_path(api, settings, name, cleaned):
    response = post_file(api, image_bytes("PNG"), name=name)

    assert response.status_code == 201, response.json()
    asset = Asset.objects.get(pk=response.json()["id"])
    assert asset.metadata["original_filename"] == cleaned
    assert asset.file.name == f"assets/{asset.owner_id}/{asset.created_at:%Y/%m}/{asset.id}.png"
    assert stored_files(settings.MEDIA_ROOT) == {asset.file.name}


def test_the_service_cleans_a_name_with_a_path_and_nul_from_any_caller(user, settings):
    """Django already drops path components from multipart names; other callers may not."""
    upload = ContentFile(image_bytes("PNG"), name="../../../etc/cron.d/evil\x00\x1b[31m.png")

    result = services.asset_create(owner=user, source_module="upload", file=upload)

    asset = result.asset
    assert asset.metadata["original_filename"] == "evil[31m.png"
    assert asset.file.name.startswith(f"assets/{user.pk}/") and asset.file.name.endswith(f"{asset.id}.png")
    assert stored_files(settings.MEDIA_ROOT) == {asset.file.name}


def test_a_name_that_cleans_to_nothing_leaves_no_original_filename(user):
    result = services.asset_create(
        owner=user, source_module="upload", file=ContentFile(image_bytes("PNG"), name="\x01\x02"), metadata={"a": 1}
    )

    assert result.asset.metadata == {"a": 1}


def test_duplicates_are_found_among_the_owners_assets_made_any_way(user):
    content = image_bytes("PNG", (10, 10))
    existing = AssetFactory(
        owner=user, file=ContentFile(content, name="x.png"), checksum_sha256=hashlib.sha256(content).hexdigest()
    )

    result = services.asset_create(owner=user, source_module="upload", file=io.BytesIO(content))

    assert (result.created, result.duplicate_of_file, result.asset.pk) == (False, True, existing.pk)
